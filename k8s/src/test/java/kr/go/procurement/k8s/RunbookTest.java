package kr.go.procurement.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * k8s/README.md covers the seven operations topics of the original design plus metrics and logs, deploys each overlay
 * with one command, names only objects that exist, and tells how to create every Secret prod expects.
 */
class RunbookTest {

  private final String readme = read();

  private static String read() {
    try {
      return Files.readString(Repo.k8s().resolve("README.md"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void coversTheSevenOperationsTopicsOfTheOriginalDesign() {
    List<String> headings = readme.lines().filter(l -> l.startsWith("## ")).toList();
    for (String topic : List.of("Deploy", "ConfigMap", "Persistence Volume", "Circuit Breaker", "Autoscale (HPA)",
        "Zero-Downtime deploy (Readiness Probe)", "Self-healing (Liveness Probe)", "Metrics and logs")) {
      assertThat(headings).as("a section on %s", topic).anySatisfy(h -> assertThat(h).contains(topic));
    }
    assertThat(readme).contains("siege -c100 -t10S", "kubectl -n procurement get hpa management-svc -w",
        "Availability: 100.00 %", "rollout restart", "LOG_FORMAT=json");
  }

  @Test
  void deploysEachOverlayWithOneCommand() {
    assertThat(readme).contains("kubectl apply -k k8s/overlays/dev", "kubectl apply -k k8s/overlays/prod");
  }

  @Test
  void namesOnlyObjectsThatExist() {
    Manifests dev = Renderer.JAVA.render(Repo.overlay("dev"));
    Manifests prod = Renderer.JAVA.render(Repo.overlay("prod"));
    Set<String> known = new LinkedHashSet<>();
    for (Manifests m : List.of(dev, prod)) {
      for (HasMetadata o : m.all()) {
        known.add(o.getKind().toLowerCase() + "/" + o.getMetadata().getName());
      }
      for (StatefulSet s : m.statefulSets()) {
        known.add("pod/" + s.getMetadata().getName() + "-0");
        s.getSpec().getVolumeClaimTemplates().forEach(t ->
            known.add("persistentvolumeclaim/" + t.getMetadata().getName() + "-" + s.getMetadata().getName() + "-0"));
      }
    }
    Matcher ref = Pattern.compile("\\b(deployment|deploy|statefulset|job|hpa|configmap|cm|svc|service|pod|pvc)/"
        + "([a-z0-9][a-z0-9.-]*[a-z0-9])").matcher(readme);
    List<String> unknown = new ArrayList<>();
    while (ref.find()) {
      String kind = switch (ref.group(1)) {
        case "deploy" -> "deployment";
        case "hpa" -> "horizontalpodautoscaler";
        case "cm" -> "configmap";
        case "svc" -> "service";
        case "pvc" -> "persistentvolumeclaim";
        default -> ref.group(1);
      };
      String id = kind + "/" + ref.group(2);
      boolean demo = ref.group(2).equals("siege") || ref.group(2).startsWith("ingress-nginx");
      if (!known.contains(id) && !demo) {
        unknown.add(ref.group());
      }
    }
    for (String cm : List.of("request-svc-config", "procurement-common", "procurement-kafka", "procurement-postgres",
        "procurement-mongo")) {
      assertThat(readme).contains(cm);
      assertThat(known).contains("configmap/" + cm);
    }
    assertThat(unknown).as("objects the runbook names that no overlay renders").isEmpty();
  }

  @Test
  void tellsHowToCreateEverySecretProdReferences() {
    Manifests prod = Renderer.JAVA.render(Repo.overlay("prod"));
    Set<String> refs = new LinkedHashSet<>();
    for (Manifests.Workload w : prod.workloads()) {
      for (Container c : w.containers()) {
        new ContainerEnv(c, prod, true).secretRefs().forEach(r -> refs.add(r.secret() + " " + r.key()));
      }
    }
    prod.ingresses().forEach(i -> i.getSpec().getTls().forEach(t -> refs.add(t.getSecretName() + " tls")));
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      String secret = ref.split(" ")[0];
      String key = ref.split(" ")[1];
      Matcher create = Pattern.compile("create secret (generic|tls) " + Pattern.quote(secret) + "\\b([^\\n]*\\\\\\n)*[^\\n]*")
          .matcher(readme);
      assertThat(create.find()).as("the README creates Secret %s", secret).isTrue();
      if (!key.equals("tls")) {
        assertThat(create.group()).as("the README's Secret %s has key %s", secret, key)
            .containsPattern("--from-(literal|file)=" + Pattern.quote(key) + "=");
      }
    }
  }
}
