package kr.go.procurement.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.testsupport.RealInfra;
import kr.go.procurement.testsupport.SamePartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** One test per functional requirement (기능적 요구사항) of the original design, over HTTP and events. */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FunctionalRequirementsTest {

  private ProcurementSystem system;
  private Steps steps;

  @BeforeAll
  void start() {
    system = new ProcurementSystem();
    steps = new Steps(system);
  }

  @AfterAll
  void stop() {
    system.close();
  }

  /** 수요기관담당자는 조달요청서를 등록한다. 조달요청서는 납품관리 서비스로 전달(연계)된다. */
  @Test
  void aRegisteredProcurementRequestReachesManagement() {
    long id = steps.register("fr-1");
    JsonObject managed = steps.awaitManagement(id, "POSTED");
    assertThat(managed.getString("procNo")).isEqualTo("fr-1");
    assertThat(managed.getString("procTitle")).isEqualTo("사무용 의자 fr-1");
    assertThat(managed.getString("procAgency")).isEqualTo("서울시청");
  }

  /** 조달청담당자는 조달요청서에 납품요구서 정보를 갱신한다. 납품요구서가 물품납품 서비스로 전달(연계)된다. */
  @Test
  void aDeliveryOrderReachesGoodsDelivery() {
    long id = steps.register("fr-2");
    steps.awaitManagement(id, "POSTED");
    HttpJson.Response order = steps.issueDeliveryOrder(id, "fr-2");
    assertThat(order.status()).isEqualTo(200);
    assertThat(order.json().getString("status")).isEqualTo("DELIVERY_REQUESTED");
    JsonObject delivery = steps.awaitDelivery(id, "DELIVERY_REQUESTED");
    assertThat(delivery.getString("companyNo")).isEqualTo("c01");
    assertThat(delivery.getString("companyNm")).isEqualTo("레드불");
  }

  /** 조달업체담당자는 검사검수요청서를 등록한다. 검사검수요청서가 납품요구 서비스로 전달(연계)된다. */
  @Test
  void anInspectionRequestReachesTheRequestService() {
    long id = steps.upToInspectionRequest("fr-3");
    JsonObject view = system.request.get("/inspectionResults/" + id).json();
    assertThat(view.getString("companyPhoneNo")).isEqualTo("010-1234-1234");
    assertThat(view.getString("inspectionContents")).isEqualTo("납품 완료");
    assertThat(view.getString("companyNo")).isEqualTo("c01");
  }

  /** 수요기관담당자는 검사결과를 갱신한다. 검사결과가 갱신되면 납품관리 서비스에 검사결과 정보가 공지(갱신)된다. */
  @Test
  void anInspectionResultIsAnnouncedToManagementSynchronously() {
    long id = steps.upToInspectionRequest("fr-4");
    HttpJson.Response result = steps.registerResult(id, "fr-4", true);
    assertThat(result.status()).as(result.body()).isEqualTo(200);
    assertThat(result.json().getString("status")).isEqualTo("INSPECTED");
    // Synchronous: management holds the result as soon as the answer came, with no waiting.
    JsonObject managed = system.management.get("/deliverymanagements/" + id).json();
    assertThat(managed.getString("status")).isEqualTo("INSPECTED");
    assertThat(managed.getBoolean("inspectionSuccFlag")).isTrue();
  }

  /** 검사결과 정보 등록 시 조달업체 담당자에게 SMS를 발송한다: the event the SMS is sent from carries the phone. */
  @Test
  void anInspectionResultPublishesTheEventTheSupplierSmsIsSentFrom() {
    long id = steps.upToInspectionRequest("fr-5");
    assertThat(steps.registerResult(id, "fr-5", false).status()).isEqualTo(200);
    List<EventEnvelope> events = system.events("fr-5", 4);
    EventEnvelope result = events.stream().filter(e -> e.eventType().equals("InspectionResultPatched"))
        .findFirst().orElseThrow();
    assertThat(result.fields().getString("companyPhoneNo")).isEqualTo("010-1234-1234");
    assertThat(result.fields().getBoolean("inspectionSuccFlag")).isFalse();
    assertThat(events).extracting(EventEnvelope::eventType).containsExactly("ProcurementRequestPosted",
        "DeliveryRequestPatched", "InspectionRequestPatched", "InspectionResultPatched");
  }

  /** 수요기관담당자는 조달요청을 취소 할 수 있다. 조달요청이 취소되면 납품요구, 검사요청, 검사결과도 취소된다. */
  @Test
  void cancelCascadesToTheDeliveryOrderAndTheInspectionRequest() {
    long id = steps.upToInspectionRequest("fr-6");
    assertThat(system.request.delete("/deliveryrequests/" + id).status()).isEqualTo(204);
    assertThat(system.request.get("/deliveryrequests/" + id).json().getString("status")).isEqualTo("CANCELED");
    assertThat(system.request.get("/inspectionResults/" + id).json().getString("status")).isEqualTo("CANCELED");
    steps.awaitManagement(id, "CANCELED");
    steps.awaitDelivery(id, "CANCELED");
    // Nothing moves a cancelled procurement forward again.
    assertThat(steps.registerResult(id, "fr-6", true).status()).isEqualTo(409);
    assertThat(steps.requestInspection(id, "fr-6").status()).isEqualTo(409);
  }

  @Test
  void cancelBeforeTheDeliveryOrderLeavesNoDeliveryBehind() {
    long id = steps.register("fr-7");
    steps.awaitManagement(id, "POSTED");
    assertThat(system.request.delete("/deliveryrequests/" + id).status()).isEqualTo(204);
    steps.awaitManagement(id, "CANCELED");
    assertThat(steps.issueDeliveryOrder(id, "fr-7").status()).isEqualTo(409);
  }

  @Test
  void cancelAfterTheInspectionResultIsRefused() {
    long id = steps.upToInspectionRequest("fr-8");
    assertThat(steps.registerResult(id, "fr-8", true).status()).isEqualTo(200);
    HttpJson.Response cancel = system.request.delete("/deliveryrequests/" + id);
    assertThat(cancel.status()).isEqualTo(409);
    assertThat(cancel.header("Content-Type")).startsWith("application/problem+json");
    assertThat(cancel.json().getString("detail")).contains("inspection result");
    // A request registered after the refusal, on fr-8's partition: request-svc's relay publishes in commit order and
    // management applies a partition in order, so once management has it, a cancellation the refused command might
    // have written would have been applied already.
    String marker = SamePartition.keyLike("fr-8", ProcurementSystem.PARTITIONS, "fr-8-after");
    steps.awaitManagement(steps.register(marker), "POSTED");
    system.published.awaitRelayed(marker);
    assertThat(system.management.get("/deliverymanagements/" + id).json().getString("status")).isEqualTo("INSPECTED");
    assertThat(system.request.get("/deliveryrequests/" + id).json().getString("status")).isEqualTo("INSPECTED");
    assertThat(system.published.events("ProcurementRequestCanceled", "fr-8")).isEmpty();
  }

}
