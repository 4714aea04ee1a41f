package kr.go.procurement.delivery.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import kr.go.procurement.delivery.domain.GoodsDelivery;
import kr.go.procurement.platform.http.Hal;

/** The JSON of delivery-svc's resource. Absent values are written as null, as Spring Data REST does. */
final class Representations {

  private Representations() {
  }

  static JsonObject goodsDelivery(RoutingContext ctx, GoodsDelivery d) {
    JsonObject json = new JsonObject()
        .put("id", d.id())
        .put("procNo", d.procNo())
        .put("companyNo", d.supplier().companyNo())
        .put("companyNm", d.supplier().companyNm())
        .put("companyPhoneNo", d.companyPhoneNo())
        .put("inspectionContents", d.inspectionContents())
        .put("status", d.status().name())
        .put("createdAt", d.createdAt() == null ? null : d.createdAt().toString())
        .put("updatedAt", d.updatedAt() == null ? null : d.updatedAt().toString());
    return Hal.resource(ctx, json, "/goodsdeliveries/" + d.id(), "goodsdelivery");
  }

}
