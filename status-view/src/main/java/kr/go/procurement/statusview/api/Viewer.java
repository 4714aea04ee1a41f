package kr.go.procurement.statusview.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import kr.go.procurement.platform.identity.Identity;
import kr.go.procurement.platform.identity.Role;

/**
 * Who is reading, as the gateway forwards it (the platform's {@link Identity}), and what that lets them see of the
 * board. Without identity headers (a direct call inside the cluster or on the local stack) everything is visible.
 *
 * <p>A supplier who is not also an admin sees only its own company's procurements: lists, searches, single
 * documents (another company's is a 404, not a 403, so its existence is not revealed) and the stream.
 *
 * @param company the only companyNo this reader may see, or null for no restriction
 */
record Viewer(String company, Identity identity) {

  static Viewer of(RoutingContext ctx) {
    Identity identity = Identity.of(ctx);
    return new Viewer(identity.companyScope(), identity);
  }

  boolean isAdmin() {
    return identity.has(Role.ADMIN);
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
    return filter.isEmpty() ? own : new JsonObject().put("$and", new JsonArray().add(filter).add(own));
  }

  boolean maySee(JsonObject document) {
    return company == null || company.equals(document.getString("companyNo"));
  }
}
