package kr.go.procurement.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.AllowForwardHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.Set;
import kr.go.procurement.gateway.api.AccessLog;
import kr.go.procurement.gateway.api.ApiRoutes;
import kr.go.procurement.gateway.api.ConsolePage;
import kr.go.procurement.gateway.auth.Authentication;
import kr.go.procurement.gateway.auth.LocalTokens;
import kr.go.procurement.gateway.auth.TokenVerifier;
import kr.go.procurement.gateway.limit.RateLimitHandler;
import kr.go.procurement.gateway.limit.RateLimiter;
import kr.go.procurement.gateway.routing.OutgoingHeaders;
import kr.go.procurement.gateway.routing.ReverseProxy;
import kr.go.procurement.gateway.routing.RouteTable;
import kr.go.procurement.platform.health.Readiness;
import kr.go.procurement.platform.http.HttpServers;
import kr.go.procurement.platform.http.Problems;
import kr.go.procurement.platform.http.RequestId;
import kr.go.procurement.platform.metrics.Metrics;
import kr.go.procurement.platform.runtime.Lifecycle;

/**
 * gateway-svc: the single entry point. In order, for every request: request id, access log, CORS (when configured);
 * the open routes ({@code /health/*}, {@code /metrics}, the web console at {@code /} and {@code /console/*}); then the bearer token is read, the caller's
 * bucket charged (429), and the {@link RouteTable} decides (404/405/401/403) before the request is forwarded.
 *
 * <p>It does not use {@code HttpServers.router}: that router reads every request body up front, and here a body
 * is read only after the caller has been let in.
 */
public final class GatewayVerticle extends VerticleBase {

  private final GatewayConfig config;
  private TokenVerifier verifier;
  private ReverseProxy proxy;
  private HttpServer server;
  private long evictionTimer = -1;

  public GatewayVerticle(GatewayConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    Readiness readiness = Readiness.create(vertx);
    MeterRegistry meters = Metrics.registry();
    verifier = TokenVerifier.create(vertx, config.jwt());
    readiness.register("token-keys", () -> verifier.keysLoaded() ? Future.succeededFuture()
        : Future.failedFuture("the identity provider's keys are not loaded"));
    proxy = new ReverseProxy(vertx, config.upstreams(), config.upstreamTimeout(), config.upstreamPoolSize(),
        config.streamPoolSize(), meters);

    Router router = Router.router(vertx);
    if (config.trustForwardedHeaders()) {
      router.allowForward(AllowForwardHeaders.X_FORWARD);
    }
    router.route().handler(RequestId.handler());
    router.route().handler(HttpServers::rejectMalformedPath);
    if (config.accessLog()) {
      router.route().handler(AccessLog::handle);
    }
    if (!config.corsAllowedOrigins().isEmpty()) {
      router.route().handler(CorsHandler.create()
          .addOrigins(config.corsAllowedOrigins())
          .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PATCH, HttpMethod.DELETE))
          .allowedHeaders(Set.of("Authorization", "Content-Type", "If-Match", RequestId.HEADER))
          .exposedHeaders(Set.of("Location", "ETag", RequestId.HEADER, "Retry-After", "WWW-Authenticate"))
          .maxAgeSeconds(600));
    }
    router.get("/health/live").handler(Readiness.liveHandler());
    router.get("/health/ready").handler(readiness.readyHandler());
    router.get("/metrics").handler(Metrics.scrapeHandler());
    ConsolePage.mount(router);

    router.route().handler(new Authentication(verifier, meters)::handle);
    if (config.rateLimitPerSecond() > 0) {
      RateLimiter limiter = new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst());
      meters.gauge("gateway.rate.limit.buckets", limiter, RateLimiter::size);
      evictionTimer = vertx.setPeriodic(60_000, id -> limiter.evictIdle());
      router.route().handler(new RateLimitHandler(limiter, meters)::handle);
    }
    if (config.localTokens()) {
      router.post(LocalTokens.PATH)
          .handler(BodyHandler.create(false).setBodyLimit(HttpServers.BODY_LIMIT).setHandleFileUploads(false))
          .handler(new LocalTokens(vertx, config.jwt())::handle);
    }
    new ApiRoutes(RouteTable.CONTRACT, proxy, new OutgoingHeaders(config.trustForwardedHeaders())).mount(router);
    router.route().failureHandler(ctx -> {
      // A request held back while keys were fetched is refused without reading its body: let it drain.
      if (!ctx.request().isEnded()) {
        ctx.request().resume();
      }
      ctx.next();
    });
    Problems.install(router);

    return HttpServers.listen(vertx, router, config.httpPort()).onSuccess(s -> {
      server = s;
      readiness.markStarted();
    });
  }

  @Override
  public Future<?> stop() {
    if (evictionTimer >= 0) {
      vertx.cancelTimer(evictionTimer);
    }
    return Lifecycle.shutdownGracefully(server)
        .eventually(() -> proxy == null ? Future.succeededFuture() : proxy.closeAsync())
        .eventually(() -> {
          if (verifier != null) {
            verifier.close();
          }
          return Future.succeededFuture();
        });
  }

  public int actualPort() {
    return server.actualPort();
  }
}
