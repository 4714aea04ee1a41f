package kr.go.procurement.platform.consumer;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import kr.go.procurement.platform.events.EventEnvelope;

/**
 * Applies an event at most once in a PostgreSQL service: the event's id is recorded in {@code processed_events} in
 * the same transaction as its effect. A duplicate finds the id already there and does nothing; a failed effect
 * rolls the id back with it, so the retry applies it for real.
 */
public final class PgIdempotentHandler implements EventHandler {

  private static final String RECORD = "INSERT INTO processed_events (event_id, event_type, proc_no) "
      + "VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING";

  private final Pool pool;
  private final BiFunction<SqlConnection, EventEnvelope, Future<Void>> effect;

  public PgIdempotentHandler(Pool pool, BiFunction<SqlConnection, EventEnvelope, Future<Void>> effect) {
    this.pool = pool;
    this.effect = effect;
  }

  @Override
  public Future<Void> apply(EventEnvelope event) {
    return pool.withTransaction(conn -> applyIn(conn, event));
  }

  private Future<Void> applyIn(SqlConnection conn, EventEnvelope event) {
    return conn.preparedQuery(RECORD)
        .execute(Tuple.of(event.eventId(), event.eventType(), event.procNo()))
        .compose(rows -> rows.rowCount() == 0 ? Future.<Void>succeededFuture() : effect.apply(conn, event));
  }

  /**
   * Applies a poll's events in one transaction, each with its handler's effect; the events of one procNo in order (a
   * duplicate within the batch finds its id already recorded), those of different procNos side by side, so their
   * statements are pipelined on the connection instead of waiting for each other's round trips. Any failure rolls
   * back the whole batch, and the consumer then applies the events one at a time. Every handler must be a
   * {@code PgIdempotentHandler} on {@code pool}; otherwise the batch fails at once and the consumer falls back the
   * same way.
   */
  public static BatchHandler inOneTransaction(Pool pool, Map<String, EventHandler> handlers) {
    return events -> {
      for (EventEnvelope event : events) {
        if (!(handlers.get(event.eventType()) instanceof PgIdempotentHandler h) || h.pool != pool) {
          return Future.failedFuture(new IllegalStateException("no transactional handler for " + event.eventType()));
        }
      }
      return pool.withTransaction(conn -> applyPerProcNo(conn, handlers, events));
    };
  }

  private static Future<Void> applyPerProcNo(SqlConnection conn, Map<String, EventHandler> handlers,
                                             List<EventEnvelope> events) {
    Map<String, List<EventEnvelope>> perProcNo = new LinkedHashMap<>();
    for (EventEnvelope event : events) {
      perProcNo.computeIfAbsent(event.procNo(), k -> new ArrayList<>()).add(event);
    }
    List<Future<Void>> chains = new ArrayList<>(perProcNo.size());
    for (List<EventEnvelope> ofOneProcNo : perProcNo.values()) {
      Future<Void> chain = Future.succeededFuture();
      for (EventEnvelope event : ofOneProcNo) {
        PgIdempotentHandler handler = (PgIdempotentHandler) handlers.get(event.eventType());
        chain = chain.compose(v -> handler.applyIn(conn, event));
      }
      chains.add(chain);
    }
    // join, not all: the transaction ends only once no statement of the batch is still on its way
    return Future.join(chains).mapEmpty();
  }
}
