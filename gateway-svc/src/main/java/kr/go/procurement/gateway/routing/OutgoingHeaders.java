package kr.go.procurement.gateway.routing;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import kr.go.procurement.platform.http.RequestId;
import kr.go.procurement.platform.identity.Identity;

/**
 * The headers a request carries to its service. What a client could use to pass for someone else, or to make the
 * services write links to another host, is removed: every {@code X-User-*}, {@code X-Forwarded-*},
 * {@code Forwarded}, {@code X-Real-IP}, the {@code Authorization} header (the services trust the identity headers,
 * and a token has no business in their logs), {@code Expect} (the body is already read) and any header the
 * {@code Connection} header names. Then the gateway writes its own: the verified {@link Identity}, the request id,
 * and {@code X-Forwarded-Proto/-Host/-For} (plus {@code -Prefix} when a trusted proxy in front set one), so that the
 * services' {@code Location} and {@code _links} point at the address the client used.
 *
 * <p>With {@code TRUST_FORWARDED_HEADERS=true} (the gateway behind an Ingress or load balancer that sets them) the
 * scheme, host and client address come from that proxy's {@code X-Forwarded-*} headers (Vert.x Web's
 * {@code allowForward}); otherwise from the gateway's own connection and the {@code Host} header.
 */
public final class OutgoingHeaders {

  public static final String FORWARDED_PREFIX = "X-Forwarded-Prefix";

  private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+)+/?");
  private static final List<String> STRIPPED_PREFIXES = List.of("x-forwarded-", Identity.HEADER_PREFIX);
  private static final List<CharSequence> STRIPPED = List.of("Forwarded", "X-Real-IP", HttpHeaders.AUTHORIZATION,
      HttpHeaders.PROXY_AUTHORIZATION, HttpHeaders.EXPECT, RequestId.HEADER);

  private final boolean trustForwarded;

  public OutgoingHeaders(boolean trustForwarded) {
    this.trustForwarded = trustForwarded;
  }

  /** Rewrites {@code headers} (a copy of the client's) for the service, for the caller {@code identity}. */
  public void apply(RoutingContext ctx, Identity identity, MultiMap headers) {
    HttpServerRequest request = ctx.request();
    String trustedPrefix = trustForwarded ? request.getHeader(FORWARDED_PREFIX) : null;

    String connection = headers.get(HttpHeaders.CONNECTION);
    if (connection != null) {
      for (String named : connection.split(",")) {
        if (!named.isBlank()) {
          headers.remove(named.trim());
        }
      }
    }
    headers.names().stream()
        .filter(name -> STRIPPED_PREFIXES.stream().anyMatch(p -> name.toLowerCase(Locale.ROOT).startsWith(p)))
        .toList()
        .forEach(headers::remove);
    STRIPPED.forEach(headers::remove);

    identity.writeTo(headers);
    headers.set(RequestId.HEADER, RequestId.of(ctx));
    headers.set("X-Forwarded-Proto", request.scheme() == null ? "http" : request.scheme());
    headers.set("X-Forwarded-Host", host(request));
    SocketAddress client = request.remoteAddress();
    if (client != null && client.hostAddress() != null) {
      headers.set("X-Forwarded-For", client.hostAddress());
    }
    if (trustedPrefix != null && PREFIX.matcher(trustedPrefix.trim()).matches()) {
      headers.set(FORWARDED_PREFIX, trustedPrefix.trim());
    }
  }

  /** {@code host[:port]} as the client addressed the gateway. */
  private static String host(HttpServerRequest request) {
    HostAndPort authority = request.authority();
    if (authority != null && authority.host() != null && !authority.host().isEmpty()) {
      return authority.port() >= 0 ? authority.host() + ":" + authority.port() : authority.host();
    }
    SocketAddress local = request.localAddress();
    return local == null ? "localhost" : local.hostAddress() + ":" + local.port();
  }
}
