package kr.go.procurement.request.events;

import io.vertx.core.json.JsonObject;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.events.EventTypes;
import kr.go.procurement.request.domain.ProcurementRequest;

/** The events request-svc publishes, with the fields the contract names for each. */
public final class RequestEvents {

  private RequestEvents() {
  }

  public static EventEnvelope posted(ProcurementRequest r) {
    return EventEnvelope.create(EventTypes.PROCUREMENT_REQUEST_POSTED, r.procNo(), new JsonObject()
        .put("id", r.id())
        .put("procNo", r.procNo())
        .put("procTitle", r.details().procTitle())
        .put("procContents", r.details().procContents())
        .put("procPrice", r.details().procPrice())
        .put("procAgency", r.details().procAgency())
        .put("procQty", r.details().procQty()));
  }

  public static EventEnvelope canceled(ProcurementRequest r) {
    return EventEnvelope.create(EventTypes.PROCUREMENT_REQUEST_CANCELED, r.procNo(), new JsonObject()
        .put("id", r.id())
        .put("procNo", r.procNo()));
  }

  public static EventEnvelope inspectionResultPatched(ProcurementRequest r) {
    return EventEnvelope.create(EventTypes.INSPECTION_RESULT_PATCHED, r.procNo(), new JsonObject()
        .put("id", r.id())
        .put("procNo", r.procNo())
        .put("procTitle", r.details().procTitle())
        .put("companyNo", r.supplier().companyNo())
        .put("companyNm", r.supplier().companyNm())
        .put("companyPhoneNo", r.companyPhoneNo())
        .put("inspectionSuccFlag", r.inspectionSuccFlag()));
  }
}
