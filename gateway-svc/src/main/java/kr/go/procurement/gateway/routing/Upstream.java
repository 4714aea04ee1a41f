package kr.go.procurement.gateway.routing;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where one service listens: {@code http[s]://host[:port]} from its {@code *_URL} variable. The address stays in
 * the gateway; clients only ever see {@link Service#serviceName()}.
 */
public record Upstream(Service service, String host, int port, boolean ssl) {

  /**
   * @throws IllegalArgumentException naming the variable when the URL is not {@code http[s]://host[:port]} (a path
   *                                  would be silently dropped, so it is refused too)
   */
  public static Upstream parse(Service service, String url) {
    String problem = service.urlVariable() + " must look like http://host:port, got '" + url + "'";
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(problem);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean ssl = scheme.equals("https");
    if (!ssl && !scheme.equals("http") || uri.getHost() == null
        || uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
        || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(problem);
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : ssl ? 443 : 80;
    return new Upstream(service, uri.getHost(), port, ssl);
  }

  public String name() {
    return service.serviceName();
  }
}
