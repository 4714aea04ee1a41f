package kr.go.procurement.statusview.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import kr.go.procurement.platform.http.Problem;

/**
 * Who is reading, as the gateway forwards it ({@code X-User-Roles}, comma or space separated, and
 * {@code X-User-Company}). The gateway strips these headers from clients and sets them from the verified token;
 * without them (a direct call inside the cluster or on the local stack) everything is visible.
 *
 * <p>A supplier who is not also an admin sees only its own company's procurements: lists, searches, single
 * documents (another company's is a 404, not a 403, so its existence is not revealed) and the stream.
 *
 * @param company the only companyNo this reader may see, or null for no restriction
 */
record Viewer(String company, Set<String> roles) {

  static final String ROLES_HEADER = "X-User-Roles";
  static final String COMPANY_HEADER = "X-User-Company";

  static Viewer of(RoutingContext ctx) {
    Set<String> roles = roles(ctx);
    if (roles.contains("supplier") && !roles.contains("admin")) {
      String company = ctx.request().getHeader(COMPANY_HEADER);
      if (company == null || company.isBlank()) {
        throw Problem.forbidden("A supplier identity must name its company.");
      }
      return new Viewer(company.trim(), roles);
    }
    return new Viewer(null, roles);
  }

  private static Set<String> roles(RoutingContext ctx) {
    String header = ctx.request().getHeader(ROLES_HEADER);
    if (header == null || header.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(header.split("[,\\s]+")).filter(s -> !s.isBlank())
        .map(s -> s.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }

  boolean isAdmin() {
    return roles.contains("admin");
  }

  boolean restricted() {
    return company != null;
  }

  /** {@code filter} narrowed to what this reader may see. */
  JsonObject restrict(JsonObject filter) {
    if (company == null) {
      return filter;
    }
    JsonObject own = new JsonObject().put("companyNo", company);
    return filter.isEmpty() ? own : new JsonObject().put("$and", new io.vertx.core.json.JsonArray().add(filter).add(own));
  }

  boolean maySee(JsonObject document) {
    return company == null || company.equals(document.getString("companyNo"));
  }
}
