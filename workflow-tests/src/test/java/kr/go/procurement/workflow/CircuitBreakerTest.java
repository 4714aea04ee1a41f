package kr.go.procurement.workflow;

import static kr.go.procurement.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.NetServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.Test;

/**
 * 납품요구 서비스가 과중되면 사용자를 잠시 동안 받지 않고 잠시 후에 하도록 유도한다: management hangs, the breaker opens
 * after 5 failures, then calls fail fast without touching the network, and the service recovers by itself.
 */
@RealInfra
class CircuitBreakerTest {

  @Test
  void theBreakerOpensAfterFiveFailuresFailsFastAndClosesWhenManagementReturns() {
    try (ProcurementSystem system = new ProcurementSystem(Map.of(
        "MANAGEMENT_TIMEOUT_MS", "300", "MANAGEMENT_CB_RESET_MS", "2000", "MANAGEMENT_CB_MAX_FAILURES", "5"))) {
      Steps steps = new Steps(system);
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        ids.add(steps.upToInspectionRequest("cb-" + i));
      }

      // Management is replaced by a process that accepts connections and never answers (overloaded or hung).
      system.stopManagement();
      AtomicInteger calls = new AtomicInteger();
      NetServer hung = await(system.vertx.createNetServer()
          .connectHandler(socket -> socket.handler(bytes -> {
            if (bytes.toString().contains("PUT /deliverymanagements/inspection-results/")) {
              calls.incrementAndGet();
            }
          }))
          .listen(system.managementPort, "127.0.0.1"));

      for (int i = 0; i < 5; i++) {
        HttpJson.Response r = steps.registerResult(ids.get(i), "cb-" + i, true);
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.header("Retry-After")).isNotBlank();
      }
      assertThat(calls.get()).isEqualTo(5);

      // Open: the next calls are refused at once, and management sees none of them.
      for (int i = 5; i < 8; i++) {
        HttpJson.Response r = steps.registerResult(ids.get(i), "cb-" + i, true);
        assertThat(r.status()).isEqualTo(503);
        assertThat(Integer.parseInt(r.header("Retry-After"))).isPositive();
        assertThat(r.json().getString("detail")).contains("try again");
      }
      assertThat(calls.get()).isEqualTo(5);

      // Nothing changed anywhere, and no result event was published (request-svc publishes it; a later registration
      // on every partition, published by its relay, settles what it published before).
      for (long id : ids) {
        assertThat(system.request.get("/inspectionResults/" + id).json().getString("status"))
            .isEqualTo("INSPECTION_REQUESTED");
      }
      assertThat(system.eventsOfRequestSvc(null).stream().map(EventEnvelope::eventType))
          .doesNotContain("InspectionResultPatched");

      // Management returns; after the reset time a trial call goes through and closes the circuit.
      await(hung.close());
      system.startManagement();
      HttpJson.Response recovered = Steps.eventually(() -> steps.registerResult(ids.get(0), "cb-0", true),
          r -> r.status() == 200);
      assertThat(recovered.status()).as(recovered.body()).isEqualTo(200);
      assertThat(steps.registerResult(ids.get(1), "cb-1", false).status()).isEqualTo(200);
      assertThat(system.management.get("/deliverymanagements/" + ids.get(1)).json().getString("status"))
          .isEqualTo("INSPECTED");
    }
  }
}
