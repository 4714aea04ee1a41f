package kr.go.procurement.statusview;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.events.EventTypes;

/**
 * The events of one procurement as the three services publish them, with timestamps one second apart from
 * {@code start}, so a test knows exactly which time each history step must show.
 */
record Procurement(long id, String procNo, String title, String companyNo, Instant start) {

  static Procurement of(long id, String procNo, Instant start) {
    return new Procurement(id, procNo, "사무용 의자 " + procNo, "c-" + (id % 3), start);
  }

  Instant at(int step) {
    return start.plusSeconds(step);
  }

  EventEnvelope posted() {
    return event(EventTypes.PROCUREMENT_REQUEST_POSTED, 0, new JsonObject().put("procTitle", title)
        .put("procContents", "인체공학 의자").put("procPrice", 1_200_000).put("procAgency", "서울시청").put("procQty", 12));
  }

  EventEnvelope deliveryRequested() {
    return event(EventTypes.DELIVERY_REQUEST_PATCHED, 1, supplier());
  }

  EventEnvelope inspectionRequested() {
    return event(EventTypes.INSPECTION_REQUEST_PATCHED, 2, supplier().put("companyPhoneNo", "010-1234-1234")
        .put("inspectionContents", "납품 완료"));
  }

  EventEnvelope inspected(boolean passed) {
    return event(EventTypes.INSPECTION_RESULT_PATCHED, 3, supplier().put("procTitle", title)
        .put("companyPhoneNo", "010-1234-1234").put("inspectionSuccFlag", passed));
  }

  EventEnvelope requestCanceled(int step) {
    return event(EventTypes.PROCUREMENT_REQUEST_CANCELED, step, new JsonObject());
  }

  EventEnvelope noticeCanceled(int step) {
    return event(EventTypes.PROCUREMENT_NOTICE_CANCELED, step, new JsonObject());
  }

  /** Posted, delivery order, inspection request, inspection result. */
  List<EventEnvelope> fullWorkflow() {
    return List.of(posted(), deliveryRequested(), inspectionRequested(), inspected(true));
  }

  /** Posted, delivery order, then cancelled by the agency and, in turn, by management. */
  List<EventEnvelope> canceledAfterOrder() {
    return List.of(posted(), deliveryRequested(), requestCanceled(2), noticeCanceled(3));
  }

  private JsonObject supplier() {
    return new JsonObject().put("companyNo", companyNo).put("companyNm", "레드불 " + companyNo);
  }

  private EventEnvelope event(String type, int step, JsonObject fields) {
    return new EventEnvelope(UUID.randomUUID(), type, at(step), procNo, 1,
        fields.put("id", id).put("procNo", procNo));
  }
}
