package kr.go.procurement.platform.runtime;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shutdown routine of a service process: readiness DOWN, wait the drain time (so load balancers notice), then
 * {@code vertx.close()}, which undeploys the verticles (their {@code stop()} lets in-flight requests finish, commits
 * consumer offsets, closes pools). All of it bounded by a budget, so a stuck resource cannot keep the process alive.
 *
 * <p>Runs at most once; a second caller (SIGTERM arriving while the parent-process watch is already shutting down)
 * waits for the first run's outcome. It blocks, so it runs on a plain thread (shutdown hook, watcher), never on
 * an event loop.
 */
public final class GracefulShutdown {

  private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

  private final Vertx vertx;
  private final Duration drain;
  private final Duration budget;
  private final AtomicBoolean started = new AtomicBoolean();
  private final CompletableFuture<Boolean> outcome = new CompletableFuture<>();

  /**
   * @param drain  time between readiness going DOWN and closing; capped so that closing keeps at least
   *               {@link Lifecycle#HTTP_GRACE} of the budget
   * @param budget upper bound for the whole routine
   */
  public GracefulShutdown(Vertx vertx, Duration drain, Duration budget) {
    this.vertx = vertx;
    this.budget = budget;
    Duration maxDrain = budget.minus(Lifecycle.HTTP_GRACE);
    this.drain = drain.isNegative() ? Duration.ZERO
        : drain.compareTo(maxDrain) > 0 ? (maxDrain.isNegative() ? Duration.ZERO : maxDrain) : drain;
  }

  /** The drain time actually used (after capping). */
  public Duration drain() {
    return drain;
  }

  /**
   * Runs the routine (or waits for the run already under way).
   *
   * @return true when Vert.x closed cleanly within the budget
   */
  public boolean run() {
    if (!started.compareAndSet(false, true)) {
      try {
        return outcome.get(budget.toMillis() + 1000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (ExecutionException | TimeoutException e) {
        return false;
      }
    }
    boolean clean = false;
    long deadline = System.nanoTime() + budget.toNanos();
    try {
      log.atInfo().addKeyValue("drainMs", drain.toMillis()).log("Shutting down: readiness is DOWN");
      Lifecycle.markDraining(vertx);
      if (!drain.isZero()) {
        Thread.sleep(drain.toMillis());
      }
      long remaining = Math.max(1, deadline - System.nanoTime());
      vertx.close().toCompletionStage().toCompletableFuture().get(remaining, TimeUnit.NANOSECONDS);
      clean = true;
      log.info("Shutdown complete");
    } catch (TimeoutException e) {
      log.atWarn().addKeyValue("budgetMs", budget.toMillis()).log("Shutdown did not finish within its budget");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("Shutdown interrupted");
    } catch (ExecutionException e) {
      log.atWarn().setCause(e.getCause()).log("Closing Vert.x failed");
    } catch (RuntimeException e) {
      log.atWarn().setCause(e).log("Shutdown failed");
    } finally {
      outcome.complete(clean);
    }
    return clean;
  }
}
