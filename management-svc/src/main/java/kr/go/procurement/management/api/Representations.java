package kr.go.procurement.management.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import kr.go.procurement.management.domain.DeliveryManagement;
import kr.go.procurement.platform.http.Hal;

/** The JSON of management-svc's resource. Absent values are written as null, as Spring Data REST does. */
final class Representations {

  private Representations() {
  }

  static JsonObject deliveryManagement(RoutingContext ctx, DeliveryManagement m) {
    JsonObject json = new JsonObject()
        .put("id", m.id())
        .put("procNo", m.procNo())
        .put("procTitle", m.details().procTitle())
        .put("procContents", m.details().procContents())
        .put("procPrice", m.details().procPrice())
        .put("procAgency", m.details().procAgency())
        .put("procQty", m.details().procQty())
        .put("companyNo", m.supplier().companyNo())
        .put("companyNm", m.supplier().companyNm())
        .put("inspectionSuccFlag", m.inspectionSuccFlag())
        .put("status", m.status().name())
        .put("createdAt", m.createdAt() == null ? null : m.createdAt().toString())
        .put("updatedAt", m.updatedAt() == null ? null : m.updatedAt().toString());
    return Hal.resource(ctx, json, "/deliverymanagements/" + m.id(), "deliverymanagement");
  }

}
