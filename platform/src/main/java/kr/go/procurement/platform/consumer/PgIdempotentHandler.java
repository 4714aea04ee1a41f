package kr.go.procurement.platform.consumer;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
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
    return pool.withTransaction(conn -> conn.preparedQuery(RECORD)
        .execute(Tuple.of(event.eventId(), event.eventType(), event.procNo()))
        .compose(rows -> rows.rowCount() == 0 ? Future.<Void>succeededFuture() : effect.apply(conn, event)));
  }
}
