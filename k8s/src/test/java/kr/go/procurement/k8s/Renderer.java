package kr.go.procurement.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How a kustomization becomes objects: {@code kubectl kustomize} where kubectl is installed, and always the Java
 * {@link Kustomize} (for CI machines without kubectl). {@code K8S_TEST_RENDERER=java} leaves kubectl out even
 * where it exists; {@code K8S_TEST_RENDERER=kubectl} makes a missing kubectl an error instead of a skip.
 */
enum Renderer {
  KUBECTL, JAVA;

  private static final Map<String, Manifests> CACHE = new ConcurrentHashMap<>();
  private static volatile Optional<Boolean> kubectlPresent = Optional.empty();

  /** The renderers this machine has, kubectl first. */
  static List<Renderer> available() {
    List<Renderer> result = new ArrayList<>();
    if (KUBECTL.isAvailable()) {
      result.add(KUBECTL);
    }
    result.add(JAVA);
    return result;
  }

  boolean isAvailable() {
    if (this == JAVA) {
      return true;
    }
    String mode = System.getenv().getOrDefault("K8S_TEST_RENDERER", "");
    if (mode.equalsIgnoreCase("java")) {
      return false;
    }
    if (kubectlPresent.isEmpty()) {
      boolean present;
      try {
        Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
      } catch (IOException e) {
        present = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        present = false;
      }
      if (!present && mode.equalsIgnoreCase("kubectl")) {
        throw new IllegalStateException("K8S_TEST_RENDERER=kubectl, but kubectl does not run here");
      }
      kubectlPresent = Optional.of(present);
    }
    return kubectlPresent.get();
  }

  /** The rendered objects of a kustomization directory (cached: rendering is the slow part). */
  Manifests render(Path dir) {
    Path normalized = dir.toAbsolutePath().normalize();
    return CACHE.computeIfAbsent(this + ":" + normalized,
        k -> new Manifests(Repo.root().relativize(normalized) + " (" + name().toLowerCase() + ")", objects(normalized)));
  }

  /** Rendered without the cache (for tests that render a temporary kustomization). */
  List<Map<String, Object>> objects(Path dir) {
    if (this == JAVA) {
      return Kustomize.build(dir);
    }
    try {
      Path errors = Files.createTempFile("kubectl-kustomize", ".err");
      Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString())
          .redirectError(ProcessBuilder.Redirect.to(errors.toFile())).start();
      byte[] out = p.getInputStream().readAllBytes();
      boolean finished = p.waitFor(60, TimeUnit.SECONDS);
      byte[] err = Files.readAllBytes(errors);
      Files.deleteIfExists(errors);
      if (!finished) {
        p.destroyForcibly();
        throw new IllegalStateException("kubectl kustomize " + dir + " did not finish in 60 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + new String(err, StandardCharsets.UTF_8));
      }
      return Yamls.objects(new String(out, StandardCharsets.UTF_8), "kubectl kustomize " + dir);
    } catch (IOException e) {
      throw new IllegalStateException("kubectl kustomize " + dir + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
