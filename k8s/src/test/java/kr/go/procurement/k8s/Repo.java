package kr.go.procurement.k8s;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository the tests read: the manifests under k8s/ and the services' sources beside them. */
final class Repo {

  private Repo() {
  }

  /** The repository root: the parent of this module (Surefire sets basedir to the module's directory). */
  static Path root() {
    Path start = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("k8s/base")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("Cannot find the repository root (with k8s/base) above " + start);
  }

  static Path k8s() {
    return root().resolve("k8s");
  }

  static Path base() {
    return k8s().resolve("base");
  }

  static Path overlay(String name) {
    return k8s().resolve("overlays").resolve(name);
  }

  /** The deliberately broken kustomization (the dev overlay with one mistake per check). */
  static Path broken() {
    return k8s().resolve("src/test/resources/broken");
  }
}
