package kr.go.procurement.delivery.events;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.Map;
import kr.go.procurement.delivery.domain.GoodsDelivery;
import kr.go.procurement.delivery.domain.Supplier;
import kr.go.procurement.delivery.store.GoodsDeliveryStore;
import kr.go.procurement.platform.consumer.EventHandler;
import kr.go.procurement.platform.consumer.PgIdempotentHandler;
import kr.go.procurement.platform.domain.ProcNo;
import kr.go.procurement.platform.domain.Timestamps;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.events.EventFields;
import kr.go.procurement.platform.events.EventTypes;
import kr.go.procurement.platform.events.MalformedEventException;
import kr.go.procurement.platform.store.OptimisticRetry;

/**
 * What delivery-svc learns from management-svc: the delivery order (which creates the delivery) and the
 * cancellation notice.
 */
public final class DeliveryEventHandlers {

  private final Pool pool;
  private final GoodsDeliveryStore store;

  public DeliveryEventHandlers(Pool pool, GoodsDeliveryStore store) {
    this.pool = pool;
    this.store = store;
  }

  public Map<String, EventHandler> handlers() {
    return Map.of(
        EventTypes.DELIVERY_REQUEST_PATCHED, new PgIdempotentHandler(pool, this::onDeliveryRequestPatched),
        EventTypes.PROCUREMENT_NOTICE_CANCELED, new PgIdempotentHandler(pool, this::onNoticeCanceled));
  }

  /**
   * Creates the delivery in DELIVERY_REQUESTED, exactly one per procurement. An existing one follows a changed
   * supplier only while still DELIVERY_REQUESTED; a cancelled one (or its tombstone) ignores it.
   */
  private Future<Void> onDeliveryRequestPatched(SqlConnection tx, EventEnvelope event) {
    JsonObject f = EventFields.check(event, v -> v
        .requiredInteger("id", 1, Long.MAX_VALUE)
        .requiredString("companyNo", 50, ProcNo.PATTERN, "is not a company number")
        .optionalString("companyNm", 100));
    long id = f.getLong("id");
    Supplier supplier = new Supplier(f.getString("companyNo"), f.getString("companyNm"));
    Instant now = Timestamps.now();
    return store.insertIfAbsent(tx, GoodsDelivery.ordered(id, event.procNo(), supplier, now))
        .compose(inserted -> inserted ? Future.<Void>succeededFuture() : existing(tx, event, id)
            .compose(current -> save(tx, current, current.reordered(supplier, now))));
  }

  /**
   * Cancels the delivery. Without one (no delivery order was ever issued) a cancelled tombstone takes the procNo,
   * so a late delivery order cannot create a live delivery.
   */
  private Future<Void> onNoticeCanceled(SqlConnection tx, EventEnvelope event) {
    long id = EventFields.check(event, v -> v.requiredInteger("id", 1, Long.MAX_VALUE)).getLong("id");
    Instant now = Timestamps.now();
    return store.findByProcNo(tx, event.procNo()).compose(current -> {
      if (current != null) {
        return save(tx, current, current.cancel(now));
      }
      return store.insertIfAbsent(tx, GoodsDelivery.cancelledUnseen(id, event.procNo(), now))
          .compose(inserted -> inserted ? Future.<Void>succeededFuture() : existing(tx, event, id)
              .compose(raced -> save(tx, raced, raced.cancel(now))));
    });
  }

  /** The record an insert collided with; it must be this procurement's (same procNo and id). */
  private Future<GoodsDelivery> existing(SqlConnection tx, EventEnvelope event, long id) {
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
  private Future<Void> save(SqlConnection tx, GoodsDelivery current, GoodsDelivery next) {
    if (next == current) {
      return Future.succeededFuture();
    }
    // Changed by a command meanwhile: a lost race is transient, so the consumer retries on the new state.
    return store.update(tx, next).compose(updated -> OptimisticRetry.wrote(updated, null)).mapEmpty();
  }
}
