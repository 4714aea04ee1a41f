package kr.go.procurement.k8s;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Java rendering of a kustomization, for machines without kubectl. It implements exactly the kustomize features
 * these manifests use, in kustomize's order (resources, generators, then patches, namespace, labels, images), and
 * refuses any other field, so a manifest change that needs more fails loudly instead of rendering differently.
 * {@code RendererTest} checks that it renders what {@code kubectl kustomize} renders wherever kubectl exists.
 */
final class Kustomize {

  private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "namespace", "labels", "resources",
      "patches", "images", "configMapGenerator", "secretGenerator", "generatorOptions");

  /** Kinds that have no namespace (kustomize's namespace transformer leaves them alone). */
  private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
      "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass",
      "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService", "RuntimeClass", "Node");

  private Kustomize() {
  }

  static List<Map<String, Object>> build(Path dir) {
    Path file = dir.resolve("kustomization.yaml");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("No kustomization.yaml in " + dir);
    }
    Map<String, Object> k = Yamls.asMap(Yamls.documents(file).get(0), file.toString());
    for (String field : k.keySet()) {
      if (!FIELDS.contains(field)) {
        throw new UnsupportedOperationException(file + ": '" + field + "' is not supported by the tests' renderer "
            + "(see the comment in k8s/base/kustomization.yaml)");
      }
    }
    List<Map<String, Object>> objects = new ArrayList<>();
    for (String resource : strings(k.get("resources"))) {
      Path path = dir.resolve(resource).normalize();
      if (Files.isDirectory(path)) {
        objects.addAll(build(path));
      } else {
        objects.addAll(Yamls.objects(path));
      }
    }
    generate(k, objects, file);
    for (Object p : list(k.get("patches"))) {
      patch(dir, Yamls.asMap(p, file.toString()), objects);
    }
    String namespace = Yamls.string(k, "namespace");
    if (namespace != null) {
      for (Map<String, Object> o : objects) {
        if (!CLUSTER_SCOPED.contains(Yamls.kind(o))) {
          metadata(o).put("namespace", namespace);
        }
      }
    }
    for (Object l : list(k.get("labels"))) {
      Map<String, Object> entry = Yamls.asMap(l, file.toString());
      for (String key : entry.keySet()) {
        if (!key.equals("pairs") && !(entry.get(key) instanceof Boolean b && !b)) {
          throw new UnsupportedOperationException(file + ": labels." + key + " is not supported by the tests' renderer");
        }
      }
      Map<String, Object> pairs = Yamls.map(entry, "pairs");
      for (Map<String, Object> o : objects) {
        labels(o).putAll(pairs);
      }
    }
    for (Object i : list(k.get("images"))) {
      Map<String, Object> image = Yamls.asMap(i, file.toString());
      objects.forEach(o -> setImages(o, image));
    }
    return objects;
  }

  private static void generate(Map<String, Object> k, List<Map<String, Object>> objects, Path file) {
    Map<String, Object> options = Yamls.map(k, "generatorOptions");
    boolean any = k.containsKey("configMapGenerator") || k.containsKey("secretGenerator");
    if (any && (options == null || !Boolean.TRUE.equals(options.get("disableNameSuffixHash")))) {
      throw new UnsupportedOperationException(file + ": generators need generatorOptions.disableNameSuffixHash: true "
          + "here (the tests' renderer does not compute kustomize's name hashes)");
    }
    for (String kind : List.of("ConfigMap", "Secret")) {
      String field = kind.equals("ConfigMap") ? "configMapGenerator" : "secretGenerator";
      for (Object g : list(k.get(field))) {
        Map<String, Object> gen = Yamls.asMap(g, file.toString());
        for (String key : gen.keySet()) {
          if (!Set.of("name", "literals", "behavior").contains(key)) {
            throw new UnsupportedOperationException(file + ": " + field + "." + key + " is not supported here");
          }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        for (String literal : strings(gen.get("literals"))) {
          int eq = literal.indexOf('=');
          String value = literal.substring(eq + 1);
          data.put(literal.substring(0, eq), kind.equals("Secret")
              ? Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) : value);
        }
        String behavior = Yamls.string(gen, "behavior");
        if (behavior != null && !behavior.equals("create")) {
          throw new UnsupportedOperationException(file + ": generator behavior " + behavior + " is not supported");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", gen.get("name"));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("apiVersion", "v1");
        o.put("kind", kind);
        o.put("metadata", metadata);
        o.put("data", data);
        if (kind.equals("Secret")) {
          o.put("type", "Opaque");
        }
        if (options.get("labels") instanceof Map<?, ?> labels) {
          labels.forEach((lk, lv) -> labels(o).put(String.valueOf(lk), lv));
        }
        objects.add(o);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void patch(Path dir, Map<String, Object> entry, List<Map<String, Object>> objects) {
    for (String key : entry.keySet()) {
      if (!Set.of("path", "target").contains(key)) {
        throw new UnsupportedOperationException(dir + ": patches[]." + key + " is not supported here (use path:)");
      }
    }
    Path file = dir.resolve(Yamls.string(entry, "path")).normalize();
    Map<String, Object> target = Yamls.map(entry, "target");
    List<Object> docs = Yamls.documents(file);
    if (docs.size() == 1 && docs.get(0) instanceof List<?> operations) {
      if (target == null) {
        throw new IllegalStateException(file + ": a JSON patch needs a target");
      }
      boolean matched = false;
      for (int i = 0; i < objects.size(); i++) {
        if (matches(objects.get(i), target)) {
          objects.set(i, JsonPatch.apply(objects.get(i), (List<Object>) operations, file.toString()));
          matched = true;
        }
      }
      if (!matched) {
        throw new IllegalStateException(file + ": no resource matches the patch target " + target);
      }
      return;
    }
    if (docs.size() > 1 && docs.stream().anyMatch(d -> d instanceof Map<?, ?> dm && "delete".equals(dm.get("$patch")))) {
      // kustomize 5.5 crashes (nil pointer) on this; keep each $patch: delete in a file of its own.
      throw new IllegalStateException(file + ": a $patch: delete must be the only document of its patch file");
    }
    for (Object d : docs) {
      Map<String, Object> p = Yamls.asMap(d, file.toString());
      Map<String, Object> selector = target;
      if (selector == null) {
        selector = new LinkedHashMap<>();
        selector.put("kind", Yamls.kind(p));
        selector.put("name", Yamls.name(p));
        if (Yamls.namespace(p) != null) {
          selector.put("namespace", Yamls.namespace(p));
        }
      }
      boolean matched = false;
      for (Iterator<Map<String, Object>> it = objects.iterator(); it.hasNext(); ) {
        Map<String, Object> o = it.next();
        if (matches(o, selector)) {
          matched = true;
          if ("delete".equals(p.get("$patch"))) {
            it.remove();
          }
        }
      }
      if (!matched) {
        throw new IllegalStateException(file + ": no resource matches " + selector);
      }
      if ("delete".equals(p.get("$patch"))) {
        continue;
      }
      for (int i = 0; i < objects.size(); i++) {
        if (matches(objects.get(i), selector)) {
          Map<String, Object> patch = Yamls.copy(p);
          if (target != null) {
            // A targeted patch applies to every match, whatever name it carries.
            Map<String, Object> meta = Yamls.map(patch, "metadata");
            if (meta != null) {
              meta.remove("name");
              meta.remove("namespace");
            }
          }
          objects.set(i, StrategicMerge.apply(objects.get(i), patch));
        }
      }
    }
  }

  private static boolean matches(Map<String, Object> o, Map<String, Object> selector) {
    for (Map.Entry<String, Object> e : selector.entrySet()) {
      String want = String.valueOf(e.getValue());
      boolean ok = switch (e.getKey()) {
        case "kind" -> want.equals(Yamls.kind(o));
        case "name" -> want.equals(Yamls.name(o));
        case "namespace" -> want.equals(Yamls.namespace(o));
        case "labelSelector" -> {
          for (String term : want.split(",")) {
            String[] kv = term.trim().split("=", 2);
            if (!kv[1].equals(String.valueOf(labels(o).get(kv[0])))) {
              yield false;
            }
          }
          yield true;
        }
        default -> throw new UnsupportedOperationException("patch target field " + e.getKey() + " is not supported");
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** kustomize's images transformer: every container and init container whose image has this name. */
  @SuppressWarnings("unchecked")
  private static void setImages(Object node, Map<String, Object> image) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if ((e.getKey().equals("containers") || e.getKey().equals("initContainers")) && e.getValue() instanceof List) {
          for (Object c : (List<Object>) e.getValue()) {
            if (c instanceof Map<?, ?> container && container.get("image") instanceof String ref) {
              ((Map<String, Object>) container).put("image", retag(ref, image));
            }
          }
        }
        setImages(e.getValue(), image);
      }
    } else if (node instanceof List<?> list) {
      list.forEach(v -> setImages(v, image));
    }
  }

  private static String retag(String ref, Map<String, Object> image) {
    String name = ref;
    String suffix = "";
    int at = name.indexOf('@');
    if (at >= 0) {
      suffix = name.substring(at);
      name = name.substring(0, at);
    }
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      suffix = name.substring(colon) + suffix;
      name = name.substring(0, colon);
    }
    if (!name.equals(Yamls.string(image, "name"))) {
      return ref;
    }
    String newName = image.containsKey("newName") ? Yamls.string(image, "newName") : name;
    if (image.containsKey("digest")) {
      return newName + "@" + Yamls.string(image, "digest");
    }
    if (image.containsKey("newTag")) {
      return newName + ":" + Yamls.string(image, "newTag");
    }
    return newName + suffix;
  }

  private static Map<String, Object> metadata(Map<String, Object> o) {
    Map<String, Object> meta = Yamls.map(o, "metadata");
    if (meta == null) {
      meta = new LinkedHashMap<>();
      o.put("metadata", meta);
    }
    return meta;
  }

  private static Map<String, Object> labels(Map<String, Object> o) {
    Map<String, Object> meta = metadata(o);
    Map<String, Object> labels = Yamls.map(meta, "labels");
    if (labels == null) {
      labels = new LinkedHashMap<>();
      meta.put("labels", labels);
    }
    return labels;
  }

  private static List<Object> list(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> l)) {
      throw new IllegalStateException("expected a list, got " + value);
    }
    return new ArrayList<>(l);
  }

  private static List<String> strings(Object value) {
    List<String> result = new ArrayList<>();
    for (Object o : list(value)) {
      result.add(String.valueOf(o));
    }
    return result;
  }
}
