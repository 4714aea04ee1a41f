package kr.go.procurement.management.faults;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import kr.go.procurement.platform.http.Problem;
import kr.go.procurement.platform.http.Problem.FieldError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test-only switch that makes management slow, so that system tests can watch request-svc's circuit breaker open
 * and close. Mounted only when {@code FAULT_INJECTION=true} (never set in production; off by default):
 *
 * <pre>
 * POST   /faults/delay?ms=1500   every /deliverymanagements request waits this long before it is handled (≤ 60000)
 * DELETE /faults/delay           back to normal
 * GET    /faults/delay           {"delayMs": n}
 * </pre>
 *
 * <p>The delay comes before the handler, so a request that the caller has given up on is still carried out
 * afterwards, as with a real overloaded server. Health and metrics are never delayed.
 */
public final class FaultInjection {

  public static final long MAX_DELAY_MS = 60_000;

  private static final Logger log = LoggerFactory.getLogger(FaultInjection.class);

  private final Vertx vertx;
  private final AtomicLong delayMs = new AtomicLong();

  public FaultInjection(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Mounts the switch and the delay; call before the API's routes so the delay precedes them. */
  public void mount(Router router) {
    log.warn("FAULT_INJECTION=true: /faults/delay can slow this service down; this is for tests only");
    router.post("/faults/delay").handler(this::set);
    router.delete("/faults/delay").handler(this::clear);
    router.get("/faults/delay").handler(this::show);
    router.route("/deliverymanagements*").handler(this::delay);
  }

  private void set(RoutingContext ctx) {
    String raw = ctx.queryParams().get("ms");
    long ms;
    try {
      ms = Long.parseLong(raw == null ? "" : raw.trim());
    } catch (NumberFormatException e) {
      ms = -1;
    }
    if (ms < 0 || ms > MAX_DELAY_MS) {
      throw Problem.validation(List.of(new FieldError("ms", "must be a whole number from 0 to " + MAX_DELAY_MS)));
    }
    delayMs.set(ms);
    log.warn("fault injection: every /deliverymanagements request now waits {} ms", ms);
    show(ctx);
  }

  private void clear(RoutingContext ctx) {
    delayMs.set(0);
    log.warn("fault injection: delay off");
    ctx.response().setStatusCode(204).end();
  }

  private void show(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json")
        .end(new io.vertx.core.json.JsonObject().put("delayMs", delayMs.get()).encode());
  }

  private void delay(RoutingContext ctx) {
    long ms = delayMs.get();
    if (ms <= 0) {
      ctx.next();
      return;
    }
    vertx.setTimer(ms, id -> ctx.next());
  }
}
