package kr.go.procurement.gateway;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.function.LongSupplier;
import kr.go.procurement.gateway.limit.RateLimiter;
import kr.go.procurement.gateway.routing.ReverseProxy;
import kr.go.procurement.platform.http.ServiceInstances;
import kr.go.procurement.platform.metrics.Metrics;

/**
 * What {@code java -jar gateway-svc.jar} deploys: one {@link GatewayVerticle} per processor available to the JVM
 * (the container's CPU limit, or {@code -XX:ActiveProcessorCount=n}), so that proxying is spread over that many event
 * loops instead of one (Vert.x has twice as many event loops as processors, so each gets its own). Their HTTP
 * servers share the port (Vert.x hands each new connection to the next instance), each holds its own token
 * verifier, verified-token cache and upstream connection pools (an equal share of {@code UPSTREAM_POOL_SIZE} and
 * {@code SSE_MAX_STREAMS} each, so the limits hold for the process), and all of them charge one
 * {@link RateLimiter} (thread-safe), so a caller's limit is the same whichever instance its connections land on,
 * and balance over one {@link ServiceInstances} (one readiness probe per upstream instance for the process).
 *
 * <p>With {@code HTTP_PORT=0} (a free port, in tests) a single instance is deployed: instances asking for port 0
 * would each get a port of their own.
 */
public final class GatewayDeployment extends VerticleBase {

  private final GatewayConfig config;
  private final int instances;
  private final LongSupplier clock;
  private long evictionTimer = -1;
  private ServiceInstances upstreamInstances;

  public GatewayDeployment(GatewayConfig config) {
    this(config, Runtime.getRuntime().availableProcessors());
  }

  /** @param instances how many gateways to run, unless the port is 0 (then one) */
  GatewayDeployment(GatewayConfig config, int instances) {
    this(config, instances, System::nanoTime);
  }

  /** @param clock the rate limit's clock, in nanoseconds ({@link System#nanoTime()}; tests pass their own) */
  GatewayDeployment(GatewayConfig config, int instances, LongSupplier clock) {
    if (instances < 1) {
      throw new IllegalArgumentException("at least one gateway instance is needed");
    }
    this.config = config;
    this.instances = config.httpPort() == 0 ? 1 : instances;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    RateLimiter limiter = null;
    if (config.rateLimitPerSecond() > 0) {
      limiter = GatewayVerticle.newRateLimiter(config, Metrics.registry(), clock);
      evictionTimer = GatewayVerticle.scheduleEviction(vertx, limiter);
    }
    RateLimiter shared = limiter;
    ServiceInstances watched = ReverseProxy.watch(vertx, config.upstreams());
    upstreamInstances = watched;
    // Undeploying this verticle (vertx.close() at shutdown) undeploys these with it.
    return vertx.deployVerticle(() -> new GatewayVerticle(config, shared, watched, instances),
        new DeploymentOptions().setInstances(instances));
  }

  @Override
  public Future<?> stop() {
    if (evictionTimer >= 0) {
      vertx.cancelTimer(evictionTimer);
    }
    return upstreamInstances == null ? Future.succeededFuture() : upstreamInstances.close();
  }

  /** How many gateway instances this deploys. */
  int instances() {
    return instances;
  }
}
