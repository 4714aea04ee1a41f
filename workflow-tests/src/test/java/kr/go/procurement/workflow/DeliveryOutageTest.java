package kr.go.procurement.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.Test;

/**
 * 물품납품 서비스가 동작되지 않더라도 납품요구, 납품관리 서비스는 365일 24시간 받을 수 있어야 한다: with delivery-svc
 * stopped, registrations and delivery orders still succeed; when it returns, every pending order appears once.
 */
@RealInfra
class DeliveryOutageTest {

  @Test
  void requestsAndDeliveryOrdersKeepWorkingAndTheBacklogArrivesExactlyOnce() {
    try (ProcurementSystem system = new ProcurementSystem()) {
      Steps steps = new Steps(system);
      system.stopDelivery();
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        long id = steps.register("out-" + i);
        steps.awaitManagement(id, "POSTED");
        assertThat(steps.issueDeliveryOrder(id, "out-" + i).status()).isEqualTo(200);
        ids.add(id);
      }
      assertThat(system.delivery.get("/goodsdeliveries").status()).isEqualTo(-1); // nobody listens

      system.startDelivery();
      for (long id : ids) {
        steps.awaitDelivery(id, "DELIVERY_REQUESTED");
      }
      JsonObject page = system.delivery.get("/goodsdeliveries?size=100").json();
      assertThat(page.getJsonObject("page").getLong("totalElements")).isEqualTo(10);
    }
  }
}
