package kr.go.procurement.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shared image recipe fits the services and the Deployments: a pinned Java runtime of the project's release,
 * the fat JAR the root pom's shade plugin writes, the non-root user the Deployments run as, JVM flags that follow the
 * container's memory limit. (No Docker engine here: the image itself is built by the runbook's commands.)
 */
class DockerfileTest {

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private final String dockerfile = read(Repo.k8s().resolve("Dockerfile"));

  private static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
    assertThat(m.find()).as("/%s/", regex).isTrue();
    return m.group(1);
  }

  @Test
  void theBaseImageIsAPinnedJavaRuntimeOfTheProjectsRelease() {
    String base = group(dockerfile, "^ARG BASE_IMAGE=(\\S+)");
    String release = Checks.rootPomProperty("maven.compiler.release");
    assertThat(base).as("base image").startsWith("eclipse-temurin:" + release + ".").contains("-jre")
        .doesNotEndWith(":latest");
    assertThat(group(base, ":(\\d+\\.\\d+\\.\\d+_\\d+)-")).as("a full release tag, not a moving major tag").isNotEmpty();
    assertThat(dockerfile).contains("FROM ${BASE_IMAGE}");
  }

  @Test
  void itCopiesTheFatJarTheRootPomBuildsForEveryService() {
    String outputFile = group(read(Repo.root().resolve("pom.xml")), "<outputFile>([^<]+)</outputFile>");
    assertThat(outputFile).isEqualTo("${project.build.directory}/${project.artifactId}.jar");
    assertThat(dockerfile).contains("COPY --chown=root:root --chmod=0444 ${SERVICE}/target/${SERVICE}.jar /app/service.jar");
    String ignore = read(Repo.k8s().resolve("Dockerfile.dockerignore"));
    for (CodeFacts.ServiceCode s : CodeFacts.get().services().values()) {
      String artifactId = group(read(s.module().resolve("pom.xml")), "</parent>\\s*<artifactId>([^<]+)</artifactId>");
      assertThat(artifactId).as("the module of %s builds %s.jar", s.name(), s.name()).isEqualTo(s.name());
      assertThat(s.module().getFileName().toString()).isEqualTo(s.name());
      String jar = s.name() + "/target/" + s.name() + ".jar";
      assertThat(included(ignore, jar)).as("%s is in the build context", jar).isTrue();
    }
    assertThat(included(ignore, "request-svc/src/main/java/X.java")).isFalse();
  }

  @Test
  void itRunsAsTheNonRootUserOfTheDeployments() {
    long uid = Long.parseLong(group(dockerfile, "^USER (\\d+):\\d+"));
    long gid = Long.parseLong(group(dockerfile, "^USER \\d+:(\\d+)"));
    assertThat(uid).isPositive();
    for (String overlay : List.of("dev", "prod")) {
      for (Deployment d : Renderer.JAVA.render(Repo.overlay(overlay)).deployments()) {
        var sc = d.getSpec().getTemplate().getSpec().getSecurityContext();
        assertThat(sc.getRunAsUser()).as("%s %s runAsUser", overlay, d.getMetadata().getName()).isEqualTo(uid);
        assertThat(sc.getRunAsGroup()).as("%s %s runAsGroup", overlay, d.getMetadata().getName()).isEqualTo(gid);
      }
    }
  }

  @Test
  void theJvmIsSizedFromTheContainerAndJavaIsPidOne() {
    String entrypoint = group(dockerfile, "^ENTRYPOINT (\\[[^]]*])");
    assertThat(entrypoint).startsWith("[\"java\"").contains("\"-XX:MaxRAMPercentage=75\"")
        .contains("\"-XX:+ExitOnOutOfMemoryError\"").contains("\"-Djava.io.tmpdir=/tmp\"")
        .contains("\"-jar\", \"/app/service.jar\"").doesNotContain("-Xmx");
    assertThat(group(dockerfile, "^EXPOSE (\\d+)")).isEqualTo(String.valueOf(Checks.contractPort()));
  }

  /** The Dockerfile.dockerignore rules: the last matching line decides, "!" re-includes. */
  private static boolean included(String ignore, String path) {
    boolean include = true;
    List<String> lines = new ArrayList<>();
    ignore.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(lines::add);
    for (String line : lines) {
      boolean negate = line.startsWith("!");
      String glob = negate ? line.substring(1) : line;
      String regex = glob.replace(".", "\\.").replace("**", "\u0000").replace("*", "[^/]*").replace("\u0000", ".*");
      if (path.matches(regex) || path.matches(regex + "/.*")) {
        include = negate;
      }
    }
    return include;
  }
}
