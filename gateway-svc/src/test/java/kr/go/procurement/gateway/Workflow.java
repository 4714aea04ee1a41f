package kr.go.procurement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Brings procurements to a given state by calling the services directly (not through the gateway), so that a test
 * of the gateway finds the rows it needs.
 */
public final class Workflow {

  private final GatewaySystem system;

  public Workflow(GatewaySystem system) {
    this.system = system;
  }

  /** Registers requests for {@code procNos}; returns their ids in the same order. */
  public List<Long> register(List<String> procNos) {
    return procNos.stream().map(procNo -> {
      Http.Response r = system.request.call("POST", "/deliveryrequests").json(new JsonObject()
          .put("procNo", procNo).put("procTitle", "사무용 의자 " + procNo).put("procAgency", "서울시청")
          .put("procPrice", 1_200_000).put("procQty", 12)).send();
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      return r.json().getLong("id");
    }).toList();
  }

  /** Waits until management holds them as POSTED. */
  public void awaitPosted(List<Long> ids) {
    ids.forEach(id -> awaitStatus(system.management, "/deliverymanagements/" + id, "POSTED"));
  }

  /** 조달청: delivery orders to {@code companyNo}, then waits until goods delivery has them. */
  public void orderAndAwait(List<Long> ids, List<String> procNos, String companyNo) {
    for (int i = 0; i < ids.size(); i++) {
      Http.Response r = system.management.call("PATCH", "/deliverymanagements/" + ids.get(i)).json(new JsonObject()
          .put("procNo", procNos.get(i)).put("companyNo", companyNo).put("companyNm", "레드불")).send();
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
    ids.forEach(id -> awaitStatus(system.delivery, "/goodsdeliveries/" + id, "DELIVERY_REQUESTED"));
  }

  /** 조달업체: inspection requests, then waits until the request service shows them. */
  public void requestInspectionAndAwait(List<Long> ids, List<String> procNos) {
    for (int i = 0; i < ids.size(); i++) {
      Http.Response r = system.delivery.call("PATCH", "/goodsdeliveries/" + ids.get(i)).json(new JsonObject()
          .put("procNo", procNos.get(i)).put("companyPhoneNo", "010-1234-1234")
          .put("inspectionContents", "납품 완료")).send();
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
    ids.forEach(id -> awaitStatus(system.request, "/inspectionResults/" + id, "INSPECTION_REQUESTED"));
  }

  public static JsonObject awaitStatus(Http service, String path, String status) {
    Http.Response r = eventually(() -> service.get(path, null),
        res -> res.status() == 200 && status.equals(res.json().getString("status")));
    assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
    assertThat(r.json().getString("status")).as(path).isEqualTo(status);
    return r.json();
  }

  public static <T> T eventually(Supplier<T> action, Predicate<T> done) {
    long deadline = System.currentTimeMillis() + 30_000;
    T last = action.get();
    while (!done.test(last) && System.currentTimeMillis() < deadline) {
      sleep(50);
      last = action.get();
    }
    return last;
  }

  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
