package kr.go.procurement.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network addresses in a configuration value. Only variables named as addresses count — {@code *_URL},
 * {@code *_URI}, {@code *_SERVERS}, {@code *_HOST} (the naming of docs/service-environment.md) — so that an
 * identifier that looks like a URL (JWT_ISSUER) is not taken for a call. Values: URLs
 * ({@code http://management-svc:8080}, {@code mongodb://user:pw@host1:27017,host2:27017/?opts}), host:port lists
 * ({@code KAFKA_BOOTSTRAP_SERVERS}) and a {@code *_HOST} with its {@code *_PORT}.
 */
final class Addresses {

  record HostPort(String host, int port) {
  }

  private static final Pattern URL = Pattern.compile("^([a-z][a-z0-9+.-]*)://([^/?#]*)");
  private static final Pattern HOST_PORT_LIST = Pattern.compile("^[A-Za-z0-9.-]+:\\d+(,[A-Za-z0-9.-]+:\\d+)*$");
  private static final Map<String, Integer> DEFAULT_PORTS = Map.of("http", 80, "https", 443, "mongodb", 27017);

  private Addresses() {
  }

  /**
   * @param env the container's environment, for a {@code *_HOST}'s {@code *_PORT} (null: none)
   */
  static List<HostPort> parse(String variable, String value, ContainerEnv env) {
    List<HostPort> result = new ArrayList<>();
    boolean address = variable.endsWith("_URL") || variable.endsWith("_URI") || variable.endsWith("_SERVERS")
        || variable.endsWith("_HOST");
    if (!address || value == null || value.isBlank() || value.equals(ContainerEnv.UNKNOWN)) {
      return result;
    }
    Matcher url = URL.matcher(value.trim());
    if (url.find()) {
      String authority = url.group(2);
      authority = authority.substring(authority.lastIndexOf('@') + 1);
      int def = DEFAULT_PORTS.getOrDefault(url.group(1), -1);
      for (String hp : authority.split(",")) {
        result.add(hostPort(hp, def));
      }
      return result;
    }
    if (variable.endsWith("_SERVERS") || HOST_PORT_LIST.matcher(value.trim()).matches()) {
      for (String hp : value.trim().split(",")) {
        result.add(hostPort(hp.trim(), -1));
      }
      return result;
    }
    if (variable.endsWith("_HOST") && env != null) {
      String portVar = variable.substring(0, variable.length() - 5) + "_PORT";
      env.value(portVar).flatMap(Checks::integer).ifPresent(p -> result.add(new HostPort(value.trim(), p)));
    }
    return result;
  }

  private static HostPort hostPort(String text, int defaultPort) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      return new HostPort(text, defaultPort);
    }
    return new HostPort(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
  }
}
