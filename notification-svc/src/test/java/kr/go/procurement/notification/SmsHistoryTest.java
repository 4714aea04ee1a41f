package kr.go.procurement.notification;

import kr.go.procurement.testsupport.TopicProbe;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The SMS history: what is recorded for good and bad events, and the read API over it. */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmsHistoryTest {

  private static final String BASE = "/smsHistories";

  private Vertx vertx;
  private FakeSmsProvider phones;
  private TopicProbe kafka;
  private RunningNotification service;
  private String group;

  @BeforeAll
  void start(Infra infra) {
    vertx = Vertx.vertx();
    phones = new FakeSmsProvider(vertx).start();
    String topic = infra.newTopic(3);
    kafka = new TopicProbe(infra.kafkaBootstrapServers(), topic);
    group = "notification-" + UUID.randomUUID().toString().substring(0, 8);
    service = RunningNotification.start(infra, RunningNotification.env(infra, topic, infra.newMongoDatabase(), group,
        Map.of("SMS_PROVIDER", "http", "SMS_PROVIDER_URL", phones.url(), "SMS_TIMEOUT_MS", "1000")));
  }

  @AfterAll
  void stop() {
    service.close();
    kafka.close();
    phones.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void anInspectionResultSendsOneKoreanSmsNamingTheProcurementAndTheResult() {
    EventEnvelope event = Events.inspectionResult(1, "hist-1", "사무용 의자", "010-1234-1234", true);
    kafka.send(event.toJson());
    JsonObject record = service.awaitRecord(event.eventId().toString(), r -> "SENT".equals(r.getString("status")));

    JsonObject resource = ok(service.get(BASE + "/" + record.getLong("id")));
    assertThat(resource.getString("procNo")).isEqualTo("hist-1");
    assertThat(resource.getString("phoneNo")).isEqualTo("01012341234");
    assertThat(resource.getString("contents")).isEqualTo("[조달 납품] 조달번호 hist-1 「사무용 의자」 검사 결과: 합격입니다.");
    assertThat(resource.getString("status")).isEqualTo("SENT");
    assertThat(resource.getInteger("attempts")).isEqualTo(1);
    assertThat(resource.getString("sentAt")).isNotNull();
    assertThat(resource.getString("eventId")).isEqualTo(event.eventId().toString());
    assertThat(resource.getJsonObject("_links").getJsonObject("self").getString("href"))
        .endsWith(BASE + "/" + record.getLong("id"));
    assertThat(resource.fieldNames()).doesNotContain("leaseUntil", "retryable", "_id");
    assertThat(phones.delivered(event.eventId().toString())).singleElement()
        .satisfies(d -> assertThat(d.to()).isEqualTo("01012341234"));
  }

  @Test
  void aBadPhoneNumberGivesAFailedRecordWithTheReasonAndNoSms() {
    EventEnvelope bad = Events.inspectionResult(2, "hist-bad", "책상", "02-123-4567", false);
    EventEnvelope missing = Events.inspectionResult(3, "hist-none", "책상", null, false);
    kafka.send(bad.toJson());
    kafka.send(missing.toJson());
    kafka.awaitConsumed(group);

    JsonObject badRecord = service.awaitRecord(bad.eventId().toString(), r -> true);
    assertThat(badRecord.getString("status")).isEqualTo("FAILED");
    assertThat(badRecord.getString("reason")).isEqualTo("not a Korean mobile number");
    assertThat(badRecord.getString("phoneNo")).isEqualTo("02-123-4567");
    assertThat(badRecord.getInteger("attempts")).isZero();
    assertThat(service.awaitRecord(missing.eventId().toString(), r -> true).getString("reason"))
        .isEqualTo("the inspection result names no phone number");
    assertThat(phones.calls(bad.eventId().toString())).isZero();
    assertThat(phones.calls(missing.eventId().toString())).isZero();
    assertThat(ok(service.get(BASE + "/search/findByProcNo?procNo=hist-bad")).getValue("nextAttemptAt")).isNull();
  }

  @Test
  void aMessageTheProviderRefusesIsFailedForGoodAndNotRetried() {
    phones.mode(FakeSmsProvider.Mode.REFUSE_400);
    try {
      EventEnvelope event = Events.inspectionResult(4, "hist-refused", "의자", "01099998888", true);
      kafka.send(event.toJson());
      JsonObject record = service.awaitRecord(event.eventId().toString(), r -> "FAILED".equals(r.getString("status")));
      assertThat(record.getString("reason")).isEqualTo("the SMS provider refused the message (400)");
      assertThat(record.getBoolean("retryable")).isFalse();
      assertThat(phones.calls(event.eventId().toString())).isEqualTo(1);
    } finally {
      phones.mode(FakeSmsProvider.Mode.OK);
    }
  }

  @Test
  void historiesAreFilteredByProcNoAndByPhoneNumberWrittenAnyWayPagedAndSorted() {
    for (int i = 0; i < 4; i++) {
      kafka.send(Events.inspectionResult(100 + i, "list-" + i, "품목 " + i, "010-5555-000" + i, i % 2 == 0).toJson());
    }
    kafka.send(Events.inspectionResult(110, "list-0", "품목 0", "010-5555-0000", false).toJson());
    kafka.awaitConsumed(group);

    List<JsonObject> byProcNo = items(ok(service.get(BASE + "?procNo=list-0")));
    assertThat(byProcNo).hasSize(2).allSatisfy(r -> assertThat(r.getString("procNo")).isEqualTo("list-0"));
    for (String written : List.of("010-5555-0001", "01055550001", "%2B82%2010-5555-0001", "+82+10-5555-0001", "010%205555%200001")) {
      assertThat(items(ok(service.get(BASE + "?phoneNo=" + written)))).as(written).singleElement()
          .satisfies(r -> assertThat(r.getString("procNo")).isEqualTo("list-1"));
    }
    assertThat(items(ok(service.get(BASE + "?phoneNo=02-123-4567&size=1000"))))
        .allSatisfy(r -> assertThat(r.getString("status")).isEqualTo("FAILED"));

    JsonObject page = ok(service.get(BASE + "?size=2&page=0&sort=procNo,desc"));
    assertThat(page.getJsonObject("page").getInteger("size")).isEqualTo(2);
    assertThat(page.getJsonObject("page").getLong("totalElements")).isGreaterThanOrEqualTo(5);
    List<String> all = items(ok(service.get(BASE + "?size=1000&sort=procNo,desc"))).stream()
        .map(r -> r.getString("procNo")).toList();
    assertThat(all).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(items(page)).extracting(r -> r.getString("procNo")).containsExactlyElementsOf(all.subList(0, 2));
    assertThat(ok(service.get(BASE + "/search/findByProcNo?procNo=list-0")).getString("contents"))
        .contains("불합격");
    assertThat(ok(service.get(BASE + "/search")).getJsonObject("_links").containsKey("findByProcNo")).isTrue();

    problem(service.get(BASE + "?procNo=not%20valid"), 400);
    problem(service.get(BASE + "?sort=contents,asc"), 400);
    problem(service.get(BASE + "/987654"), 404);
    problem(service.get(BASE + "/x"), 404);
    problem(service.get(BASE + "/search/findByProcNo?procNo=nobody"), 404);
  }

  @Test
  void malformedEventsAreDeadLetteredOtherTypesSkippedAndConsumptionContinues() {
    kafka.sendRaw("m-json", "{\"eventType\": \"InspectionResultPatched\"");
    kafka.sendRaw("m-procno", new JsonObject().put("eventId", UUID.randomUUID().toString())
        .put("eventType", "InspectionResultPatched").put("timestamp", "2025-01-01T00:00:00Z")
        .put("companyPhoneNo", "01012345678").put("inspectionSuccFlag", true).encode());
    JsonObject noFlag = Events.inspectionResult(7, "m-flag", "의자", "01012345678", true).toJson();
    noFlag.remove("inspectionSuccFlag");
    kafka.sendRaw("m-flag", noFlag.encode());
    kafka.send(EventEnvelope.create("ProcurementRequestPosted", "m-other", new JsonObject().put("id", 8)).toJson());
    kafka.send(EventEnvelope.create("SomethingNew", "m-unknown", new JsonObject().put("id", 9)).toJson());
    EventEnvelope good = Events.inspectionResult(10, "m-after", "의자", "01012345678", true);
    kafka.send(good.toJson());
    kafka.awaitConsumed(group);

    assertThat(service.awaitRecord(good.eventId().toString(), r -> "SENT".equals(r.getString("status")))).isNotNull();
    Set<String> dead = kafka.deadLetters().stream().map(TopicProbe.Received::key).collect(Collectors.toSet());
    assertThat(dead).contains("m-json", "m-procno", "m-flag").doesNotContain("m-other", "m-unknown", "m-after");
    assertThat(items(ok(service.get(BASE + "?procNo=m-other")))).isEmpty();
    assertThat(items(ok(service.get(BASE + "?procNo=m-flag")))).isEmpty();
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static List<JsonObject> items(JsonObject collection) {
    JsonArray array = collection.getJsonObject("_embedded").getJsonArray("smsHistories");
    return array.stream().map(o -> (JsonObject) o).toList();
  }

  private static void problem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/problem+json");
  }
}
