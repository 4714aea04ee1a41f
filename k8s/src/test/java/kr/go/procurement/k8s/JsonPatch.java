package kr.go.procurement.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** RFC 6902 JSON Patch, the operations kustomize's {@code patches} accept in a list-shaped patch: add, replace, remove. */
final class JsonPatch {

  private JsonPatch() {
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> apply(Map<String, Object> original, List<Object> operations, String origin) {
    Map<String, Object> result = Yamls.copy(original);
    for (Object o : operations) {
      Map<String, Object> op = Yamls.asMap(o, origin);
      String kind = Yamls.string(op, "op");
      List<String> path = pointer(Yamls.string(op, "path"), origin);
      if (path.isEmpty()) {
        throw new UnsupportedOperationException(origin + ": patching the whole document is not supported");
      }
      Object parent = result;
      for (String token : path.subList(0, path.size() - 1)) {
        parent = child(parent, token, origin);
      }
      String last = path.get(path.size() - 1);
      Object value = Yamls.copy(op.get("value"));
      switch (kind) {
        case "add" -> {
          if (parent instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).put(last, value);
          } else {
            List<Object> list = (List<Object>) parent;
            list.add(last.equals("-") ? list.size() : index(last, list.size() + 1, origin), value);
          }
        }
        case "replace" -> {
          if (parent instanceof Map<?, ?> m) {
            if (!m.containsKey(last)) {
              throw new IllegalStateException(origin + ": replace of a missing member " + op.get("path"));
            }
            ((Map<String, Object>) m).put(last, value);
          } else {
            List<Object> list = (List<Object>) parent;
            list.set(index(last, list.size(), origin), value);
          }
        }
        case "remove" -> {
          if (parent instanceof Map<?, ?> m) {
            if (m.remove(last) == null) {
              throw new IllegalStateException(origin + ": remove of a missing member " + op.get("path"));
            }
          } else {
            List<Object> list = (List<Object>) parent;
            list.remove(index(last, list.size(), origin));
          }
        }
        default -> throw new UnsupportedOperationException(origin + ": JSON patch op '" + kind + "' is not supported");
      }
    }
    return result;
  }

  private static Object child(Object parent, String token, String origin) {
    Object next;
    if (parent instanceof Map<?, ?> m) {
      next = m.get(token);
    } else if (parent instanceof List<?> l) {
      next = l.get(index(token, l.size(), origin));
    } else {
      next = null;
    }
    if (next == null) {
      throw new IllegalStateException(origin + ": JSON patch path goes through a missing member '" + token + "'");
    }
    return next;
  }

  private static int index(String token, int bound, String origin) {
    int i = Integer.parseInt(token);
    if (i < 0 || i >= bound) {
      throw new IllegalStateException(origin + ": index " + i + " out of range");
    }
    return i;
  }

  private static List<String> pointer(String path, String origin) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalStateException(origin + ": a JSON patch path must start with /");
    }
    List<String> tokens = new ArrayList<>();
    for (String t : path.substring(1).split("/", -1)) {
      tokens.add(t.replace("~1", "/").replace("~0", "~"));
    }
    return tokens;
  }
}
