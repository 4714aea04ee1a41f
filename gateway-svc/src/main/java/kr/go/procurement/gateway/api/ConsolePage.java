package kr.go.procurement.gateway.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web console: static files from the classpath folder {@code console/} (plain HTML, CSS and JavaScript modules,
 * no build step), open without a token like health and metrics. {@code GET /} is its {@code index.html};
 * {@code GET /console/*} its assets. The console itself calls the API with the user's bearer token; nothing here
 * lets anyone past the gateway's authentication.
 *
 * <p>Caching: the page is {@code no-cache} (always revalidated, so a new release is picked up at once); the assets
 * are cached for {@link #ASSET_MAX_AGE_SECONDS} and then revalidated with {@code If-Modified-Since} (304). They are
 * not fingerprinted, so they are not {@code immutable}. A response of a missing asset falls through to the API
 * routes, which answer 404 problem+json.
 */
public final class ConsolePage {

  public static final String ASSETS = "/console/";
  static final int ASSET_MAX_AGE_SECONDS = 300;
  private static final String WEB_ROOT = "console";
  /** Only this origin's scripts, styles and API; no inline script, no framing. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private ConsolePage() {
  }

  /** Mounts {@code GET|HEAD /} and {@code GET|HEAD /console/*}; call before the authenticated routes. */
  public static void mount(Router router) {
    StaticHandler page = StaticHandler.create(WEB_ROOT)
        .setIndexPage("index.html")
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        .setDefaultContentEncoding("UTF-8")
        .setCachingEnabled(true)
        .setMaxAgeSeconds(ASSET_MAX_AGE_SECONDS);
    router.route("/").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(ctx -> headers(ctx, "no-cache"))
        .handler(page);
    router.route(ASSETS + "*").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(ctx -> headers(ctx, "public, max-age=" + ASSET_MAX_AGE_SECONDS))
        .handler(StaticHandler.create(WEB_ROOT)
            .setDirectoryListing(false)
            .setIncludeHidden(false)
            .setDefaultContentEncoding("UTF-8")
            .setCachingEnabled(true)
            .setMaxAgeSeconds(ASSET_MAX_AGE_SECONDS));
  }

  private static void headers(RoutingContext ctx, String cacheControl) {
    ctx.addHeadersEndHandler(v -> {
      if (ctx.response().getStatusCode() < 400) {
        ctx.response().headers()
            .set(HttpHeaders.CACHE_CONTROL, cacheControl)
            .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            .set("X-Content-Type-Options", "nosniff")
            .set("Referrer-Policy", "no-referrer");
      }
    });
    ctx.next();
  }
}
