package kr.go.procurement.delivery.api;

import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import kr.go.procurement.platform.http.Problem;

/**
 * Who is calling, as the gateway verified it: {@code X-User-Id}, {@code X-User-Roles} (comma-separated) and
 * {@code X-User-Company}. The gateway strips these headers from what clients send, so they can be trusted here.
 * Without them (a direct call, the original's scripts) the caller is unrestricted.
 *
 * @param roles lower-case role names
 */
record Caller(String userId, Set<String> roles, String company) {

  static Caller of(RoutingContext ctx) {
    String roles = ctx.request().getHeader("X-User-Roles");
    String company = ctx.request().getHeader("X-User-Company");
    return new Caller(ctx.request().getHeader("X-User-Id"),
        roles == null ? Set.of() : Arrays.stream(roles.split(","))
            .map(r -> r.trim().toLowerCase(Locale.ROOT))
            .filter(r -> !r.isEmpty())
            .collect(Collectors.toUnmodifiableSet()),
        company == null || company.isBlank() ? null : company.trim());
  }

  /** A supplier officer (and not an administrator) sees and acts on its own company's rows only. */
  boolean isSupplierOnly() {
    return roles.contains("supplier") && !roles.contains("admin");
  }

  /**
   * The company this caller is confined to, or null when unrestricted.
   *
   * @throws Problem 403 for a supplier whose identity names no company (it could see nothing, and that is a
   *                 misconfigured account, better said plainly than answered with empty lists)
   */
  String companyScope() {
    if (!isSupplierOnly()) {
      return null;
    }
    if (company == null) {
      throw Problem.forbidden("Your supplier account is not bound to a company.");
    }
    return company;
  }
}
