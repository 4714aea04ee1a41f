package kr.go.procurement.platform.http;

import io.vertx.ext.web.RoutingContext;

/** Reading the parts of a request every resource API shares: the {id} path parameter and If-Match. */
public final class RequestParams {

  private RequestParams() {
  }

  /** The {id} path parameter: a positive integer, else 404 (no resource can have that id). */
  public static long id(RoutingContext ctx) {
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
  public static Integer ifMatch(RoutingContext ctx) {
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

  /** A weak ETag carrying a record's version, for clients that want optimistic locking with If-Match. */
  public static String etag(int version) {
    return "W/\"" + version + "\"";
  }
}
