package kr.go.procurement.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as the kubelet builds it: {@code envFrom} sources in order, then {@code env} entries in
 * order, each value expanding {@code $(VAR)} with the variables defined before it. Values the rendering does not
 * hold (a Secret created outside the repository, a field reference) are known by name only.
 */
final class ContainerEnv {

  /** Stands for a value this rendering cannot know; looks like a plain word so URLs around it still parse. */
  static final String UNKNOWN = "unknownvalue";

  /** One variable: its value ({@link #UNKNOWN} when not in the rendering) and where it comes from. */
  record Value(String name, String value, String source) {
  }

  /** A Secret key a container references, and whether this rendering holds it. */
  record SecretRef(String secret, String key, boolean rendered) {
  }

  private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private final Map<String, Value> vars = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();
  private final Set<String> referenced = new LinkedHashSet<>();
  private final List<SecretRef> secretRefs = new ArrayList<>();

  /**
   * @param secretsOutside true when Secrets are created outside the repository (prod): a reference to a Secret
   *                       that is not rendered is then expected rather than a problem
   */
  ContainerEnv(Container container, Manifests m, boolean secretsOutside) {
    String where = "container " + container.getName();
    for (EnvFromSource from : nullSafe(container.getEnvFrom())) {
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      if (from.getConfigMapRef() != null) {
        String name = from.getConfigMapRef().getName();
        Optional<ConfigMap> cm = m.configMap(name);
        if (cm.isEmpty()) {
          if (!Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
            problems.add(where + ": envFrom ConfigMap " + name + " is not in the rendering");
          }
          continue;
        }
        Map<String, String> data = cm.get().getData() == null ? Map.of() : cm.get().getData();
        data.forEach((k, v) -> define(prefix + k, v, "ConfigMap " + name, where));
      } else if (from.getSecretRef() != null) {
        problems.add(where + ": envFrom Secret " + from.getSecretRef().getName() + " hides which variables it sets; "
            + "reference each key with secretKeyRef");
      }
    }
    for (EnvVar e : nullSafe(container.getEnv())) {
      EnvVarSource from = e.getValueFrom();
      if (from == null) {
        define(e.getName(), expand(e.getName(), e.getValue() == null ? "" : e.getValue(), where), "value", where);
      } else if (from.getConfigMapKeyRef() != null) {
        String cm = from.getConfigMapKeyRef().getName();
        String key = from.getConfigMapKeyRef().getKey();
        Optional<String> v = m.configMap(cm).map(c -> c.getData() == null ? null : c.getData().get(key));
        if (v.isEmpty() && !Boolean.TRUE.equals(from.getConfigMapKeyRef().getOptional())) {
          problems.add(where + ": " + e.getName() + " refers to ConfigMap " + cm + " key " + key
              + ", which is not in the rendering");
        }
        define(e.getName(), v.orElse(UNKNOWN), "ConfigMap " + cm + "/" + key, where);
      } else if (from.getSecretKeyRef() != null) {
        String secret = from.getSecretKeyRef().getName();
        String key = from.getSecretKeyRef().getKey();
        Optional<String> v = m.secretValue(secret, key);
        secretRefs.add(new SecretRef(secret, key, v.isPresent()));
        if (v.isEmpty() && (!secretsOutside || m.secret(secret).isPresent())) {
          problems.add(where + ": " + e.getName() + " refers to Secret " + secret + " key " + key
              + ", which is not in the rendering");
        }
        define(e.getName(), v.orElse(UNKNOWN), "Secret " + secret + "/" + key, where);
      } else {
        define(e.getName(), UNKNOWN, "field reference", where);
      }
    }
  }

  private void define(String name, String value, String source, String where) {
    Value before = vars.put(name, new Value(name, value, source));
    if (before != null) {
      problems.add(where + ": " + name + " is defined twice (" + before.source() + ", then " + source
          + "); the last one silently wins");
    }
  }

  private String expand(String name, String value, String where) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group(1) == null) {
        replacement = "$";
      } else if (vars.containsKey(m.group(1))) {
        referenced.add(m.group(1));
        replacement = vars.get(m.group(1)).value();
      } else {
        problems.add(where + ": " + name + " uses $(" + m.group(1) + "), which is not defined before it "
            + "(Kubernetes would leave the text as it is)");
        replacement = m.group();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  Map<String, Value> vars() {
    return vars;
  }

  Optional<String> value(String name) {
    Value v = vars.get(name);
    return v == null ? Optional.empty() : Optional.of(v.value());
  }

  boolean isSet(String name) {
    Value v = vars.get(name);
    return v != null && !v.value().isBlank();
  }

  /** Variables other variables use through $(NAME): helpers, not read by the code themselves. */
  Set<String> referenced() {
    return referenced;
  }

  List<String> problems() {
    return problems;
  }

  List<SecretRef> secretRefs() {
    return secretRefs;
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
