package kr.go.procurement.management.events;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.Map;
import kr.go.procurement.management.domain.DeliveryManagement;
import kr.go.procurement.management.domain.ProcurementDetails;
import kr.go.procurement.management.store.DeliveryManagementStore;
import kr.go.procurement.platform.consumer.EventHandler;
import kr.go.procurement.platform.consumer.PgIdempotentHandler;
import kr.go.procurement.platform.domain.Timestamps;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.events.EventFields;
import kr.go.procurement.platform.events.EventTypes;
import kr.go.procurement.platform.events.MalformedEventException;
import kr.go.procurement.platform.outbox.Outbox;
import kr.go.procurement.platform.store.OptimisticRetry;

/**
 * What management-svc learns from request-svc: a posted (or re-posted) procurement request, and its cancellation,
 * which management passes on to goods-delivery as {@code ProcurementNoticeCanceled} in the same transaction.
 */
public final class ManagementEventHandlers {

  private final Pool pool;
  private final DeliveryManagementStore store;

  public ManagementEventHandlers(Pool pool, DeliveryManagementStore store) {
    this.pool = pool;
    this.store = store;
  }

  public Map<String, EventHandler> handlers() {
    return Map.of(
        EventTypes.PROCUREMENT_REQUEST_POSTED, new PgIdempotentHandler(pool, this::onRequestPosted),
        EventTypes.PROCUREMENT_REQUEST_CANCELED, new PgIdempotentHandler(pool, this::onRequestCanceled));
  }

  /**
   * Creates the record in POSTED, or follows an edit of a request that is still POSTED here. A record in any other
   * status (ordered, inspected, cancelled — including a cancellation tombstone) ignores it.
   */
  private Future<Void> onRequestPosted(SqlConnection tx, EventEnvelope event) {
    // The limits are request-svc's own, so a value beyond them means a broken producer, not a user's mistake.
    JsonObject f = EventFields.check(event, v -> v
        .requiredInteger("id", 1, Long.MAX_VALUE)
        .requiredString("procTitle", 200)
        .optionalString("procContents", 4000)
        .optionalInteger("procPrice", 0, Long.MAX_VALUE)
        .optionalString("procAgency", 100)
        .optionalNumber("procQty", 0));
    long id = f.getLong("id");
    ProcurementDetails details = new ProcurementDetails(f.getString("procTitle"), f.getString("procContents"),
        f.getLong("procPrice"), f.getString("procAgency"), f.getDouble("procQty"));
    Instant now = Timestamps.now();
    return store.insertIfAbsent(tx, DeliveryManagement.posted(id, event.procNo(), details, now))
        .compose(inserted -> inserted ? Future.<Void>succeededFuture() : existing(tx, event, id)
            .compose(current -> save(tx, current, current.reposted(details, now))));
  }

  /**
   * Cancels whatever the status and tells goods-delivery. A procurement never seen here gets a cancelled tombstone
   * (and the notice all the same), so that a late posted event cannot resurrect it.
   */
  private Future<Void> onRequestCanceled(SqlConnection tx, EventEnvelope event) {
    long id = EventFields.check(event, v -> v.requiredInteger("id", 1, Long.MAX_VALUE)).getLong("id");
    Instant now = Timestamps.now();
    return store.findByProcNo(tx, event.procNo()).compose(current -> {
      if (current != null) {
        return cancel(tx, current, now);
      }
      DeliveryManagement tombstone = DeliveryManagement.cancelledUnseen(id, event.procNo(), now);
      return store.insertIfAbsent(tx, tombstone).compose(inserted -> inserted
          ? Outbox.append(tx, ManagementEvents.noticeCanceled(tombstone))
          : existing(tx, event, id).compose(raced -> cancel(tx, raced, now)));
    });
  }

  private Future<Void> cancel(SqlConnection tx, DeliveryManagement current, Instant now) {
    DeliveryManagement next = current.cancel(now);
    if (next == current) {
      return Future.succeededFuture();
    }
    return save(tx, current, next).compose(v -> Outbox.append(tx, ManagementEvents.noticeCanceled(next)));
  }

  /** The record an insert collided with; it must be this procurement's (same procNo and id). */
  private Future<DeliveryManagement> existing(SqlConnection tx, EventEnvelope event, long id) {
    return store.findByProcNo(tx, event.procNo()).map(current -> {
      if (current == null) {
        throw new MalformedEventException(event.eventType() + ": id " + id + " already belongs to another "
            + "procurement than " + event.procNo());
      }
      if (current.id() != id) {
        throw new MalformedEventException(event.eventType() + ": " + event.procNo() + " has id " + current.id()
            + " here, the event says " + id);
      }
      return current;
    });
  }

  /** Writes {@code next} under the same version check as the API; nothing to write if the rule changed nothing. */
  private Future<Void> save(SqlConnection tx, DeliveryManagement current, DeliveryManagement next) {
    if (next == current) {
      return Future.succeededFuture();
    }
    // Changed by a command meanwhile: a lost race is transient, so the consumer retries on the new state.
    return store.update(tx, next).compose(updated -> OptimisticRetry.wrote(updated, null)).mapEmpty();
  }
}
