package kr.go.procurement.gateway.routing;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where one service listens: one or more instances, {@code http[s]://host[:port]} each, from its {@code *_URL}
 * variable (comma-separated for several). The addresses stay in the gateway; clients only ever see
 * {@link Service#serviceName()}. In Kubernetes the variable names the Service, one address that Kubernetes
 * balances; outside it, the list names every instance and the gateway balances over the ready ones.
 */
public record Upstream(Service service, List<Instance> instances, boolean ssl) {

  /** One instance of the service. */
  public record Instance(String host, int port) {
  }

  public Upstream {
    if (instances.isEmpty()) {
      throw new IllegalArgumentException(service.urlVariable() + " names no instance");
    }
    instances = List.copyOf(instances);
  }

  /** A service with one instance. */
  public Upstream(Service service, String host, int port, boolean ssl) {
    this(service, List.of(new Instance(host, port)), ssl);
  }

  /**
   * @throws IllegalArgumentException naming the variable when an entry is not {@code http[s]://host[:port]} (a
   *                                  path would be silently dropped, so it is refused too) or the entries mix
   *                                  {@code http} and {@code https}
   */
  public static Upstream parse(Service service, String urls) {
    List<Instance> instances = new ArrayList<>();
    Boolean ssl = null;
    for (String url : urls.split(",")) {
      if (url.isBlank()) {
        continue;
      }
      String problem = service.urlVariable() + " must look like http://host:port (several separated by commas), got '"
          + url.trim() + "'";
      URI uri;
      try {
        uri = new URI(url.trim());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(problem);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean https = scheme.equals("https");
      if (!https && !scheme.equals("http") || uri.getHost() == null
          || uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
          || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
        throw new IllegalArgumentException(problem);
      }
      if (ssl != null && ssl != https) {
        throw new IllegalArgumentException(service.urlVariable() + " mixes http and https instances");
      }
      ssl = https;
      instances.add(new Instance(uri.getHost(), uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80));
    }
    if (ssl == null) {
      throw new IllegalArgumentException(service.urlVariable() + " must look like http://host:port, got '" + urls
          + "'");
    }
    return new Upstream(service, instances, ssl);
  }

  public String name() {
    return service.serviceName();
  }

  /** The first instance's host: what the service is called in {@code Host}. */
  public String host() {
    return instances.get(0).host();
  }

  public int port() {
    return instances.get(0).port();
  }
}
