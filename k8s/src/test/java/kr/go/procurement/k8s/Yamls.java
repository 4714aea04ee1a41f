package kr.go.procurement.k8s;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** YAML documents as plain maps and lists (the renderers work on those; the checks on the typed model). */
final class Yamls {

  private Yamls() {
  }

  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    return new Yaml(new SafeConstructor(options));
  }

  /** Every non-empty document of a file, as it is (maps, lists or scalars). */
  static List<Object> documents(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return documents(reader);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("Cannot parse " + file + ": " + e.getMessage(), e);
    }
  }

  static List<Object> documents(String text) {
    return documents(new java.io.StringReader(text));
  }

  private static List<Object> documents(Reader reader) {
    List<Object> docs = new ArrayList<>();
    for (Object doc : yaml().loadAll(reader)) {
      if (doc != null) {
        docs.add(doc);
      }
    }
    return docs;
  }

  /** Every document of a file, each of which must be a Kubernetes object (a map). */
  static List<Map<String, Object>> objects(Path file) {
    List<Map<String, Object>> result = new ArrayList<>();
    for (Object doc : documents(file)) {
      result.add(asMap(doc, file.toString()));
    }
    return result;
  }

  static List<Map<String, Object>> objects(String text, String origin) {
    List<Map<String, Object>> result = new ArrayList<>();
    for (Object doc : documents(text)) {
      result.add(asMap(doc, origin));
    }
    return result;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object value, String where) {
    if (!(value instanceof Map)) {
      throw new IllegalStateException(where + ": expected a mapping, got " + value);
    }
    return (Map<String, Object>) value;
  }

  /** A deep copy made of LinkedHashMaps and ArrayLists, so renderers can change it freely. */
  @SuppressWarnings("unchecked")
  static <T> T copy(T value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> result = new LinkedHashMap<>();
      map.forEach((k, v) -> result.put(String.valueOf(k), copy(v)));
      return (T) result;
    }
    if (value instanceof List<?> list) {
      List<Object> result = new ArrayList<>();
      list.forEach(v -> result.add(copy(v)));
      return (T) result;
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object v = parent.get(key);
    return v instanceof Map ? (Map<String, Object>) v : null;
  }

  static String string(Map<String, Object> parent, String key) {
    Object v = parent == null ? null : parent.get(key);
    return v == null ? null : String.valueOf(v);
  }

  static String kind(Map<String, Object> object) {
    return string(object, "kind");
  }

  static String name(Map<String, Object> object) {
    return string(map(object, "metadata"), "name");
  }

  static String namespace(Map<String, Object> object) {
    return string(map(object, "metadata"), "namespace");
  }

  /** kind/name, or kind/namespace/name: how objects are identified in messages and comparisons. */
  static String id(Map<String, Object> object) {
    String ns = namespace(object);
    return kind(object) + "/" + (ns == null ? "" : ns + "/") + name(object);
  }
}
