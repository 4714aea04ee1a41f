package kr.go.procurement.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.Test;

/**
 * The REST commands of the original design's 구현 section, in order, as HTTPie sends them ({@code key=value} is a
 * JSON string, so {@code inspectionSuccFlag=true} arrives as {@code "true"}), with the outcomes it describes.
 * The original's inspection view had ids of its own ({@code /inspectionResults/2}); here it shares the request's id.
 */
@RealInfra
class OriginalDesignCommandsTest {

  @Test
  void theOriginalCommandsWorkUnchanged() {
    try (ProcurementSystem system = new ProcurementSystem()) {
      // http POST localhost:8082/deliveryrequests procNo=p01 procTitle=title01
      HttpJson.Response posted = system.request.send("POST", "/deliveryrequests",
          "{\"procNo\": \"p01\", \"procTitle\": \"title01\"}");
      assertThat(posted.status()).isEqualTo(201);
      // http GET http://localhost:8082/deliveryrequests/1
      JsonObject request = system.request.get("/deliveryrequests/1").json();
      assertThat(request.getString("procNo")).isEqualTo("p01");
      assertThat(request.getString("procTitle")).isEqualTo("title01");

      // 조달요청서는 납품관리 서비스로 전달된다: http GET http://localhost:8081/deliverymanagements/1
      Steps steps = new Steps(system);
      assertThat(steps.awaitManagement(1, "POSTED").getString("procTitle")).isEqualTo("title01");

      // http PATCH http://localhost:8081/deliverymanagements/1 procNo=p01 companyNo=c01 companyNm=redbull
      HttpJson.Response order = system.management.send("PATCH", "/deliverymanagements/1",
          "{\"procNo\": \"p01\", \"companyNo\": \"c01\", \"companyNm\": \"redbull\"}");
      assertThat(order.status()).as(order.body()).isEqualTo(200);
      assertThat(system.management.get("/deliverymanagements/1").json().getString("companyNm")).isEqualTo("redbull");

      // 납품요구서가 물품납품 서비스로 전달된다: http GET http://localhost:8083/goodsdeliveries/1
      assertThat(steps.awaitDelivery(1, "DELIVERY_REQUESTED").getString("companyNo")).isEqualTo("c01");

      // http PATCH http://localhost:8083/goodsdeliveries/1 procNo=p01 companyPhoneNo=010-1234-1234
      HttpJson.Response inspection = system.delivery.send("PATCH", "/goodsdeliveries/1",
          "{\"procNo\": \"p01\", \"companyPhoneNo\": \"010-1234-1234\"}");
      assertThat(inspection.status()).as(inspection.body()).isEqualTo(200);

      // 검사검수요청서가 납품요구 서비스로 전달된다: http GET http://localhost:8082/inspectionResults/2
      assertThat(steps.awaitInspectionView(1, "INSPECTION_REQUESTED").getString("companyPhoneNo"))
          .isEqualTo("010-1234-1234");

      // http PATCH http://localhost:8082/inspectionResults/2 procNo=p01 inspectionSuccFlag=true
      HttpJson.Response result = system.request.send("PATCH", "/inspectionResults/1",
          "{\"procNo\": \"p01\", \"inspectionSuccFlag\": \"true\"}");
      assertThat(result.status()).as(result.body()).isEqualTo(200);
      assertThat(system.request.get("/inspectionResults/1").json().getBoolean("inspectionSuccFlag")).isTrue();

      // 검사결과가 갱신되면 납품관리 서비스에 공지된다: http GET http://localhost:8081/deliverymanagements/1
      JsonObject managed = system.management.get("/deliverymanagements/1").json();
      assertThat(managed.getString("status")).isEqualTo("INSPECTED");
      assertThat(managed.getBoolean("inspectionSuccFlag")).isTrue();

      // 납품관리 서비스 Down 시 납품요구 서비스의 검사결과 갱신도 실패한다:
      // http PATCH http://localhost:8082/inspectionresults/2 procNo=p01 inspectionSuccFlag=true
      long second = steps.upToInspectionRequest("p02");
      system.stopManagement();
      HttpJson.Response down = system.request.send("PATCH", "/inspectionresults/" + second,
          "{\"procNo\": \"p02\", \"inspectionSuccFlag\": \"true\"}");
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.header("Retry-After")).isNotBlank();
      assertThat(down.header("Content-Type")).startsWith("application/problem+json");
      assertThat(system.request.get("/inspectionResults/" + second).json().getString("status"))
          .isEqualTo("INSPECTION_REQUESTED");
    }
  }
}
