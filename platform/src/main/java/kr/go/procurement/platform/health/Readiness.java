package kr.go.procurement.platform.health;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this service should receive traffic ({@code GET /health/ready}), built on vertx-health-check's
 * {@link HealthChecks}.
 *
 * <p>Ready means: the service said its start-up finished ({@link #markStarted()}: migrations ran, consumers
 * subscribed), it is not shutting down ({@link #markDraining()}, set on SIGTERM so the load balancer stops sending
 * before the server closes), and every registered probe answered within its timeout. A failed or slow probe shows
 * as DOWN with a short fixed reason; the real cause goes to the log (once per change), never to the response.
 *
 * <p>{@link #drainAll(Vertx)} lets the runtime drain every Readiness of a Vert.x instance without the verticle
 * having to hand it over.
 */
public final class Readiness {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(Readiness.class);

  /** Per Vert.x instance, so draining one instance (in a test JVM running several) leaves the others alone. */
  private static final Map<Vertx, List<Readiness>> BY_VERTX = Collections.synchronizedMap(new WeakHashMap<>());

  private final Vertx vertx;
  private final HealthChecks checks;
  private final Set<String> names = ConcurrentHashMap.newKeySet();
  private final Map<String, Boolean> lastUp = new ConcurrentHashMap<>();
  private volatile boolean started;
  private volatile boolean draining;

  private Readiness(Vertx vertx) {
    this.vertx = vertx;
    this.checks = HealthChecks.create(vertx);
  }

  /** A new Readiness, registered so that {@link #drainAll(Vertx)} reaches it. */
  public static Readiness create(Vertx vertx) {
    Readiness readiness = new Readiness(vertx);
    BY_VERTX.computeIfAbsent(vertx, v -> new CopyOnWriteArrayList<>()).add(readiness);
    return readiness;
  }

  /** Marks every Readiness created for {@code vertx} as draining (SIGTERM). */
  public static void drainAll(Vertx vertx) {
    List<Readiness> all = BY_VERTX.get(vertx);
    if (all != null) {
      all.forEach(Readiness::markDraining);
    }
  }

  /** Adds a probe with the {@linkplain #DEFAULT_TIMEOUT default timeout}; its Future failing means DOWN. */
  public Readiness register(String name, Supplier<Future<?>> probe) {
    return register(name, DEFAULT_TIMEOUT, probe);
  }

  public Readiness register(String name, Duration timeout, Supplier<Future<?>> probe) {
    if (!names.add(name)) {
      throw new IllegalArgumentException("A readiness check named '" + name + "' is already registered");
    }
    // The health-check library's own timeout is a backstop only: ours answers first with a clean reason.
    checks.register(name, timeout.toMillis() + 1000, promise -> runProbe(name, timeout, probe, promise));
    return this;
  }

  private void runProbe(String name, Duration timeout, Supplier<Future<?>> probe, Promise<Status> promise) {
    Future<?> result;
    try {
      result = probe.get();
      if (result == null) {
        result = Future.failedFuture("the probe returned no result");
      }
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
      if (promise.tryComplete(down("timed out"))) {
        changed(name, false, "timed out after " + timeout.toMillis() + " ms", null);
      }
    });
    result.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        if (promise.tryComplete(Status.OK())) {
          changed(name, true, null, null);
        }
      } else if (promise.tryComplete(down("failed"))) {
        changed(name, false, "failed", ar.cause());
      }
    });
  }

  private static Status down(String reason) {
    return Status.KO(new JsonObject().put("reason", reason));
  }

  /** Logs only transitions, so a probe failing every few seconds (kubelet polling) does not flood the log. */
  private void changed(String name, boolean up, String reason, Throwable cause) {
    Boolean before = lastUp.put(name, up);
    if (before != null && before == up) {
      return;
    }
    if (up) {
      if (before != null) {
        log.atInfo().addKeyValue("check", name).log("Readiness check is UP again");
      }
    } else {
      log.atWarn().addKeyValue("check", name).addKeyValue("reason", reason)
          .addKeyValue("cause", cause == null ? null : String.valueOf(cause.getMessage()))
          .log("Readiness check is DOWN");
    }
  }

  /** Start-up has finished: from now on the probes alone decide. */
  public void markStarted() {
    started = true;
  }

  /** The service is shutting down: not ready from now on, whatever the probes say. */
  public void markDraining() {
    draining = true;
  }

  public boolean isStarted() {
    return started;
  }

  public boolean isDraining() {
    return draining;
  }

  /** {@code {"status": "UP"|"DOWN", "checks": [{"id", "status", "data"?}]}}; never fails. */
  public Future<JsonObject> check() {
    if (draining) {
      // Answer at once: nothing a probe says matters any more.
      return Future.succeededFuture(result(false, new JsonArray().add(lifecycle("draining"))));
    }
    return checks.checkStatus().map(this::toJson)
        .recover(e -> Future.succeededFuture(result(false, new JsonArray().add(lifecycle("check failed")))));
  }

  private JsonObject toJson(CheckResult result) {
    JsonArray list = new JsonArray();
    boolean up = started && !draining;
    if (!started) {
      list.add(lifecycle("starting"));
    } else if (draining) {
      list.add(lifecycle("draining"));
    }
    if (result.getChecks() != null) {
      for (CheckResult check : result.getChecks()) {
        boolean checkUp = CheckResult.isUp(check);
        up &= checkUp;
        JsonObject entry = new JsonObject().put("id", check.getId()).put("status", checkUp ? "UP" : "DOWN");
        JsonObject data = check.getData();
        if (!checkUp) {
          // Keep only our own short reason; the library's data for a crashed procedure can hold internals.
          String reason = data == null ? null : data.getString("reason");
          entry.put("data", new JsonObject().put("reason", reason == null ? "failed" : reason));
        }
        list.add(entry);
      }
    }
    return result(up, list);
  }

  private static JsonObject lifecycle(String reason) {
    return new JsonObject().put("id", "lifecycle").put("status", "DOWN")
        .put("data", new JsonObject().put("reason", reason));
  }

  private static JsonObject result(boolean up, JsonArray checks) {
    return new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", checks);
  }

  /** {@code GET /health/ready}: 200 when UP, 503 when DOWN. */
  public Handler<RoutingContext> readyHandler() {
    return ctx -> check().onSuccess(json -> ctx.response()
        .setStatusCode("UP".equals(json.getString("status")) ? 200 : 503)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(json.toBuffer()));
  }

  /** {@code GET /health/live}: 200 UP whenever the event loop can answer; a wedged loop times the kubelet out. */
  public static Handler<RoutingContext> liveHandler() {
    return ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end("{\"status\":\"UP\"}");
  }
}
