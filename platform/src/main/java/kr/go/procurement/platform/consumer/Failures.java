package kr.go.procurement.platform.consumer;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import java.util.concurrent.TimeoutException;
import kr.go.procurement.platform.store.OptimisticRetry;

/**
 * Tells an outage from a poison event. An event that failed because a store or broker was unreachable is retried
 * until it can be applied (sending it to the dead-letter topic would lose it for good); only a failure that would
 * repeat however often it is retried counts towards the dead-letter limit.
 */
public final class Failures {

  private Failures() {
  }

  public static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // SocketException covers a refused connection and one reset under it (PostgreSQL restarting)
      if (t instanceof TransientFailure || t instanceof OptimisticRetry.LostRace || t instanceof SocketException
          || t instanceof TimeoutException
          || t instanceof ClosedConnectionException || t instanceof java.nio.channels.ClosedChannelException) {
        return true;
      }
      if (t instanceof PgException pg && isTransientSqlState(pg.getSqlState())) {
        return true;
      }
      String name = t.getClass().getName();
      // Driver classes named by string so the platform does not depend on their packages' internals.
      if (name.startsWith("com.mongodb.MongoSocket") || name.startsWith("com.mongodb.MongoTimeout")
          || name.equals("com.mongodb.MongoNotPrimaryException") || name.endsWith("TimeoutException")
          || name.endsWith("ConnectTimeoutException") || name.endsWith("PoolTooBusyException")
          || name.endsWith("KafkaException") && t.getMessage() != null && t.getMessage().contains("timed out")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isTransientSqlState(String state) {
    if (state == null) {
      return false;
    }
    // 08: connection exceptions; 53: insufficient resources; 57P: operator intervention (restart, shutdown);
    // 40001/40P01: serialization failure and deadlock, which succeed when retried.
    return state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
        || state.equals("40001") || state.equals("40P01");
  }

  /** Thrown by a handler when the event cannot be applied yet but will be later (for example a store is down). */
  public static final class TransientFailure extends RuntimeException {
    public TransientFailure(String message) {
      super(message, null, false, false);
    }
  }
}
