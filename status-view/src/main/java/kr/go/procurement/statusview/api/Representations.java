package kr.go.procurement.statusview.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import kr.go.procurement.platform.http.Hal;

/** The JSON of the status board's resources: the stored document without its bookkeeping, plus HAL links. */
final class Representations {

  static final String COLLECTION = "deliveryStatusInquiries";
  static final String PATH = "/" + COLLECTION;

  private Representations() {
  }

  static JsonObject inquiry(String baseUrl, JsonObject doc) {
    JsonArray history = doc.getJsonArray("history", new JsonArray()).copy();
    JsonObject json = new JsonObject()
        .put("id", doc.getValue("id"))
        .put("procNo", doc.getString("procNo"))
        .put("procTitle", doc.getString("procTitle"))
        .put("procAgency", doc.getString("procAgency"))
        .put("companyNo", doc.getString("companyNo"))
        .put("companyNm", doc.getString("companyNm"))
        .put("inspectionSuccFlag", doc.getBoolean("inspectionSuccFlag"))
        .put("status", doc.getString("status"))
        .put("updatedAt", doc.getString("updatedAt"))
        .put("history", history);
    return Hal.resource(baseUrl, json, PATH + "/" + doc.getValue("id"), "deliveryStatusInquiry");
  }
}
