package kr.go.procurement.management;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.events.EventTypes;
import kr.go.procurement.testsupport.Database;
import kr.go.procurement.testsupport.ContractEvents;
import kr.go.procurement.testsupport.Eventually;
import kr.go.procurement.testsupport.SamePartition;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.RealInfra;
import kr.go.procurement.testsupport.TopicProbe.Received;
import kr.go.procurement.testsupport.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * management-svc against real PostgreSQL and Kafka: events in through the topic, commands through HTTP, events out
 * read back from the topic. Every test works on its own procurement (own id and procNo), so they share one
 * deployment.
 */
@RealInfra
@ExtendWith(VertxExtension.class)
class ManagementServiceTest {

  private static final String PROBLEM_JSON = "application/problem+json";
  private static final AtomicLong IDS = new AtomicLong();
  private static final int PARTITIONS = 3;

  private static int port;
  private static WebClient web;
  private static TopicProbe topic;
  /** The event types this service publishes. */
  private static final java.util.Set<String> OUR_EVENTS =
      java.util.Set.of("DeliveryRequestPatched", "ProcurementNoticeCanceled");
  private static Database db;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    Infra infra = Infra.get();
    String database = infra.newDatabase();
    String topicName = infra.newTopic(PARTITIONS);
    Map<String, String> env = infra.env(database, topicName, null);
    ManagementVerticle verticle = new ManagementVerticle(
        ManagementConfig.fromEnv(new Env(env).with(Map.of("HTTP_PORT", "0"))));
    vertx.deployVerticle(verticle).await(60, SECONDS);
    port = verticle.actualPort();
    web = WebClient.create(vertx);
    topic = new TopicProbe(infra.kafkaBootstrapServers(), topicName);
    db = new Database(env);
  }

  @AfterAll
  static void closeProbe() throws InterruptedException {
    if (topic != null) {
      topic.close();
    }
  }

  // ---- ProcurementRequestPosted ----

  @Test
  void postedEventCreatesOneRecordHoweverOftenItArrives() {
    Procurement p = newProcurement();
    JsonObject posted = p.posted("노트북 구매");
    topic.send(posted);
    JsonObject created = awaitRecord(p.id);
    assertThat(created.getString("status")).isEqualTo("POSTED");
    assertThat(created.getString("procNo")).isEqualTo(p.procNo);
    assertThat(created.getString("procTitle")).isEqualTo("노트북 구매");
    assertThat(created.getLong("procPrice")).isEqualTo(1_500_000L);
    assertThat(created.getDouble("procQty")).isEqualTo(3.0);
    assertThat(created.getString("procAgency")).isEqualTo("서울특별시");
    assertThat(created.getJsonObject("_links").getJsonObject("self").getString("href"))
        .endsWith("/deliverymanagements/" + p.id);

    // The same event redelivered, and the same request posted again under a new eventId.
    topic.send(posted);
    JsonObject again = p.posted("노트북 구매");
    topic.send(again);
    Eventually.until(() -> assertThat(db.applied("management", again.getString("eventId"))).isTrue());

    JsonObject after = get("/deliverymanagements/" + p.id).bodyAsJsonObject();
    assertThat(after.getString("createdAt")).isEqualTo(created.getString("createdAt"));
    assertThat(etag(get("/deliverymanagements/" + p.id))).isEqualTo("W/\"0\"");
    assertThat(db.count("SELECT count(*) FROM management.delivery_management WHERE proc_no = ? OR id = ?",
        p.procNo, p.id)).isEqualTo(1);
  }

  @Test
  void repostedRequestIsFollowedOnlyWhileStillPosted() {
    Procurement p = posted();
    topic.send(p.posted("수정된 제목"));
    Eventually.until(() -> assertThat(get("/deliverymanagements/" + p.id).bodyAsJsonObject()
        .getString("procTitle")).isEqualTo("수정된 제목"));

    assertThat(issueOrder(p, "c01", "redbull").statusCode()).isEqualTo(200);
    JsonObject late = p.posted("너무 늦은 수정");
    topic.send(late);
    Eventually.until(() -> assertThat(db.applied("management", late.getString("eventId"))).isTrue());
    JsonObject now = get("/deliverymanagements/" + p.id).bodyAsJsonObject();
    assertThat(now.getString("procTitle")).isEqualTo("수정된 제목");
    assertThat(now.getString("status")).isEqualTo("DELIVERY_REQUESTED");
  }

  @Test
  void malformedPostedEventGoesToTheDeadLetterTopicAndStoresNothing() {
    Procurement p = newProcurement();
    JsonObject noTitle = p.posted("x");
    noTitle.remove("procTitle");
    topic.send(noTitle);
    JsonObject wrongId = p.posted("x").put("id", "not a number");
    topic.send(wrongId);

    Eventually.until(() -> assertThat(topic.deadLetters(p.procNo)).hasSize(2));
    assertThat(get("/deliverymanagements/" + p.id).statusCode()).isEqualTo(404);
    // The consumer moved on: a good event behind the bad ones on the same partition is applied.
    topic.send(p.posted("정상"));
    awaitRecord(p.id);
  }

  // ---- PATCH /deliverymanagements/{id}: the delivery order ----

  @Test
  void deliveryOrderPublishesOneDeliveryRequestPatchedWithTheContractFields() {
    Procurement p = posted();
    HttpResponse<Buffer> response = issueOrder(p, "c01", "redbull");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(etag(response)).isEqualTo("W/\"1\"");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("DELIVERY_REQUESTED");
    assertThat(body.getString("companyNo")).isEqualTo("c01");
    assertThat(body.getString("companyNm")).isEqualTo("redbull");

    Received event = topic.awaitExactlyOne(EventTypes.DELIVERY_REQUEST_PATCHED, p.procNo, () -> relayMarker(p));
    assertThat(event.key()).isEqualTo(p.procNo);
    ContractEvents.assertContractEvent(event, EventTypes.DELIVERY_REQUEST_PATCHED, new JsonObject()
        .put("id", p.id).put("procNo", p.procNo).put("companyNo", "c01").put("companyNm", "redbull"));
    JsonObject v = event.value();
    assertThat(v.fieldNames()).containsExactlyInAnyOrder("eventId", "eventType", "timestamp", "procNo", "version",
        "id", "companyNo", "companyNm");
    assertThat(UUID.fromString(v.getString("eventId"))).isNotNull();
    assertThat(Instant.parse(v.getString("timestamp"))).isBefore(Instant.now().plusSeconds(1));
    assertThat(v.getInteger("version")).isEqualTo(1);
    assertThat(v.getLong("id")).isEqualTo(p.id);
    assertThat(v.getString("procNo")).isEqualTo(p.procNo);
    assertThat(v.getString("companyNo")).isEqualTo("c01");
    assertThat(v.getString("companyNm")).isEqualTo("redbull");
  }

  @Test
  void deliveryOrderRetriedForTheSameSupplierChangesNothingAndAnotherSupplierIsAConflict() {
    Procurement p = posted();
    assertThat(issueOrder(p, "c01", "redbull").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> retry = issueOrder(p, "c01", "redbull");
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(etag(retry)).isEqualTo("W/\"1\"");

    HttpResponse<Buffer> other = issueOrder(p, "c02", "monster");
    assertConflict(other, "already issued to supplier c01");
    topic.awaitExactlyOne(EventTypes.DELIVERY_REQUEST_PATCHED, p.procNo, () -> relayMarker(p));
    assertThat(get("/deliverymanagements/" + p.id).bodyAsJsonObject().getString("companyNo")).isEqualTo("c01");
  }

  @Test
  void deliveryOrderIsAConflictOnceCancelledOrInspected() {
    Procurement cancelled = posted();
    cancel(cancelled);
    assertConflict(issueOrder(cancelled, "c01", "redbull"), "cancelled");

    Procurement inspected = posted();
    issueOrder(inspected, "c01", "redbull");
    assertThat(inspectionResult(inspected.procNo, new JsonObject().put("inspectionSuccFlag", true)).statusCode())
        .isEqualTo(200);
    assertConflict(issueOrder(inspected, "c01", "redbull"), "already inspected");
  }

  @Test
  void deliveryOrderHonoursIfMatch() {
    Procurement p = posted();
    HttpResponse<Buffer> stale = send(HttpMethod.PATCH, "/deliverymanagements/" + p.id,
        orderBody(p, "c01", "redbull"), Map.of("If-Match", "W/\"7\""));
    assertThat(stale.statusCode()).isEqualTo(412);
    assertThat(stale.getHeader("Content-Type")).startsWith(PROBLEM_JSON);
    assertThat(get("/deliverymanagements/" + p.id).bodyAsJsonObject().getString("status")).isEqualTo("POSTED");

    HttpResponse<Buffer> current = send(HttpMethod.PATCH, "/deliverymanagements/" + p.id,
        orderBody(p, "c01", "redbull"), Map.of("If-Match", "W/\"0\""));
    assertThat(current.statusCode()).isEqualTo(200);
  }

  @Test
  void deliveryOrderThatCannotWriteItsEventIsRolledBackAndPublishesNothing() {
    Procurement p = posted();
    String trigger = "reject_" + p.id;
    db.execute("CREATE FUNCTION management." + trigger + "() RETURNS trigger AS $$ BEGIN "
        + "IF NEW.proc_no = '" + p.procNo + "' THEN RAISE EXCEPTION 'outbox unavailable'; END IF; RETURN NEW; END "
        + "$$ LANGUAGE plpgsql");
    db.execute("CREATE TRIGGER " + trigger + " BEFORE INSERT ON management.outbox FOR EACH ROW EXECUTE FUNCTION "
        + "management." + trigger + "()");
    try {
      HttpResponse<Buffer> failed = issueOrder(p, "c01", "redbull");
      assertThat(failed.statusCode()).isEqualTo(500);
      assertThat(failed.bodyAsString()).doesNotContain("outbox unavailable").doesNotContain("INSERT");
      JsonObject unchanged = get("/deliverymanagements/" + p.id).bodyAsJsonObject();
      assertThat(unchanged.getString("status")).isEqualTo("POSTED");
      assertThat(unchanged.getString("companyNo")).isNull();
    } finally {
      db.execute("DROP TRIGGER " + trigger + " ON management.outbox");
      db.execute("DROP FUNCTION management." + trigger + "()");
    }
    // The retry is the first and only event: the failed attempt left nothing in the outbox.
    assertThat(issueOrder(p, "c01", "redbull").statusCode()).isEqualTo(200);
    topic.awaitExactlyOne(EventTypes.DELIVERY_REQUEST_PATCHED, p.procNo, () -> relayMarker(p));
  }

  @Test
  void badInputIsAnsweredWithAProblemAndChangesNothing() {
    Procurement p = posted();
    String path = "/deliverymanagements/" + p.id;

    assertProblem(send(HttpMethod.PATCH, path, "{\"companyNo\": \"c01\",", Map.of()), 400, null);
    assertProblem(send(HttpMethod.PATCH, path, "[1, 2]", Map.of()), 400, null);
    assertProblem(send(HttpMethod.PATCH, path, "", Map.of()), 400, null);
    assertProblem(send(HttpMethod.PATCH, path, new JsonObject().put("companyNo", new JsonObject().put("a", 1))
        .put("companyNm", "x").encode(), Map.of()), 400, "companyNo");
    assertProblem(send(HttpMethod.PATCH, path, new JsonObject().put("companyNo", "c01").encode(), Map.of()), 400,
        "companyNm");
    assertProblem(send(HttpMethod.PATCH, path, new JsonObject().put("procNo", "p 01!").put("companyNo", "c01")
        .put("companyNm", "x").encode(), Map.of()), 400, "procNo");
    assertProblem(send(HttpMethod.PATCH, path, new JsonObject().put("procNo", "someone-else").put("companyNo", "c01")
        .put("companyNm", "x").encode(), Map.of()), 400, "procNo");
    assertProblem(send(HttpMethod.PATCH, path, new JsonObject().put("companyNo", "c01")
        .put("companyNm", "가".repeat(101)).encode(), Map.of()), 400, "companyNm");
    assertProblem(send(HttpMethod.PATCH, path, new JsonObject().put("companyNo", "c".repeat(51))
        .put("companyNm", "x").encode(), Map.of()), 400, "companyNo");
    assertProblem(send(HttpMethod.PATCH, path, new JsonObject().put("companyNo", "c01").put("companyNm", "x")
        .put("padding", "x".repeat(70 * 1024)).encode(), Map.of()), 413, null);
    assertProblem(send(HttpMethod.PATCH, path, orderBody(p, "c01", "x"), Map.of("If-Match", "yesterday")), 400,
        null);
    assertProblem(send(HttpMethod.PATCH, "/deliverymanagements/987654321", orderBody(p, "c01", "x"), Map.of()), 404,
        null);
    assertProblem(send(HttpMethod.PATCH, "/deliverymanagements/abc", orderBody(p, "c01", "x"), Map.of()), 404, null);
    assertProblem(get("/deliverymanagements/-1"), 404, null);

    String results = "/deliverymanagements/inspection-results/" + p.procNo;
    assertProblem(send(HttpMethod.PUT, results, new JsonObject().put("inspectionSuccFlag", "maybe").encode(),
        Map.of()), 400, "inspectionSuccFlag");
    assertProblem(send(HttpMethod.PUT, results, new JsonObject().put("companyNo", "c01").encode(), Map.of()), 400,
        "inspectionSuccFlag");
    assertProblem(send(HttpMethod.PUT, "/deliverymanagements/inspection-results/bad%20no",
        new JsonObject().put("inspectionSuccFlag", true).encode(), Map.of()), 400, "procNo");

    JsonObject unchanged = get(path).bodyAsJsonObject();
    assertThat(unchanged.getString("status")).isEqualTo("POSTED");
    assertThat(unchanged.getString("companyNo")).isNull();
    assertThat(etag(get(path))).isEqualTo("W/\"0\"");
    assertThat(topic.publishedByRelay(p.procNo, OUR_EVENTS, () -> relayMarker(p))).isZero();
  }

  // ---- PUT /deliverymanagements/inspection-results/{procNo} ----

  @Test
  void inspectionResultIsRecordedOnceIdempotentlyAndPublishesNothing() {
    Procurement p = posted();
    issueOrder(p, "c01", "redbull");
    JsonObject result = new JsonObject().put("companyNo", "c01").put("companyNm", "레드불").put("inspectionSuccFlag",
        true);

    HttpResponse<Buffer> first = inspectionResult(p.procNo, result);
    assertThat(first.statusCode()).isEqualTo(200);
    JsonObject body = first.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("INSPECTED");
    assertThat(body.getBoolean("inspectionSuccFlag")).isTrue();
    assertThat(body.getString("companyNm")).isEqualTo("레드불");
    assertThat(etag(first)).isEqualTo("W/\"2\"");

    HttpResponse<Buffer> retry = inspectionResult(p.procNo, result);
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(etag(retry)).isEqualTo("W/\"2\"");

    assertConflict(inspectionResult(p.procNo, result.copy().put("inspectionSuccFlag", false)),
        "already recorded as passed");
    // Only the delivery order's event: the inspection result has none in the contract.
    assertThat(topic.publishedByRelay(p.procNo, OUR_EVENTS, () -> relayMarker(p))).isEqualTo(1);
  }

  @Test
  void inspectionResultIsNotFoundForAnUnknownProcurementAndAConflictWithoutALiveDeliveryOrder() {
    assertProblem(inspectionResult("never-posted-" + IDS.incrementAndGet(),
        new JsonObject().put("inspectionSuccFlag", true)), 404, null);

    Procurement noOrder = posted();
    assertConflict(inspectionResult(noOrder.procNo, new JsonObject().put("inspectionSuccFlag", true)),
        "no delivery order");

    Procurement cancelled = posted();
    issueOrder(cancelled, "c01", "redbull");
    cancel(cancelled);
    assertConflict(inspectionResult(cancelled.procNo, new JsonObject().put("inspectionSuccFlag", true)),
        "cancelled");
  }

  // ---- ProcurementRequestCanceled ----

  @Test
  void cancelEventCancelsAndPublishesProcurementNoticeCanceledOnce() {
    Procurement p = posted();
    issueOrder(p, "c01", "redbull");
    JsonObject canceled = p.canceled();
    topic.send(canceled);
    topic.send(canceled);
    topic.send(p.canceled());

    Received notice = topic.awaitExactlyOne(EventTypes.PROCUREMENT_NOTICE_CANCELED, p.procNo, () -> relayMarker(p));
    assertThat(notice.key()).isEqualTo(p.procNo);
    ContractEvents.assertContractEvent(notice, EventTypes.PROCUREMENT_NOTICE_CANCELED,
        new JsonObject().put("id", p.id).put("procNo", p.procNo));
    assertThat(notice.value().fieldNames()).containsExactlyInAnyOrder("eventId", "eventType", "timestamp", "procNo",
        "version", "id");
    assertThat(notice.value().getLong("id")).isEqualTo(p.id);
    assertThat(notice.value().getInteger("version")).isEqualTo(1);
    assertThat(get("/deliverymanagements/" + p.id).bodyAsJsonObject().getString("status")).isEqualTo("CANCELED");
  }

  @Test
  void cancelEventWinsOverAnInspectionResultRecordedJustBefore() {
    Procurement p = posted();
    issueOrder(p, "c01", "redbull");
    inspectionResult(p.procNo, new JsonObject().put("inspectionSuccFlag", false));
    topic.send(p.canceled());
    topic.awaitExactlyOne(EventTypes.PROCUREMENT_NOTICE_CANCELED, p.procNo, () -> relayMarker(p));
    assertThat(get("/deliverymanagements/" + p.id).bodyAsJsonObject().getString("status")).isEqualTo("CANCELED");
  }

  @Test
  void cancelOfAnUnseenProcurementLeavesATombstoneThatALatePostedEventCannotRevive() {
    Procurement p = newProcurement();
    topic.send(p.canceled());
    topic.awaitExactlyOne(EventTypes.PROCUREMENT_NOTICE_CANCELED, p.procNo, () -> relayMarker(p));
    assertThat(awaitRecord(p.id).getString("status")).isEqualTo("CANCELED");

    JsonObject late = p.posted("늦게 도착한 요청");
    topic.send(late);
    Eventually.until(() -> assertThat(db.applied("management", late.getString("eventId"))).isTrue());
    JsonObject still = get("/deliverymanagements/" + p.id).bodyAsJsonObject();
    assertThat(still.getString("status")).isEqualTo("CANCELED");
    assertThat(still.getString("procTitle")).isNull();
  }

  // ---- reads ----

  @Test
  void koreanTextRoundTripsByteForByte() {
    String korean = "사무용 노트북 구매 (15인치) — 긴급 ✓";
    // Beyond the BMP: the JSON codec may write it as a surrogate escape, but it must decode to the same text.
    String title = korean + " 😀";
    String company = "레드불 주식회사";
    Procurement p = newProcurement();
    topic.send(p.posted(title));
    awaitRecord(p.id);

    HttpResponse<Buffer> read = get("/deliverymanagements/" + p.id);
    assertThat(read.getHeader("Content-Type")).contains("json");
    assertThat(new String(read.body().getBytes(), StandardCharsets.UTF_8)).contains(korean);
    assertThat(read.bodyAsJsonObject().getString("procTitle")).isEqualTo(title);

    assertThat(issueOrder(p, "c01", company).bodyAsJsonObject().getString("companyNm")).isEqualTo(company);
    Received event = topic.awaitExactlyOne(EventTypes.DELIVERY_REQUEST_PATCHED, p.procNo, () -> relayMarker(p));
    assertThat(event.value().getString("companyNm").getBytes(StandardCharsets.UTF_8))
        .isEqualTo(company.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void collectionIsPagedAndSortedAndSearchableByProcNo() {
    posted();
    Procurement b = posted();
    Procurement c = posted();

    JsonObject page = get("/deliverymanagements?page=0&size=2&sort=id,desc").bodyAsJsonObject();
    JsonArray items = page.getJsonObject("_embedded").getJsonArray("deliverymanagements");
    assertThat(items).hasSize(2);
    assertThat(items.getJsonObject(0).getLong("id")).isGreaterThan(items.getJsonObject(1).getLong("id"));
    List<Long> all = get("/deliverymanagements?size=1000&sort=id,desc").bodyAsJsonObject().getJsonObject("_embedded")
        .getJsonArray("deliverymanagements").stream().map(o -> ((JsonObject) o).getLong("id")).toList();
    assertThat(all).isSortedAccordingTo(java.util.Comparator.reverseOrder()).startsWith(c.id, b.id);
    assertThat(items.stream().map(o -> ((JsonObject) o).getLong("id")).toList()).isEqualTo(all.subList(0, 2));
    List<Long> ascending = get("/deliverymanagements?size=1000&sort=id,asc").bodyAsJsonObject()
        .getJsonObject("_embedded").getJsonArray("deliverymanagements").stream()
        .map(o -> ((JsonObject) o).getLong("id")).toList();
    assertThat(ascending).isSortedAccordingTo(java.util.Comparator.naturalOrder()).endsWith(b.id, c.id);
    assertThat(page.getJsonObject("page").getInteger("size")).isEqualTo(2);
    assertThat(page.getJsonObject("page").getLong("totalElements")).isGreaterThanOrEqualTo(3);
    assertThat(page.getJsonObject("_links").containsKey("next")).isTrue();

    assertProblem(get("/deliverymanagements?sort=secret,asc"), 400, "sort");
    assertProblem(get("/deliverymanagements?page=-1"), 400, "page");

    JsonObject searches = get("/deliverymanagements/search").bodyAsJsonObject();
    assertThat(searches.getJsonObject("_links").getJsonObject("findByProcNo").getString("href"))
        .endsWith("/deliverymanagements/search/findByProcNo{?procNo}");
    JsonObject found = get("/deliverymanagements/search/findByProcNo?procNo=" + b.procNo).bodyAsJsonObject();
    assertThat(found.getLong("id")).isEqualTo(b.id);
    assertThat(found.getJsonObject("_links").getJsonObject("deliverymanagement").getString("href"))
        .endsWith("/deliverymanagements/" + b.id);
    assertProblem(get("/deliverymanagements/search/findByProcNo?procNo=nobody-" + c.id), 404, null);
    assertProblem(get("/deliverymanagements/search/findByProcNo?procNo=" + "%3Cscript%3E"), 400, "procNo");
  }

  @Test
  void farPagesAreEmptyNotErrors() {
    // page * size beyond 32 bits must reach SQL intact, not wrap around into a negative OFFSET.
    JsonObject far = get("/deliverymanagements?page=2147483647&size=1000").bodyAsJsonObject();
    assertThat(far.getJsonObject("_embedded").getJsonArray("deliverymanagements")).isEmpty();
    assertThat(far.getJsonObject("page").getInteger("number")).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void readinessIsUpAndMetricsAreExposedOnceStarted() {
    HttpResponse<Buffer> ready = get("/health/ready");
    assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/metrics").bodyAsString()).contains("outbox_backlog").contains("events_applied_total");
  }

  // ---- helpers ----

  /** A procurement of this test: its own id and procNo. */
  private record Procurement(long id, String procNo) {

    JsonObject posted(String title) {
      return TopicProbe.event(EventTypes.PROCUREMENT_REQUEST_POSTED, procNo, new JsonObject()
          .put("id", id).put("procNo", procNo).put("procTitle", title).put("procContents", "본문")
          .put("procPrice", 1_500_000L).put("procAgency", "서울특별시").put("procQty", 3.0));
    }

    JsonObject canceled() {
      return TopicProbe.event(EventTypes.PROCUREMENT_REQUEST_CANCELED, procNo,
          new JsonObject().put("id", id).put("procNo", procNo));
    }
  }

  private static Procurement newProcurement() {
    long id = IDS.incrementAndGet();
    return new Procurement(id, "p" + id + "-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /**
   * Makes management's relay publish a DeliveryRequestPatched on {@code p}'s partition, after everything it published
   * for {@code p} so far, and returns its procNo (the marker of {@link TopicProbe#awaitExactlyOne}).
   */
  private static String relayMarker(Procurement p) {
    Procurement marker;
    do {
      marker = newProcurement();
    } while (SamePartition.of(marker.procNo, PARTITIONS) != SamePartition.of(p.procNo, PARTITIONS));
    Procurement m = marker;
    topic.send(m.posted("marker " + m.id));
    awaitRecord(m.id);
    assertThat(issueOrder(m, "c-marker", "marker").statusCode()).isEqualTo(200);
    return m.procNo;
  }

  /** A procurement whose posted request management has applied. */
  private static Procurement posted() {
    Procurement p = newProcurement();
    topic.send(p.posted("조달 " + p.id));
    awaitRecord(p.id);
    return p;
  }

  private static void cancel(Procurement p) {
    topic.send(p.canceled());
    Eventually.until(() -> assertThat(get("/deliverymanagements/" + p.id).bodyAsJsonObject().getString("status"))
        .isEqualTo("CANCELED"));
  }

  private static JsonObject awaitRecord(long id) {
    return Eventually.get(() -> {
      HttpResponse<Buffer> r = get("/deliverymanagements/" + id);
      return r.statusCode() == 200 ? r.bodyAsJsonObject() : null;
    });
  }

  private static String orderBody(Procurement p, String companyNo, String companyNm) {
    return new JsonObject().put("procNo", p.procNo).put("companyNo", companyNo).put("companyNm", companyNm).encode();
  }

  private static HttpResponse<Buffer> issueOrder(Procurement p, String companyNo, String companyNm) {
    return send(HttpMethod.PATCH, "/deliverymanagements/" + p.id, orderBody(p, companyNo, companyNm), Map.of());
  }

  private static HttpResponse<Buffer> inspectionResult(String procNo, JsonObject body) {
    return send(HttpMethod.PUT, "/deliverymanagements/inspection-results/" + procNo, body.encode(), Map.of());
  }

  private static HttpResponse<Buffer> get(String path) {
    return web.request(HttpMethod.GET, port, "localhost", path).send().await();
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String path, String body, Map<String, String> headers) {
    HttpRequest<Buffer> request = web.request(method, port, "localhost", path)
        .putHeader("Content-Type", "application/json");
    headers.forEach(request::putHeader);
    return request.sendBuffer(Buffer.buffer(body, "UTF-8")).await();
  }

  private static String etag(HttpResponse<Buffer> response) {
    return response.getHeader("ETag");
  }

  private static void assertConflict(HttpResponse<Buffer> response, String detailPart) {
    JsonObject problem = assertProblem(response, 409, null);
    assertThat(problem.getString("detail")).contains(detailPart);
  }

  /** A problem+json answer with this status and, if {@code field} is given, a field error naming it. */
  private static JsonObject assertProblem(HttpResponse<Buffer> response, int status, String field) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith(PROBLEM_JSON);
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("detail")).isNotBlank();
    if (field != null) {
      assertThat(problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
          .contains(field);
    }
    return problem;
  }
}
