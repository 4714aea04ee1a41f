package kr.go.procurement.management.api;

import io.vertx.ext.web.RoutingContext;
import kr.go.procurement.platform.http.Problem;

/** Small request-reading helpers shared by the handlers of this service. */
final class Requests {

  private Requests() {
  }

  /** The {id} path parameter: a positive integer, else 404 (no resource can have that id). */
  static long id(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    try {
      long id = Long.parseLong(raw);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException ignored) {
      // falls through to 404
    }
    throw Problem.notFound("No resource has id " + (raw.length() > 40 ? raw.substring(0, 40) + "…" : raw) + ".");
  }

  /** The version an {@code If-Match} header names ({@code W/"3"} or {@code "3"}), or null without one. */
  static Integer ifMatch(RoutingContext ctx) {
    String header = ctx.request().getHeader("If-Match");
    if (header == null || header.isBlank() || header.trim().equals("*")) {
      return null;
    }
    String v = header.trim();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    v = v.replace("\"", "");
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw Problem.badRequest("If-Match must be an ETag this service issued, like W/\"3\".");
    }
  }
}
