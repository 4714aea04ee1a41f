package kr.go.procurement.notification.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import kr.go.procurement.notification.store.SmsHistoryStore;
import kr.go.procurement.platform.http.Hal;

/** The JSON of an SMS history record: the stored document without the sender's bookkeeping, plus HAL links. */
final class Representations {

  static final String COLLECTION = "smsHistories";
  static final String PATH = "/" + COLLECTION;

  private Representations() {
  }

  static JsonObject smsHistory(RoutingContext ctx, JsonObject doc) {
    long next = doc.getNumber("nextAttemptAt", 0).longValue();
    boolean willRetry = "FAILED".equals(doc.getString("status")) && Boolean.TRUE.equals(doc.getBoolean("retryable"));
    JsonObject json = new JsonObject()
        .put("id", doc.getValue("id"))
        .put("procNo", doc.getString("procNo"))
        .put("phoneNo", doc.getString("phoneNo"))
        .put("contents", doc.getString("contents"))
        .put("status", doc.getString("status"))
        .put("attempts", doc.getInteger("attempts"))
        .put("sentAt", doc.getString("sentAt"))
        .put("eventId", doc.getString("eventId"))
        .put("reason", doc.getString("reason"))
        .put("nextAttemptAt", willRetry && next > 0 ? SmsHistoryStore.time(Instant.ofEpochMilli(next)) : null)
        .put("createdAt", doc.getString("createdAt"))
        .put("updatedAt", doc.getString("updatedAt"));
    return Hal.resource(ctx, json, PATH + "/" + doc.getValue("id"), "smsHistory");
  }
}
