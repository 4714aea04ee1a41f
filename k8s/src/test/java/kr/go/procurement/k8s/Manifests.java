package kr.go.procurement.k8s;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One rendering of a kustomization in fabric8's typed Kubernetes model. Every object is converted into its typed
 * class by {@code apiVersion} and {@code kind}; a field the model does not know (a typo such as
 * {@code readinessProbes}) lands in fabric8's "additional properties" and is reported by {@link #unknownFields()}.
 */
final class Manifests {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.ofEntries(
      Map.entry("apps/v1/Deployment", Deployment.class),
      Map.entry("apps/v1/StatefulSet", StatefulSet.class),
      Map.entry("batch/v1/Job", Job.class),
      Map.entry("v1/Service", Service.class),
      Map.entry("v1/ConfigMap", ConfigMap.class),
      Map.entry("v1/Secret", Secret.class),
      Map.entry("v1/Namespace", Namespace.class),
      Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
      Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
      Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
      Map.entry("networking.k8s.io/v1/Ingress", Ingress.class));

  private final String name;
  private final List<Map<String, Object>> raw;
  private final List<HasMetadata> objects = new ArrayList<>();
  private final List<String> unknownKinds = new ArrayList<>();

  Manifests(String name, List<Map<String, Object>> raw) {
    this.name = name;
    this.raw = List.copyOf(raw);
    for (Map<String, Object> o : raw) {
      String type = Yamls.string(o, "apiVersion") + "/" + Yamls.kind(o);
      Class<? extends HasMetadata> cls = TYPES.get(type);
      if (cls == null) {
        if (!type.startsWith("kafka.strimzi.io/")) {
          unknownKinds.add(type + " " + Yamls.name(o));
        }
        objects.add(MAPPER.convertValue(o, GenericKubernetesResource.class));
      } else {
        objects.add(MAPPER.convertValue(o, cls));
      }
    }
  }

  String name() {
    return name;
  }

  List<Map<String, Object>> raw() {
    return raw;
  }

  List<HasMetadata> all() {
    return objects;
  }

  /** apiVersion/kind pairs that have no typed model here (only Strimzi resources may). */
  List<String> unknownKinds() {
    return unknownKinds;
  }

  <T extends HasMetadata> List<T> of(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  List<Deployment> deployments() {
    return of(Deployment.class);
  }

  List<StatefulSet> statefulSets() {
    return of(StatefulSet.class);
  }

  List<Job> jobs() {
    return of(Job.class);
  }

  List<Service> services() {
    return of(Service.class);
  }

  List<ConfigMap> configMaps() {
    return of(ConfigMap.class);
  }

  List<Secret> secrets() {
    return of(Secret.class);
  }

  List<HorizontalPodAutoscaler> hpas() {
    return of(HorizontalPodAutoscaler.class);
  }

  List<PodDisruptionBudget> pdbs() {
    return of(PodDisruptionBudget.class);
  }

  List<NetworkPolicy> networkPolicies() {
    return of(NetworkPolicy.class);
  }

  List<Ingress> ingresses() {
    return of(Ingress.class);
  }

  List<GenericKubernetesResource> kafkaTopics() {
    return of(GenericKubernetesResource.class).stream().filter(r -> "KafkaTopic".equals(r.getKind())).toList();
  }

  Optional<Deployment> deployment(String name) {
    return deployments().stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst();
  }

  Optional<ConfigMap> configMap(String name) {
    return configMaps().stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst();
  }

  Optional<Secret> secret(String name) {
    return secrets().stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst();
  }

  Optional<Service> service(String name) {
    return services().stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst();
  }

  /** A Secret's value, decoded (stringData first, then data); empty when the Secret or key is not rendered. */
  Optional<String> secretValue(String secret, String key) {
    return secret(secret).flatMap(s -> {
      if (s.getStringData() != null && s.getStringData().containsKey(key)) {
        return Optional.of(s.getStringData().get(key));
      }
      if (s.getData() != null && s.getData().containsKey(key)) {
        return Optional.of(new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8));
      }
      return Optional.empty();
    });
  }

  /** Every pod template with the workload that owns it: Deployments, StatefulSets and Jobs. */
  List<Workload> workloads() {
    List<Workload> result = new ArrayList<>();
    deployments().forEach(d -> result.add(new Workload(d, d.getSpec().getTemplate())));
    statefulSets().forEach(s -> result.add(new Workload(s, s.getSpec().getTemplate())));
    jobs().forEach(j -> result.add(new Workload(j, j.getSpec().getTemplate())));
    return result;
  }

  /** A workload and its pod template. */
  record Workload(HasMetadata owner, PodTemplateSpec template) {
    String name() {
      return owner.getMetadata().getName();
    }

    String id() {
      return owner.getKind() + "/" + name();
    }

    Map<String, String> podLabels() {
      Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
      return labels == null ? Map.of() : labels;
    }

    List<Container> containers() {
      return template.getSpec().getContainers();
    }
  }

  /** Fields of typed objects that their class does not have: misspelt or misplaced keys. */
  List<String> unknownFields() {
    List<String> result = new ArrayList<>();
    for (HasMetadata o : objects) {
      if (!(o instanceof GenericKubernetesResource)) {
        walk(o, o.getKind() + "/" + o.getMetadata().getName(), result);
      }
    }
    return result;
  }

  private static void walk(Object node, String path, List<String> out) {
    if (node == null) {
      return;
    }
    if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), path + "[" + i + "]", out);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, out));
      return;
    }
    if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    try {
      for (PropertyDescriptor pd : Introspector.getBeanInfo(node.getClass()).getPropertyDescriptors()) {
        Method read = pd.getReadMethod();
        if (read == null || read.getParameterCount() != 0 || pd.getName().equals("class")) {
          continue;
        }
        Object value = read.invoke(node);
        if (pd.getName().equals("additionalProperties")) {
          if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
            out.add(path + ": unknown field(s) " + extra.keySet());
          }
          continue;
        }
        walk(value, path + "." + pd.getName(), out);
      }
    } catch (ReflectiveOperationException | java.beans.IntrospectionException e) {
      throw new IllegalStateException("Cannot inspect " + path, e);
    }
  }

  @Override
  public String toString() {
    return name;
  }

  static Map<String, Object> toMap(Object typed) {
    @SuppressWarnings("unchecked")
    Map<String, Object> map = MAPPER.convertValue(typed, LinkedHashMap.class);
    return map;
  }
}
