package kr.go.procurement.platform.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Success responses in the shape Spring Data REST gave: resources and collections as {@code application/hal+json},
 * bodies serialised as UTF-8 (JSON's only encoding, so Korean text round-trips byte for byte).
 */
public final class Responses {

  public static final String JSON = "application/json";

  private Responses() {
  }

  /** 200 with a HAL resource or collection. */
  public static Future<Void> ok(RoutingContext ctx, JsonObject body) {
    return send(ctx, 200, Hal.CONTENT_TYPE, body);
  }

  /**
   * 201 with {@code Location} (made absolute against {@link Hal#baseUrl}, as Spring Data REST answers) and the
   * created resource.
   */
  public static Future<Void> created(RoutingContext ctx, String path, JsonObject body) {
    ctx.response().putHeader(HttpHeaders.LOCATION, Hal.absolute(Hal.baseUrl(ctx), path));
    return send(ctx, 201, Hal.CONTENT_TYPE, body);
  }

  /** 204 with no body (a cancel, a delete). */
  public static Future<Void> noContent(RoutingContext ctx) {
    ctx.response().headers().remove(HttpHeaders.CONTENT_TYPE);
    return ctx.response().setStatusCode(204).end();
  }

  /** Any status with a plain {@code application/json} body (not a HAL resource: health, internal calls, ...). */
  public static Future<Void> json(RoutingContext ctx, int status, JsonObject body) {
    return send(ctx, status, JSON, body);
  }

  private static Future<Void> send(RoutingContext ctx, int status, String contentType, JsonObject body) {
    return ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
        .end(body.toBuffer());
  }
}
