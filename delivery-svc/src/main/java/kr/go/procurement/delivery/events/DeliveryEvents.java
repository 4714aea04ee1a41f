package kr.go.procurement.delivery.events;

import io.vertx.core.json.JsonObject;
import kr.go.procurement.delivery.domain.GoodsDelivery;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.events.EventTypes;

/** The events delivery-svc publishes, with the fields the contract names for each. */
public final class DeliveryEvents {

  private DeliveryEvents() {
  }

  public static EventEnvelope inspectionRequestPatched(GoodsDelivery d) {
    return EventEnvelope.create(EventTypes.INSPECTION_REQUEST_PATCHED, d.procNo(), new JsonObject()
        .put("id", d.id())
        .put("procNo", d.procNo())
        .put("companyNo", d.supplier().companyNo())
        .put("companyNm", d.supplier().companyNm())
        .put("companyPhoneNo", d.companyPhoneNo())
        .put("inspectionContents", d.inspectionContents()));
  }
}
