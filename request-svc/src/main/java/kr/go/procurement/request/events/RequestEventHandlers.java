package kr.go.procurement.request.events;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.Map;
import java.util.function.UnaryOperator;
import kr.go.procurement.platform.consumer.EventHandler;
import kr.go.procurement.platform.consumer.PgIdempotentHandler;
import kr.go.procurement.platform.domain.Timestamps;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.events.EventFields;
import kr.go.procurement.platform.events.EventTypes;
import kr.go.procurement.platform.events.MalformedEventException;
import kr.go.procurement.platform.store.OptimisticRetry;
import kr.go.procurement.request.domain.ProcurementRequest;
import kr.go.procurement.request.domain.Supplier;
import kr.go.procurement.request.store.ProcurementRequestStore;

/**
 * What request-svc learns from the other services: the delivery order (so edits stop once it exists) and the
 * supplier's inspection request (so the agency can register the result).
 */
public final class RequestEventHandlers {

  private final Pool pool;
  private final ProcurementRequestStore store;

  public RequestEventHandlers(Pool pool, ProcurementRequestStore store) {
    this.pool = pool;
    this.store = store;
  }

  public Map<String, EventHandler> handlers() {
    return Map.of(
        EventTypes.DELIVERY_REQUEST_PATCHED, new PgIdempotentHandler(pool, this::onDeliveryRequestPatched),
        EventTypes.INSPECTION_REQUEST_PATCHED, new PgIdempotentHandler(pool, this::onInspectionRequestPatched));
  }

  private Future<Void> onDeliveryRequestPatched(SqlConnection tx, EventEnvelope event) {
    JsonObject f = EventFields.check(event, v -> v.requiredString("companyNo", 50).optionalString("companyNm", 100));
    Supplier supplier = new Supplier(f.getString("companyNo"), f.getString("companyNm"));
    return change(tx, event, r -> r.deliveryOrdered(supplier, Timestamps.now()));
  }

  private Future<Void> onInspectionRequestPatched(SqlConnection tx, EventEnvelope event) {
    JsonObject f = EventFields.check(event, v -> v.requiredString("companyNo", 50).optionalString("companyNm", 100)
        .requiredString("companyPhoneNo", 20).optionalString("inspectionContents", 4000));
    Supplier supplier = new Supplier(f.getString("companyNo"), f.getString("companyNm"));
    return change(tx, event, r -> r.inspectionRequested(supplier, f.getString("companyPhoneNo"),
        f.getString("inspectionContents"), Timestamps.now()));
  }

  /** Applies a change to the request named by the event, under the same version check as the API. */
  private Future<Void> change(SqlConnection tx, EventEnvelope event, UnaryOperator<ProcurementRequest> rule) {
    return store.findByProcNo(tx, event.procNo()).compose(current -> {
      if (current == null) {
        throw new MalformedEventException("no procurement request " + event.procNo());
      }
      ProcurementRequest next = rule.apply(current);
      if (next == current) {
        return Future.<Void>succeededFuture();
      }
      // Changed by a command meanwhile: the lost race is transient, so the consumer retries on the new state.
      return store.update(tx, next).compose(updated -> OptimisticRetry.wrote(updated, null)).mapEmpty();
    });
  }

}
