package kr.go.procurement.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** The workflow's steps as each actor performs them over HTTP, and waiting for what follows asynchronously. */
final class Steps {

  private final ProcurementSystem system;

  Steps(ProcurementSystem system) {
    this.system = system;
  }

  /** 수요기관: 조달요청서 등록. */
  long register(String procNo) {
    HttpJson.Response r = system.request.post("/deliveryrequests", new JsonObject()
        .put("procNo", procNo).put("procTitle", "사무용 의자 " + procNo).put("procAgency", "서울시청")
        .put("procPrice", 1_200_000).put("procQty", 12));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getLong("id");
  }

  JsonObject awaitManagement(long id, String status) {
    return awaitStatus(system.management, "/deliverymanagements/" + id, status);
  }

  /** 조달청: 납품요구서 (delivery order) to supplier c01. */
  HttpJson.Response issueDeliveryOrder(long id, String procNo) {
    return system.management.patch("/deliverymanagements/" + id, new JsonObject()
        .put("procNo", procNo).put("companyNo", "c01").put("companyNm", "레드불"));
  }

  JsonObject awaitDelivery(long id, String status) {
    return awaitStatus(system.delivery, "/goodsdeliveries/" + id, status);
  }

  /** 조달업체: 검사검수요청서. */
  HttpJson.Response requestInspection(long id, String procNo) {
    return system.delivery.patch("/goodsdeliveries/" + id, new JsonObject()
        .put("procNo", procNo).put("companyPhoneNo", "010-1234-1234").put("inspectionContents", "납품 완료"));
  }

  JsonObject awaitInspectionView(long id, String status) {
    return awaitStatus(system.request, "/inspectionResults/" + id, status);
  }

  /** 수요기관: 검사결과 등록. */
  HttpJson.Response registerResult(long id, String procNo, boolean passed) {
    return system.request.patch("/inspectionResults/" + id, new JsonObject()
        .put("procNo", procNo).put("inspectionSuccFlag", passed));
  }

  /** Runs the workflow up to the point where the agency can register the inspection result. */
  long upToInspectionRequest(String procNo) {
    long id = register(procNo);
    awaitManagement(id, "POSTED");
    assertThat(issueDeliveryOrder(id, procNo).status()).isEqualTo(200);
    awaitDelivery(id, "DELIVERY_REQUESTED");
    assertThat(requestInspection(id, procNo).status()).isEqualTo(200);
    awaitInspectionView(id, "INSPECTION_REQUESTED");
    return id;
  }

  JsonObject awaitStatus(HttpJson service, String path, String status) {
    HttpJson.Response r = eventually(() -> service.get(path),
        res -> res.status() == 200 && status.equals(res.json().getString("status")));
    assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
    assertThat(r.json().getString("status")).as(path).isEqualTo(status);
    return r.json();
  }

  static <T> T eventually(Supplier<T> action, Predicate<T> done) {
    long deadline = System.currentTimeMillis() + 30_000;
    T last = action.get();
    while (!done.test(last) && System.currentTimeMillis() < deadline) {
      sleep(50);
      last = action.get();
    }
    return last;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
