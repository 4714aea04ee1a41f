package kr.go.procurement.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Many clients at once: every workflow ends in its right state, no update is lost, nothing is duplicated. */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrencyTest {

  private ProcurementSystem system;
  private Steps steps;
  private ExecutorService clients;

  @BeforeAll
  void start() {
    // About concurrency, not the breaker: 25 clients on a busy machine can make management answer slower than the
    // 1 s default, and the breaker opening would answer 503 to the workflows.
    system = new ProcurementSystem(Map.of("MANAGEMENT_TIMEOUT_MS", "30000", "MANAGEMENT_CB_MAX_FAILURES", "1000"));
    steps = new Steps(system);
    clients = Executors.newFixedThreadPool(25);
  }

  @AfterAll
  void stop() {
    clients.shutdownNow();
    system.close();
  }

  /** What a workflow is expected to end as, in every service. */
  private record Outcome(String procNo, long id, String request, String management, String delivery, int events) {
  }

  @Test
  void fiftyParallelWorkflowsEachEndInTheirRightState() throws Exception {
    List<Future<Outcome>> runs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String procNo = "conc-" + i;
      int variant = i % 5;
      runs.add(clients.submit(workflow(procNo, variant)));
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (Future<Outcome> run : runs) {
      outcomes.add(run.get());
    }

    for (Outcome o : outcomes) {
      assertThat(system.request.get("/deliveryrequests/" + o.id()).json().getString("status")).as(o.procNo())
          .isEqualTo(o.request());
      steps.awaitManagement(o.id(), o.management());
      if (o.delivery() != null) {
        steps.awaitDelivery(o.id(), o.delivery());
      }
    }
    assertThat(system.request.get("/deliveryrequests?size=1").json().getJsonObject("page").getLong("totalElements"))
        .isEqualTo(50);
    assertThat(system.management.get("/deliverymanagements?size=1").json().getJsonObject("page")
        .getLong("totalElements")).isEqualTo(50);

    // No event was published twice: one of each type per procurement (cancelled ones: one cancellation each).
    List<EventEnvelope> published = system.events(null, expectedEvents(outcomes)).stream()
        .filter(e -> e.procNo().startsWith("conc-")).toList();
    assertThat(published).hasSize(expectedEvents(outcomes));
    Map<String, Long> perKey = published.stream()
        .collect(Collectors.groupingBy(e -> e.procNo() + "/" + e.eventType() + "/" + e.eventId(),
            Collectors.counting()));
    assertThat(perKey.values()).allMatch(n -> n == 1);
    Map<String, Long> perTypeAndProcNo = published.stream()
        .collect(Collectors.groupingBy(e -> e.procNo() + "/" + e.eventType(), Collectors.counting()));
    assertThat(perTypeAndProcNo.values()).allMatch(n -> n == 1);
  }

  private static int expectedEvents(List<Outcome> outcomes) {
    return outcomes.stream().mapToInt(Outcome::events).sum();
  }

  /**
   * Variant 0..2: the whole workflow (passed, failed, passed); 3: cancelled after the delivery order; 4: cancelled
   * after the inspection request.
   */
  private Callable<Outcome> workflow(String procNo, int variant) {
    return () -> {
      long id = steps.register(procNo);
      steps.awaitManagement(id, "POSTED");
      assertThat(steps.issueDeliveryOrder(id, procNo).status()).isEqualTo(200);
      steps.awaitDelivery(id, "DELIVERY_REQUESTED");
      if (variant == 3) {
        assertThat(system.request.delete("/deliveryrequests/" + id).status()).isEqualTo(204);
        // Posted, DeliveryRequestPatched, ProcurementRequestCanceled, ProcurementNoticeCanceled.
        return new Outcome(procNo, id, "CANCELED", "CANCELED", "CANCELED", 4);
      }
      assertThat(steps.requestInspection(id, procNo).status()).isEqualTo(200);
      steps.awaitInspectionView(id, "INSPECTION_REQUESTED");
      if (variant == 4) {
        assertThat(system.request.delete("/deliveryrequests/" + id).status()).isEqualTo(204);
        return new Outcome(procNo, id, "CANCELED", "CANCELED", "CANCELED", 5);
      }
      HttpJson.Response result = steps.registerResult(id, procNo, variant != 1);
      assertThat(result.status()).as(result.body()).isEqualTo(200);
      return new Outcome(procNo, id, "INSPECTED", "INSPECTED", "INSPECTION_REQUESTED", 4);
    };
  }

  @Test
  void twentyConflictingUpdatesOfOneRecordAreAllAppliedOrRefusedNeverLost() throws Exception {
    long id = steps.register("conflict-1");
    List<Future<HttpJson.Response>> edits = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String title = "title-" + i;
      edits.add(clients.submit(() -> system.request.patch("/deliveryrequests/" + id,
          new JsonObject().put("procTitle", title))));
    }
    List<HttpJson.Response> answers = new ArrayList<>();
    for (Future<HttpJson.Response> f : edits) {
      answers.add(f.get());
    }
    assertThat(answers).allMatch(r -> r.status() == 200 || r.status() == 409);
    long applied = answers.stream().filter(r -> r.status() == 200).count();
    assertThat(applied).isPositive();

    // Every 200 is one version step and one republished event: none was overwritten silently.
    String etag = system.request.get("/deliveryrequests/" + id).header("ETag");
    assertThat(etag).isEqualTo("W/\"" + applied + "\"");
    List<EventEnvelope> events = system.events("conflict-1", (int) applied + 1);
    assertThat(events).hasSize((int) applied + 1);
    assertThat(answers.stream().filter(r -> r.status() == 200).map(r -> r.json().getString("procTitle")))
        .doesNotHaveDuplicates();
  }

  @Test
  void withIfMatchExactlyOneOfTwentyConcurrentUpdatesWins() throws Exception {
    long id = steps.register("conflict-2");
    String etag = system.request.get("/deliveryrequests/" + id).header("ETag");
    List<Future<HttpJson.Response>> edits = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String body = new JsonObject().put("procTitle", "if-match-" + i).encode();
      edits.add(clients.submit(() -> system.request.sendWithHeader("PATCH", "/deliveryrequests/" + id, body,
          "If-Match", etag)));
    }
    Map<Integer, Long> byStatus = new java.util.HashMap<>();
    for (Future<HttpJson.Response> f : edits) {
      byStatus.merge(f.get().status(), 1L, Long::sum);
    }
    assertThat(byStatus).containsEntry(200, 1L);
    assertThat(byStatus.getOrDefault(412, 0L) + byStatus.getOrDefault(409, 0L)).isEqualTo(19);
  }
}
