package kr.go.procurement.platform.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * HAL JSON shaped like Spring Data REST's, so clients of the original keep reading {@code _links.self.href},
 * {@code _embedded.<collection>} and {@code page}.
 *
 * <p>Links are absolute. Their base comes from the request, honouring {@code X-Forwarded-Proto},
 * {@code X-Forwarded-Host}, {@code X-Forwarded-Port} and {@code X-Forwarded-Prefix} so that, behind the gateway,
 * links point at the gateway. The services are only reachable through the gateway (or locally), which sets these
 * headers; values that do not look like a scheme, host or path are ignored rather than echoed into links.
 */
public final class Hal {

  public static final String CONTENT_TYPE = "application/hal+json";

  private static final Pattern HOST = Pattern.compile(
      "([A-Za-z0-9](?:[A-Za-z0-9.-]{0,253})|\\[[0-9A-Fa-f:.]+\\])(:\\d{1,5})?");
  private static final Pattern PORT = Pattern.compile("\\d{1,5}");
  private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+/?");

  private Hal() {
  }

  /** {@code scheme://host[:port][/prefix]} of this request as the client addressed it; no trailing slash. */
  public static String baseUrl(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String scheme = first(request.getHeader("X-Forwarded-Proto"));
    scheme = scheme == null ? null : scheme.toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      scheme = request.scheme() == null ? "http" : request.scheme();
    }

    String host = first(request.getHeader("X-Forwarded-Host"));
    if (host != null && HOST.matcher(host).matches()) {
      String port = first(request.getHeader("X-Forwarded-Port"));
      if (!hasPort(host) && port != null && PORT.matcher(port).matches()) {
        host = host + ":" + port;
      }
    } else {
      host = requestHost(request);
    }
    host = withoutDefaultPort(host, scheme);

    String prefix = first(request.getHeader("X-Forwarded-Prefix"));
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      prefix = "";
    } else if (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return scheme + "://" + host + prefix;
  }

  private static String requestHost(HttpServerRequest request) {
    HostAndPort authority = request.authority();
    if (authority != null && authority.host() != null && !authority.host().isEmpty()
        && HOST.matcher(hostText(authority.host(), authority.port())).matches()) {
      return hostText(authority.host(), authority.port());
    }
    SocketAddress local = request.localAddress();
    return local == null ? "localhost" : hostText(local.hostAddress(), local.port());
  }

  private static String hostText(String host, int port) {
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return port >= 0 ? h + ":" + port : h;
  }

  private static boolean hasPort(String host) {
    int bracket = host.lastIndexOf(']');
    return host.indexOf(':', bracket + 1) >= 0;
  }

  private static String withoutDefaultPort(String host, String scheme) {
    if ("http".equals(scheme) && host.endsWith(":80")) {
      return host.substring(0, host.length() - 3);
    }
    if ("https".equals(scheme) && host.endsWith(":443")) {
      return host.substring(0, host.length() - 4);
    }
    return host;
  }

  private static String first(String headerValue) {
    if (headerValue == null) {
      return null;
    }
    int comma = headerValue.indexOf(',');
    String value = (comma >= 0 ? headerValue.substring(0, comma) : headerValue).trim();
    return value.isEmpty() ? null : value;
  }

  /** {@code {"href": url}}. */
  public static JsonObject link(String href) {
    return new JsonObject().put("href", href);
  }

  /** Adds {@code _links.self} to {@code body} (in place, and returns it). */
  public static JsonObject resource(RoutingContext ctx, JsonObject body, String selfPath) {
    return resource(baseUrl(ctx), body, selfPath, null);
  }

  /**
   * Adds {@code _links.self} and, like Spring Data REST, a second link named after the resource ({@code rel}, e.g.
   * {@code "deliveryRequest"}) with the same URL. Modifies {@code body} and returns it.
   */
  public static JsonObject resource(RoutingContext ctx, JsonObject body, String selfPath, String rel) {
    return resource(baseUrl(ctx), body, selfPath, rel);
  }

  /** As {@link #resource(RoutingContext, JsonObject, String, String)} with an explicit base (no request at hand). */
  public static JsonObject resource(String baseUrl, JsonObject body, String selfPath, String rel) {
    String href = absolute(baseUrl, selfPath);
    JsonObject links = new JsonObject().put("self", link(href));
    if (rel != null && !rel.equals("self")) {
      links.put(rel, link(href));
    }
    body.remove("_links");
    return body.put("_links", links);
  }

  /** {@code path} resolved against {@code baseUrl}; an absolute URL is returned unchanged. */
  public static String absolute(String baseUrl, String path) {
    if (path.startsWith("http://") || path.startsWith("https://")) {
      return path;
    }
    return baseUrl + (path.startsWith("/") ? path : "/" + path);
  }

  /**
   * A Spring-Data-REST-style page of a collection: {@code _embedded.<collection>}, {@code _links} (self, and first,
   * prev, next, last where they make sense, and search) and {@code page}. Links keep the request's other query
   * parameters (filters) and carry {@code page}, {@code size} and {@code sort}.
   *
   * @param items the page's resources, each already carrying its {@code _links}
   */
  public static JsonObject collection(RoutingContext ctx, String collection, List<JsonObject> items,
                                      PageRequest page, long totalElements) {
    String base = baseUrl(ctx);
    String path = base + ctx.request().path();
    String filters = otherQueryParams(ctx.queryParams());
    boolean sortRequested = ctx.queryParam("sort").stream().anyMatch(v -> !v.isBlank());
    long totalPages = totalPages(totalElements, page.size());

    JsonObject links = new JsonObject();
    boolean hasPrevious = page.page() > 0;
    boolean hasNext = page.page() + 1L < totalPages;
    if (hasPrevious || hasNext) {
      links.put("first", link(pageUrl(path, filters, 0, page, sortRequested)));
    }
    if (hasPrevious) {
      links.put("prev", link(pageUrl(path, filters, page.page() - 1L, page, sortRequested)));
    }
    links.put("self", link(pageUrl(path, filters, page.page(), page, sortRequested)));
    if (hasNext) {
      links.put("next", link(pageUrl(path, filters, page.page() + 1L, page, sortRequested)));
    }
    if (hasPrevious || hasNext) {
      links.put("last", link(pageUrl(path, filters, Math.max(totalPages - 1, 0), page, sortRequested)));
    }
    links.put("search", link(base + "/" + collection + "/search"));

    return new JsonObject()
        .put("_embedded", new JsonObject().put(collection, new JsonArray(new java.util.ArrayList<Object>(items))))
        .put("_links", links)
        .put("page", new JsonObject()
            .put("size", page.size())
            .put("totalElements", totalElements)
            .put("totalPages", totalPages)
            .put("number", page.page()));
  }

  /** {@code ceil(totalElements / size)}; 0 for an empty collection, as Spring reports it. */
  public static long totalPages(long totalElements, int size) {
    return totalElements <= 0 ? 0 : (totalElements + size - 1) / size;
  }

  private static String pageUrl(String path, String filters, long number, PageRequest page, boolean withSort) {
    StringBuilder url = new StringBuilder(path).append('?');
    if (!filters.isEmpty()) {
      url.append(filters).append('&');
    }
    url.append("page=").append(number).append("&size=").append(page.size());
    if (withSort) {
      url.append("&sort=").append(encode(page.sortParam()));
    }
    return url.toString();
  }

  private static String otherQueryParams(MultiMap params) {
    StringBuilder query = new StringBuilder();
    for (Map.Entry<String, String> e : params) {
      String name = e.getKey();
      if (name.equals("page") || name.equals("size") || name.equals("sort")) {
        continue;
      }
      if (query.length() > 0) {
        query.append('&');
      }
      query.append(encode(name)).append('=').append(encode(e.getValue()));
    }
    return query.toString();
  }

  /** Query encoding (spaces as %20); commas stay readable as in Spring's links ({@code sort=procNo,desc}). */
  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%2C", ",");
  }
}
