package kr.go.procurement.request.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import kr.go.procurement.platform.http.Hal;
import kr.go.procurement.request.domain.ProcurementRequest;

/** The JSON of request-svc's resources. Absent values are written as null, as Spring Data REST does. */
final class Representations {

  private Representations() {
  }

  static JsonObject deliveryRequest(RoutingContext ctx, ProcurementRequest r) {
    JsonObject json = new JsonObject()
        .put("id", r.id())
        .put("procNo", r.procNo())
        .put("procTitle", r.details().procTitle())
        .put("procContents", r.details().procContents())
        .put("procPrice", r.details().procPrice())
        .put("procAgency", r.details().procAgency())
        .put("procQty", r.details().procQty())
        .put("companyNo", r.supplier().companyNo())
        .put("companyNm", r.supplier().companyNm())
        .put("companyPhoneNo", r.companyPhoneNo())
        .put("inspectionContents", r.inspectionContents())
        .put("inspectionSuccFlag", r.inspectionSuccFlag())
        .put("status", r.status().name())
        .put("createdAt", r.createdAt() == null ? null : r.createdAt().toString())
        .put("updatedAt", r.updatedAt() == null ? null : r.updatedAt().toString());
    return Hal.resource(ctx, json, "/deliveryrequests/" + r.id(), "deliveryrequest");
  }

  static JsonObject inspectionResult(RoutingContext ctx, ProcurementRequest r) {
    JsonObject json = new JsonObject()
        .put("id", r.id())
        .put("procNo", r.procNo())
        .put("procTitle", r.details().procTitle())
        .put("companyNo", r.supplier().companyNo())
        .put("companyNm", r.supplier().companyNm())
        .put("companyPhoneNo", r.companyPhoneNo())
        .put("inspectionContents", r.inspectionContents())
        .put("inspectionSuccFlag", r.inspectionSuccFlag())
        .put("status", r.status().name())
        .put("inspectionRequestedAt", r.inspectionRequestedAt() == null ? null : r.inspectionRequestedAt().toString())
        .put("updatedAt", r.updatedAt() == null ? null : r.updatedAt().toString());
    return Hal.resource(ctx, json, "/inspectionResults/" + r.id(), "inspectionResult");
  }
}
