package kr.go.procurement.notification;

import io.vertx.core.json.JsonObject;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.events.EventTypes;

/** InspectionResultPatched as request-svc publishes it. */
final class Events {

  private Events() {
  }

  static EventEnvelope inspectionResult(long id, String procNo, String title, String phone, boolean passed) {
    JsonObject fields = new JsonObject().put("id", id).put("procNo", procNo).put("procTitle", title)
        .put("companyNo", "c01").put("companyNm", "레드불").put("companyPhoneNo", phone)
        .put("inspectionSuccFlag", passed);
    return EventEnvelope.create(EventTypes.INSPECTION_RESULT_PATCHED, procNo, fields);
  }
}
