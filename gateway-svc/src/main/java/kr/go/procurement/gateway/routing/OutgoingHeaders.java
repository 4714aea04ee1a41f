package kr.go.procurement.gateway.routing;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import kr.go.procurement.platform.http.RequestId;
import kr.go.procurement.platform.identity.Identity;
import kr.go.procurement.platform.identity.Role;

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
  private static final String[] STRIPPED_PREFIXES = {"x-forwarded-", Identity.HEADER_PREFIX};
  // Header names as AsciiStrings (createOptimized): their hash is computed once, not on every lookup.
  private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized(RequestId.HEADER);
  private static final CharSequence[] STRIPPED = {HttpHeaders.createOptimized("Forwarded"),
      HttpHeaders.createOptimized("X-Real-IP"), HttpHeaders.AUTHORIZATION, HttpHeaders.PROXY_AUTHORIZATION,
      HttpHeaders.EXPECT, REQUEST_ID};
  private static final CharSequence USER_ID = HttpHeaders.createOptimized(Identity.USER_ID_HEADER);
  private static final CharSequence ROLES_HEADER = HttpHeaders.createOptimized(Identity.ROLES_HEADER);
  private static final CharSequence COMPANY = HttpHeaders.createOptimized(Identity.COMPANY_HEADER);
  private static final CharSequence FORWARDED_PROTO = HttpHeaders.createOptimized("X-Forwarded-Proto");
  private static final CharSequence FORWARDED_HOST = HttpHeaders.createOptimized("X-Forwarded-Host");
  private static final CharSequence FORWARDED_FOR = HttpHeaders.createOptimized("X-Forwarded-For");
  private static final Role[] ROLES = Role.values();
  /**
   * {@link Identity#ROLES_HEADER} for every set of roles, indexed by the set's bits ({@code 1 << ordinal}): what
   * {@link Identity#writeTo} writes (wire names in declaration order, comma-separated), made once.
   */
  private static final String[] ROLES_HEADER_VALUES = rolesHeaderValues();

  private final boolean trustForwarded;

  public OutgoingHeaders(boolean trustForwarded) {
    this.trustForwarded = trustForwarded;
  }

  /**
   * Rewrites {@code headers} (a copy of the client's, perhaps already without the hop-by-hop ones) for the service,
   * for the caller {@code identity}. The headers {@code Connection} names are those of the client's request.
   */
  public void apply(RoutingContext ctx, Identity identity, MultiMap headers) {
    HttpServerRequest request = ctx.request();
    String trustedPrefix = trustForwarded ? request.getHeader(FORWARDED_PREFIX) : null;

    String connection = request.getHeader(HttpHeaders.CONNECTION);
    if (connection != null) {
      for (String named : connection.split(",")) {
        if (!named.isBlank()) {
          headers.remove(named.trim());
        }
      }
    }
    // One pass over the entries: names() would build a sorted set of every name first.
    List<String> prefixed = null;
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey();
      if (hasStrippedPrefix(name)) {
        if (prefixed == null) {
          prefixed = new ArrayList<>(4);
        }
        prefixed.add(name);
      }
    }
    if (prefixed != null) {
      for (String name : prefixed) {
        headers.remove(name);
      }
    }
    for (CharSequence name : STRIPPED) {
      headers.remove(name);
    }

    // Identity.writeTo, less its own removal of X-User-* (done above).
    if (identity.userId() != null) {
      headers.set(USER_ID, identity.userId());
    }
    if (!identity.roles().isEmpty()) {
      headers.set(ROLES_HEADER, rolesHeader(identity.roles()));
    }
    if (identity.company() != null) {
      headers.set(COMPANY, identity.company());
    }
    headers.set(REQUEST_ID, RequestId.of(ctx));
    headers.set(FORWARDED_PROTO, request.scheme() == null ? "http" : request.scheme());
    headers.set(FORWARDED_HOST, host(request));
    SocketAddress client = request.remoteAddress();
    if (client != null && client.hostAddress() != null) {
      headers.set(FORWARDED_FOR, client.hostAddress());
    }
    if (trustedPrefix != null && PREFIX.matcher(trustedPrefix.trim()).matches()) {
      headers.set(FORWARDED_PREFIX, trustedPrefix.trim());
    }
  }

  /** Header names are ASCII tokens (the HTTP decoder refuses others): a case-insensitive prefix test suffices. */
  private static boolean hasStrippedPrefix(String name) {
    for (String prefix : STRIPPED_PREFIXES) {
      if (name.regionMatches(true, 0, prefix, 0, prefix.length())) {
        return true;
      }
    }
    return false;
  }

  static String rolesHeader(Set<Role> roles) {
    int bits = 0;
    for (Role role : roles) {
      bits |= 1 << role.ordinal();
    }
    return ROLES_HEADER_VALUES[bits];
  }

  private static String[] rolesHeaderValues() {
    String[] values = new String[1 << ROLES.length];
    for (int bits = 0; bits < values.length; bits++) {
      StringJoiner joined = new StringJoiner(",");
      for (Role role : ROLES) {
        if ((bits & 1 << role.ordinal()) != 0) {
          joined.add(role.wireName());
        }
      }
      values[bits] = joined.toString();
    }
    return values;
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
