package kr.go.procurement.k8s;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The strategic-merge-patch semantics that {@code kubectl kustomize} (kustomize 5) applies, for the fields these
 * manifests patch: maps merge key by key (a null value removes the key), lists of the built-in kinds that have a
 * merge key ({@code containers} by name, {@code env} by name, {@code ports} by containerPort or port, ...) merge
 * element by element — the patch's elements first, in the patch's order, then the original's remaining ones, which is
 * the order kustomize produces — with {@code $patch: delete} removing an element; every other list is replaced.
 * Custom resources (no schema here) get no merge keys: their lists are replaced, as kustomize does without a schema.
 */
final class StrategicMerge {

  /** Kinds whose schema the merge keys below come from. */
  private static final Set<String> BUILT_IN = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob",
      "Pod", "ReplicaSet", "Service", "ConfigMap", "Secret", "Namespace", "HorizontalPodAutoscaler",
      "PodDisruptionBudget", "NetworkPolicy", "Ingress", "ServiceAccount", "PersistentVolumeClaim");

  private StrategicMerge() {
  }

  /** The patched object (a new one; neither argument changes). */
  static Map<String, Object> apply(Map<String, Object> original, Map<String, Object> patch) {
    boolean schema = BUILT_IN.contains(Yamls.kind(original));
    return mergeMap(Yamls.copy(original), patch, schema);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mergeMap(Map<String, Object> original, Map<String, Object> patch,
                                              boolean schema) {
    Object directive = patch.get("$patch");
    if ("replace".equals(directive)) {
      Map<String, Object> replaced = Yamls.copy(patch);
      replaced.remove("$patch");
      return replaced;
    }
    if (directive != null && !"merge".equals(directive)) {
      throw new UnsupportedOperationException("$patch: " + directive + " is only supported on list elements "
          + "and whole objects");
    }
    Map<String, Object> result = new LinkedHashMap<>(original);
    for (Map.Entry<String, Object> e : patch.entrySet()) {
      String key = e.getKey();
      Object value = e.getValue();
      if (key.startsWith("$")) {
        if (!key.equals("$patch")) {
          throw new UnsupportedOperationException("Strategic-merge directive " + key + " is not supported here");
        }
        continue;
      }
      Object current = result.get(key);
      if (value == null) {
        result.remove(key);
      } else if (current instanceof Map && value instanceof Map) {
        result.put(key, mergeMap((Map<String, Object>) current, (Map<String, Object>) value, schema));
      } else if (current instanceof List && value instanceof List) {
        result.put(key, mergeList(key, (List<Object>) current, (List<Object>) value, schema));
      } else {
        result.put(key, withoutDirectives(Yamls.copy(value)));
      }
    }
    return result;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> mergeList(String field, List<Object> original, List<Object> patch, boolean schema) {
    String mergeKey = schema ? mergeKey(field, original, patch) : null;
    if (mergeKey == null) {
      return (List<Object>) withoutDirectives(Yamls.copy(patch));
    }
    List<Object> result = new ArrayList<>();
    Set<Object> handled = new HashSet<>();
    for (Object p : patch) {
      Map<String, Object> pm = (Map<String, Object>) p;
      Object keyValue = pm.get(mergeKey);
      Map<String, Object> match = null;
      for (Object o : original) {
        if (o instanceof Map && Objects.equals(String.valueOf(((Map<String, Object>) o).get(mergeKey)),
            String.valueOf(keyValue))) {
          match = (Map<String, Object>) o;
        }
      }
      handled.add(String.valueOf(keyValue));
      if ("delete".equals(pm.get("$patch"))) {
        continue;
      }
      result.add(match == null ? withoutDirectives(Yamls.copy(pm)) : mergeMap(match, pm, schema));
    }
    for (Object o : original) {
      Object keyValue = o instanceof Map ? ((Map<String, Object>) o).get(mergeKey) : o;
      if (!handled.contains(String.valueOf(keyValue))) {
        result.add(o);
      }
    }
    return result;
  }

  /** The patchMergeKey of the Kubernetes API for the list fields these manifests use; null = replace. */
  private static String mergeKey(String field, List<Object> original, List<Object> patch) {
    switch (field) {
      case "containers", "initContainers", "ephemeralContainers", "env", "volumes", "imagePullSecrets",
          "volumeClaimTemplates":
        return field.equals("volumeClaimTemplates") ? null : "name";
      case "volumeMounts":
        return "mountPath";
      case "topologySpreadConstraints":
        return "topologyKey";
      case "ports":
        // Container ports merge by containerPort, Service ports by port.
        List<Object> all = new ArrayList<>(original);
        all.addAll(patch);
        boolean container = all.stream().anyMatch(o -> o instanceof Map<?, ?> m && m.containsKey("containerPort"));
        return container ? "containerPort" : "port";
      default:
        return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Object withoutDirectives(Object value) {
    if (value instanceof Map<?, ?> map) {
      ((Map<String, Object>) map).remove("$patch");
      map.values().forEach(StrategicMerge::withoutDirectives);
    } else if (value instanceof List<?> list) {
      list.forEach(StrategicMerge::withoutDirectives);
    }
    return value;
  }
}
