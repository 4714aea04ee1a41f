package kr.go.procurement.gateway.limit;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import kr.go.procurement.gateway.auth.Authentication;
import kr.go.procurement.platform.http.Problem;
import kr.go.procurement.platform.identity.Identity;

/**
 * 429 with {@code Retry-After} once a caller has used up its bucket: keyed by the token's subject, or by the
 * client's address when the request has no valid token (so bad tokens are limited too).
 */
public final class RateLimitHandler {

  private final RateLimiter limiter;
  private final MeterRegistry meters;

  public RateLimitHandler(RateLimiter limiter, MeterRegistry meters) {
    this.limiter = limiter;
    this.meters = meters;
  }

  public void handle(RoutingContext ctx) {
    Identity identity = Authentication.identity(ctx);
    String key;
    if (identity != null) {
      key = "sub:" + identity.userId();
    } else {
      SocketAddress client = ctx.request().remoteAddress();
      key = "ip:" + (client == null ? "unknown" : client.hostAddress());
    }
    RateLimiter.Decision decision = limiter.acquire(key);
    if (decision.allowed()) {
      ctx.next();
      return;
    }
    meters.counter("gateway.rate.limited", "caller", identity == null ? "anonymous" : "authenticated").increment();
    ctx.fail(new Problem(429, Problem.TYPE_BASE + "too-many-requests", "Too many requests",
        "You have sent too many requests; try again in " + decision.retryAfterSeconds() + " s.")
        .withRetryAfter(decision.retryAfterSeconds()));
  }
}
