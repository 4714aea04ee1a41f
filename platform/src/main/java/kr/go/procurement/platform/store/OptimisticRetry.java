package kr.go.procurement.platform.store;

import io.vertx.core.Future;
import java.util.function.Supplier;
import kr.go.procurement.platform.domain.RuleViolation;

/**
 * Optimistic locking: a write is conditional on the version read, and a lost race is retried on a fresh read, so
 * two concurrent commands are both applied in turn (or the later one refused by the rules) and never silently
 * overwritten.
 */
public final class OptimisticRetry {

  /** Another command changed the record between our read and our write. */
  public static final class LostRace extends RuntimeException {
    public LostRace() {
      super("the record was changed concurrently", null, false, false);
    }
  }

  public static final int DEFAULT_ATTEMPTS = 5;

  private OptimisticRetry() {
  }

  /** {@code value} if the conditional write hit its row, else a {@link LostRace}. */
  public static <T> Future<T> wrote(boolean updated, T value) {
    return updated ? Future.succeededFuture(value) : Future.failedFuture(new LostRace());
  }

  /**
   * Runs {@code action} (a whole read-decide-write transaction) again after a lost race; after {@code attempts}
   * the client is told to try again (409) rather than waiting on a hot record forever.
   */
  public static <T> Future<T> withRetry(int attempts, Supplier<Future<T>> action) {
    return action.get().recover(e -> {
      if (!(e instanceof LostRace)) {
        return Future.failedFuture(e);
      }
      if (attempts > 1) {
        return withRetry(attempts - 1, action);
      }
      return Future.failedFuture(new RuleViolation("The record is being changed by someone else right now; "
          + "try again."));
    });
  }

  public static <T> Future<T> withRetry(Supplier<Future<T>> action) {
    return withRetry(DEFAULT_ATTEMPTS, action);
  }
}
