package kr.go.procurement.gateway.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /}: where the web console will be; until then a page that says so. */
public final class ConsolePage {

  private static final String HTML = """
      <!doctype html>
      <html lang="ko"><head><meta charset="utf-8"><title>조달 납품 gateway</title></head>
      <body><h1>조달 납품 gateway</h1>
      <p>The web console (납품현황조회 and each role's commands) comes in a later release.
      Until then use the REST API on this address with a bearer token.</p>
      </body></html>
      """;

  private ConsolePage() {
  }

  public static void handle(RoutingContext ctx) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .end(HTML);
  }
}
