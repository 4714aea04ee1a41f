package kr.go.procurement.management.events;

import io.vertx.core.json.JsonObject;
import kr.go.procurement.management.domain.DeliveryManagement;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.events.EventTypes;

/** The events management-svc publishes, with the fields the contract names for each. */
public final class ManagementEvents {

  private ManagementEvents() {
  }

  public static EventEnvelope deliveryRequestPatched(DeliveryManagement m) {
    return EventEnvelope.create(EventTypes.DELIVERY_REQUEST_PATCHED, m.procNo(), new JsonObject()
        .put("id", m.id())
        .put("procNo", m.procNo())
        .put("companyNo", m.supplier().companyNo())
        .put("companyNm", m.supplier().companyNm()));
  }

  public static EventEnvelope noticeCanceled(DeliveryManagement m) {
    return EventEnvelope.create(EventTypes.PROCUREMENT_NOTICE_CANCELED, m.procNo(), new JsonObject()
        .put("id", m.id())
        .put("procNo", m.procNo()));
  }
}
