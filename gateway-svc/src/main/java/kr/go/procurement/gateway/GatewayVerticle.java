package kr.go.procurement.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
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
import kr.go.procurement.platform.http.ServiceInstances;
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
 *
 * <p>{@link GatewayDeployment} runs several of these on one port (one per processor), each on its own
 * event loop with its own token verifier and its share of the upstream pools, all charging one shared
 * {@link RateLimiter}.
 */
public final class GatewayVerticle extends VerticleBase {

  private final GatewayConfig config;
  /** Shared by every instance of a deployment; null: this instance makes (and evicts) its own. */
  private final RateLimiter sharedLimiter;
  /** How many instances share the configured upstream pool sizes. */
  private final int instances;
  /** Shared by every instance of a deployment; null: this instance watches (and closes) its own. */
  private final ServiceInstances sharedUpstreamInstances;
  private ServiceInstances upstreamInstances;
  private TokenVerifier verifier;
  private ReverseProxy proxy;
  private HttpServer server;
  private long evictionTimer = -1;

  /** A gateway on its own: it keeps its own rate-limit buckets. */
  public GatewayVerticle(GatewayConfig config) {
    this(config, null, 1);
  }

  GatewayVerticle(GatewayConfig config, RateLimiter limiter, int instances) {
    this(config, limiter, null, instances);
  }

  /**
   * One of {@code instances} gateway instances: {@code limiter} (null when rate limiting is off) is shared with the
   * others and evicted by whoever made it; each instance gets an equal share of {@code UPSTREAM_POOL_SIZE} and
   * {@code SSE_MAX_STREAMS}, so that together they hold no more connections than configured.
   */
  GatewayVerticle(GatewayConfig config, RateLimiter limiter, ServiceInstances upstreamInstances, int instances) {
    this.config = config;
    this.sharedLimiter = limiter;
    this.sharedUpstreamInstances = upstreamInstances;
    this.instances = instances;
  }

  @Override
  public Future<?> start() {
    Readiness readiness = Readiness.create(vertx);
    MeterRegistry meters = Metrics.registry();
    verifier = TokenVerifier.create(vertx, config.jwt());
    readiness.register("token-keys", () -> verifier.keysLoaded() ? Future.succeededFuture()
        : Future.failedFuture("the identity provider's keys are not loaded"));
    upstreamInstances = sharedUpstreamInstances != null ? sharedUpstreamInstances
        : ReverseProxy.watch(vertx, config.upstreams());
    proxy = new ReverseProxy(vertx, config.upstreams(), upstreamInstances, config.upstreamTimeout(),
        share(config.upstreamPoolSize(), instances), share(config.streamPoolSize(), instances), meters);

    Router router = Router.router(vertx);
    if (config.trustForwardedHeaders()) {
      router.allowForward(AllowForwardHeaders.X_FORWARD);
    }
    router.route().handler(RequestId.handler());
    router.route().handler(HttpServers.closeConnectionsWhileDraining(readiness));
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
      RateLimiter limiter = sharedLimiter;
      if (limiter == null) {
        limiter = newRateLimiter(config, meters);
        evictionTimer = scheduleEviction(vertx, limiter);
      }
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
        .eventually(() -> upstreamInstances == null || upstreamInstances == sharedUpstreamInstances
            ? Future.succeededFuture() : upstreamInstances.close())
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

  /** One instance's part of a pool of {@code total} (at least one connection). */
  static int share(int total, int instances) {
    return Math.max(1, total / instances);
  }

  /** The buckets for {@code config}'s limit, with their gauge. */
  static RateLimiter newRateLimiter(GatewayConfig config, MeterRegistry meters) {
    return newRateLimiter(config, meters, System::nanoTime);
  }

  /** The same, on {@code clock} (nanoseconds). */
  static RateLimiter newRateLimiter(GatewayConfig config, MeterRegistry meters,
                                    java.util.function.LongSupplier clock) {
    RateLimiter limiter = new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst(), clock);
    meters.gauge("gateway.rate.limit.buckets", limiter, RateLimiter::size);
    return limiter;
  }

  /** Forgets idle buckets every minute; returns the timer. */
  static long scheduleEviction(Vertx vertx, RateLimiter limiter) {
    return vertx.setPeriodic(60_000, id -> limiter.evictIdle());
  }
}
