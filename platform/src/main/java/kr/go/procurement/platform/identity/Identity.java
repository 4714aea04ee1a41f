package kr.go.procurement.platform.identity;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import kr.go.procurement.platform.http.Problem;

/**
 * Who is calling, as the gateway verified it from the caller's token, carried to the services in three headers:
 * {@value #USER_ID_HEADER}, {@value #ROLES_HEADER} (comma-separated {@linkplain Role#wireName() wire names}) and
 * {@value #COMPANY_HEADER}.
 *
 * <p>The gateway removes every {@code X-User-*} header a client sends and writes these from the verified token
 * ({@link #writeTo}), so a service behind it can trust them ({@link #of}). Without them (a direct call on the
 * service's own port, as the original's scripts make locally) the caller is {@linkplain #ANONYMOUS anonymous} and
 * unrestricted: the services are reachable only through the gateway outside a developer's machine.
 *
 * @param userId  the token's subject, or null
 * @param roles   the known roles (unknown names are dropped)
 * @param company the supplier's {@code companyNo}, or null
 */
public record Identity(String userId, Set<Role> roles, String company) {

  public static final String USER_ID_HEADER = "X-User-Id";
  public static final String ROLES_HEADER = "X-User-Roles";
  public static final String COMPANY_HEADER = "X-User-Company";

  /** Every identity header starts with this (lower case); the gateway strips all of them from client requests. */
  public static final String HEADER_PREFIX = "x-user-";

  /** No identity headers at all. */
  public static final Identity ANONYMOUS = new Identity(null, Set.of(), null);

  public Identity {
    userId = blankToNull(userId);
    company = blankToNull(company);
    roles = roles == null || roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
  }

  /** The identity the gateway forwarded with this request. */
  public static Identity of(RoutingContext ctx) {
    return fromHeaders(ctx.request().headers());
  }

  public static Identity fromHeaders(MultiMap headers) {
    String roles = headers.get(ROLES_HEADER);
    return new Identity(headers.get(USER_ID_HEADER),
        roles == null ? Set.of() : Arrays.stream(roles.split(","))
            .map(Role::fromWireName)
            .flatMap(java.util.Optional::stream)
            .collect(Collectors.toSet()),
        headers.get(COMPANY_HEADER));
  }

  /**
   * Removes every {@code X-User-*} header from {@code headers} and writes this identity's (absent values are left
   * out, so nothing a client sent survives).
   */
  public MultiMap writeTo(MultiMap headers) {
    headers.names().stream()
        .filter(name -> name.regionMatches(true, 0, HEADER_PREFIX, 0, HEADER_PREFIX.length()))
        .toList()
        .forEach(headers::remove);
    if (userId != null) {
      headers.set(USER_ID_HEADER, userId);
    }
    if (!roles.isEmpty()) {
      headers.set(ROLES_HEADER, roles.stream().map(Role::wireName).collect(Collectors.joining(",")));
    }
    if (company != null) {
      headers.set(COMPANY_HEADER, company);
    }
    return headers;
  }

  public boolean has(Role role) {
    return roles.contains(Objects.requireNonNull(role));
  }

  /** A supplier officer (and not an administrator) sees and acts on its own company's rows only. */
  public boolean isSupplierOnly() {
    return has(Role.SUPPLIER) && !has(Role.ADMIN);
  }

  /**
   * The company this caller is confined to, or null when unrestricted.
   *
   * @throws Problem 403 for a supplier whose identity names no company: it could see nothing, and that is a
   *                 misconfigured account, better said plainly than answered with empty lists
   */
  public String companyScope() {
    if (!isSupplierOnly()) {
      return null;
    }
    if (company == null) {
      throw Problem.forbidden("Your supplier account is not bound to a company.");
    }
    return company;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
