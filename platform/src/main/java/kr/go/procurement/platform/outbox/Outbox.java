package kr.go.procurement.platform.outbox;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import kr.go.procurement.platform.events.EventEnvelope;

/**
 * Writes events to the outbox. Call it with the connection of the transaction that makes the state change: the
 * event is then published if and only if that transaction commits.
 */
public final class Outbox {

  private static final String INSERT =
      "INSERT INTO outbox (event_id, event_type, proc_no, payload) VALUES ($1, $2, $3, $4)";

  private Outbox() {
  }

  public static Future<Void> append(SqlClient transaction, EventEnvelope event) {
    return transaction.preparedQuery(INSERT)
        .execute(Tuple.of(event.eventId(), event.eventType(), event.procNo(), event.encode()))
        .mapEmpty();
  }
}
