package kr.go.procurement.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java renderer renders what {@code kubectl kustomize} renders (where kubectl exists), so the checks mean the
 * same on a machine without kubectl; and it refuses the kustomize features it does not implement.
 */
class RendererTest {

  static Stream<Path> kustomizations() {
    return Stream.of(Repo.base(), Repo.overlay("dev"), Repo.overlay("prod"), Repo.broken());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizations")
  void javaRendersWhatKubectlRenders(Path dir) {
    assumeTrue(Renderer.KUBECTL.isAvailable(), "kubectl is not installed here; the Java renderer stands alone");
    Map<String, Map<String, Object>> kubectl = byId(Renderer.KUBECTL.objects(dir));
    Map<String, Map<String, Object>> java = byId(Renderer.JAVA.objects(dir));
    assertThat(java.keySet()).as("objects of %s", dir).containsExactlyElementsOf(kubectl.keySet());
    for (String id : kubectl.keySet()) {
      assertThat(java.get(id)).as("%s in %s", id, dir).isEqualTo(kubectl.get(id));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kustomizations")
  void everyKustomizationRenders(Path dir) {
    for (Renderer r : Renderer.available()) {
      assertThat(r.objects(dir)).as("%s rendered by %s", dir, r).isNotEmpty();
    }
  }

  private static Map<String, Map<String, Object>> byId(List<Map<String, Object>> objects) {
    Map<String, Map<String, Object>> result = new TreeMap<>();
    for (Map<String, Object> o : objects) {
      assertThat(result.put(Yamls.id(o), o)).as("duplicate %s", Yamls.id(o)).isNull();
    }
    return result;
  }

  @Test
  void listsWithAMergeKeyTakeThePatchOrderThenTheRest() {
    Map<String, Object> original = Yamls.objects("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: a}
        spec:
          template:
            spec:
              containers:
              - name: a
                env: [{name: A, value: "1"}, {name: B, value: "1"}, {name: C, value: "1"}]
                args: [x, y]
        """, "original").get(0);
    Map<String, Object> patch = Yamls.objects("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: a}
        spec:
          template:
            spec:
              containers:
              - name: a
                env: [{name: C, value: "2"}, {name: B, $patch: delete}, {name: D, value: "2"}]
                args: [z]
        """, "patch").get(0);
    Map<String, Object> merged = StrategicMerge.apply(original, patch);
    assertThat(merged.toString()).contains("env=[{name=C, value=2}, {name=D, value=2}, {name=A, value=1}]")
        .contains("args=[z]");
  }

  @Test
  void jsonPatchAddsAndReplaces() {
    Map<String, Object> o = Yamls.objects("spec: {rules: [{host: a}]}", "o").get(0);
    Map<String, Object> patched = JsonPatch.apply(o, List.of(
        Map.of("op", "replace", "path", "/spec/rules/0/host", "value", "b"),
        Map.of("op", "add", "path", "/spec/tls", "value", List.of("t"))), "test");
    assertThat(patched.toString()).isEqualTo("{spec={rules=[{host=b}], tls=[t]}}");
  }

  @Test
  void unsupportedKustomizeFeaturesAreRefused(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("kustomization.yaml"), "commonLabels: {a: b}\nresources: []\n");
    assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("'commonLabels' is not supported");
    Files.writeString(dir.resolve("kustomization.yaml"), "configMapGenerator: [{name: x, literals: [a=b]}]\n");
    assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("disableNameSuffixHash");
  }
}
