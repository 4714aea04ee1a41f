package kr.go.procurement.delivery;

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
 * delivery-svc against real PostgreSQL and Kafka: events in through the topic, commands through HTTP, events out
 * read back from the topic. Every test works on its own procurement (own id, procNo and supplier), so they share
 * one deployment.
 */
@RealInfra
@ExtendWith(VertxExtension.class)
class DeliveryServiceTest {

  private static final String PROBLEM_JSON = "application/problem+json";
  private static final AtomicLong IDS = new AtomicLong();
  private static final int PARTITIONS = 3;

  private static int port;
  private static WebClient web;
  private static TopicProbe topic;
  /** The event types this service publishes. */
  private static final java.util.Set<String> OUR_EVENTS = java.util.Set.of("InspectionRequestPatched");
  private static Database db;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    Infra infra = Infra.get();
    String database = infra.newDatabase();
    String topicName = infra.newTopic(PARTITIONS);
    Map<String, String> env = infra.env(database, topicName, null);
    DeliveryVerticle verticle = new DeliveryVerticle(
        DeliveryConfig.fromEnv(new Env(env).with(Map.of("HTTP_PORT", "0"))));
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

  // ---- DeliveryRequestPatched ----

  @Test
  void deliveryOrderEventCreatesOneDeliveryHoweverOftenItArrives() {
    Procurement p = newProcurement();
    JsonObject ordered = p.ordered("레드불");
    topic.send(ordered);
    JsonObject created = awaitDelivery(p.id);
    assertThat(created.getString("status")).isEqualTo("DELIVERY_REQUESTED");
    assertThat(created.getString("procNo")).isEqualTo(p.procNo);
    assertThat(created.getString("companyNo")).isEqualTo(p.company);
    assertThat(created.getString("companyNm")).isEqualTo("레드불");
    assertThat(created.getString("companyPhoneNo")).isNull();
    assertThat(created.getJsonObject("_links").getJsonObject("goodsdelivery").getString("href"))
        .endsWith("/goodsdeliveries/" + p.id);

    topic.send(ordered);
    JsonObject again = p.ordered("레드불");
    topic.send(again);
    Eventually.until(() -> assertThat(db.applied("delivery", again.getString("eventId"))).isTrue());

    HttpResponse<Buffer> after = get("/goodsdeliveries/" + p.id);
    assertThat(after.getHeader("ETag")).isEqualTo("W/\"0\"");
    assertThat(after.bodyAsJsonObject().getString("createdAt")).isEqualTo(created.getString("createdAt"));
    assertThat(db.count("SELECT count(*) FROM delivery.goods_delivery WHERE proc_no = ? OR id = ?", p.procNo, p.id))
        .isEqualTo(1);
  }

  @Test
  void repeatedDeliveryOrderIsFollowedOnlyWhileNoInspectionWasRequested() {
    Procurement p = delivered();
    topic.send(p.ordered("새 이름"));
    Eventually.until(() -> assertThat(get("/goodsdeliveries/" + p.id).bodyAsJsonObject().getString("companyNm"))
        .isEqualTo("새 이름"));

    assertThat(requestInspection(p, "010-1234-1234", "검수 요청").statusCode()).isEqualTo(200);
    JsonObject late = p.ordered("늦은 이름");
    topic.send(late);
    Eventually.until(() -> assertThat(db.applied("delivery", late.getString("eventId"))).isTrue());
    JsonObject now = get("/goodsdeliveries/" + p.id).bodyAsJsonObject();
    assertThat(now.getString("companyNm")).isEqualTo("새 이름");
    assertThat(now.getString("status")).isEqualTo("INSPECTION_REQUESTED");
  }

  @Test
  void malformedDeliveryOrderGoesToTheDeadLetterTopicAndStoresNothing() {
    Procurement p = newProcurement();
    JsonObject noCompany = p.ordered("x");
    noCompany.remove("companyNo");
    topic.send(noCompany);
    topic.sendRaw(p.procNo, "{not json");

    Eventually.until(() -> assertThat(topic.deadLetters(p.procNo)).hasSize(2));
    assertThat(get("/goodsdeliveries/" + p.id).statusCode()).isEqualTo(404);
    topic.send(p.ordered("정상"));
    awaitDelivery(p.id);
  }

  // ---- PATCH /goodsdeliveries/{id}: the inspection request ----

  @Test
  void inspectionRequestPublishesOneInspectionRequestPatchedWithTheContractFields() {
    Procurement p = delivered();
    HttpResponse<Buffer> response = requestInspection(p, "010-1234-1234", "3층 창고에서 검수 바랍니다");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("ETag")).isEqualTo("W/\"1\"");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("INSPECTION_REQUESTED");
    assertThat(body.getString("companyPhoneNo")).isEqualTo("010-1234-1234");

    Received event = topic.awaitExactlyOne(EventTypes.INSPECTION_REQUEST_PATCHED, p.procNo, () -> relayMarker(p));
    assertThat(event.key()).isEqualTo(p.procNo);
    ContractEvents.assertContractEvent(event, EventTypes.INSPECTION_REQUEST_PATCHED, new JsonObject()
        .put("id", p.id).put("procNo", p.procNo).put("companyNo", p.company).put("companyNm", "조달업체")
        .put("companyPhoneNo", "010-1234-1234").put("inspectionContents", "3층 창고에서 검수 바랍니다"));
    JsonObject v = event.value();
    assertThat(v.fieldNames()).containsExactlyInAnyOrder("eventId", "eventType", "timestamp", "procNo", "version",
        "id", "companyNo", "companyNm", "companyPhoneNo", "inspectionContents");
    assertThat(UUID.fromString(v.getString("eventId"))).isNotNull();
    assertThat(Instant.parse(v.getString("timestamp"))).isBefore(Instant.now().plusSeconds(1));
    assertThat(v.getInteger("version")).isEqualTo(1);
    assertThat(v.getLong("id")).isEqualTo(p.id);
    assertThat(v.getString("companyNo")).isEqualTo(p.company);
    assertThat(v.getString("companyNm")).isEqualTo("조달업체");
    assertThat(v.getString("companyPhoneNo")).isEqualTo("010-1234-1234");
    assertThat(v.getString("inspectionContents")).isEqualTo("3층 창고에서 검수 바랍니다");
  }

  @Test
  void inspectionRequestMayBeCorrectedButAnIdenticalRetryPublishesNothing() {
    Procurement p = delivered();
    requestInspection(p, "010-1234-1234", "첫 요청");
    HttpResponse<Buffer> retry = requestInspection(p, "010-1234-1234", "첫 요청");
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(retry.getHeader("ETag")).isEqualTo("W/\"1\"");

    // A PATCH without inspectionContents keeps the contents it had.
    HttpResponse<Buffer> corrected = send(HttpMethod.PATCH, "/goodsdeliveries/" + p.id,
        new JsonObject().put("companyPhoneNo", "+82 10 9999 0000").encode(), Map.of());
    assertThat(corrected.statusCode()).isEqualTo(200);
    assertThat(corrected.getHeader("ETag")).isEqualTo("W/\"2\"");
    assertThat(corrected.bodyAsJsonObject().getString("inspectionContents")).isEqualTo("첫 요청");

    Eventually.until(() -> assertThat(topic.events(EventTypes.INSPECTION_REQUEST_PATCHED, p.procNo)).hasSize(2));
    // the identical retry would have published between these two, so before a later event of the same relay
    topic.awaitRelayed(relayMarker(p));
    List<Received> events = topic.events(EventTypes.INSPECTION_REQUEST_PATCHED, p.procNo);
    assertThat(events).hasSize(2);
    assertThat(events.get(1).value().getString("companyPhoneNo")).isEqualTo("+82 10 9999 0000");
    assertThat(events.get(1).value().getString("inspectionContents")).isEqualTo("첫 요청");
  }

  @Test
  void inspectionRequestIsAConflictOnceCancelled() {
    Procurement p = delivered();
    requestInspection(p, "010-1234-1234", null);
    topic.send(p.noticeCanceled());
    Eventually.until(() -> assertThat(get("/goodsdeliveries/" + p.id).bodyAsJsonObject().getString("status"))
        .isEqualTo("CANCELED"));

    JsonObject problem = assertProblem(requestInspection(p, "010-5555-5555", null), 409, null);
    assertThat(problem.getString("detail")).contains("was cancelled; no inspection can be requested");
    assertThat(topic.publishedByRelay(p.procNo, OUR_EVENTS, () -> relayMarker(p))).isEqualTo(1);
  }

  @Test
  void inspectionRequestHonoursIfMatch() {
    Procurement p = delivered();
    String body = new JsonObject().put("procNo", p.procNo).put("companyPhoneNo", "010-1234-1234").encode();
    assertProblem(send(HttpMethod.PATCH, "/goodsdeliveries/" + p.id, body, Map.of("If-Match", "W/\"5\"")), 412,
        null);
    assertThat(get("/goodsdeliveries/" + p.id).bodyAsJsonObject().getString("status"))
        .isEqualTo("DELIVERY_REQUESTED");
    assertThat(send(HttpMethod.PATCH, "/goodsdeliveries/" + p.id, body, Map.of("If-Match", "\"0\"")).statusCode())
        .isEqualTo(200);
  }

  @Test
  void inspectionRequestThatCannotWriteItsEventIsRolledBackAndPublishesNothing() {
    Procurement p = delivered();
    String trigger = "reject_" + p.id;
    db.execute("CREATE FUNCTION delivery." + trigger + "() RETURNS trigger AS $$ BEGIN "
        + "IF NEW.proc_no = '" + p.procNo + "' THEN RAISE EXCEPTION 'outbox unavailable'; END IF; RETURN NEW; END "
        + "$$ LANGUAGE plpgsql");
    db.execute("CREATE TRIGGER " + trigger + " BEFORE INSERT ON delivery.outbox FOR EACH ROW EXECUTE FUNCTION "
        + "delivery." + trigger + "()");
    try {
      HttpResponse<Buffer> failed = requestInspection(p, "010-1234-1234", "롤백될 요청");
      assertThat(failed.statusCode()).isEqualTo(500);
      assertThat(failed.bodyAsString()).doesNotContain("outbox unavailable").doesNotContain("INSERT");
      JsonObject unchanged = get("/goodsdeliveries/" + p.id).bodyAsJsonObject();
      assertThat(unchanged.getString("status")).isEqualTo("DELIVERY_REQUESTED");
      assertThat(unchanged.getString("companyPhoneNo")).isNull();
    } finally {
      db.execute("DROP TRIGGER " + trigger + " ON delivery.outbox");
      db.execute("DROP FUNCTION delivery." + trigger + "()");
    }
    assertThat(requestInspection(p, "010-1234-1234", "다시 요청").statusCode()).isEqualTo(200);
    Received only = topic.awaitExactlyOne(EventTypes.INSPECTION_REQUEST_PATCHED, p.procNo, () -> relayMarker(p));
    assertThat(only.value().getString("inspectionContents")).isEqualTo("다시 요청");
  }

  @Test
  void badInputIsAnsweredWithAProblemAndChangesNothing() {
    Procurement p = delivered();
    String path = "/goodsdeliveries/" + p.id;

    assertProblem(send(HttpMethod.PATCH, path, "{\"companyPhoneNo\": ", Map.of()), 400, null);
    assertProblem(send(HttpMethod.PATCH, path, "\"010-1234-1234\"", Map.of()), 400, null);
    assertProblem(send(HttpMethod.PATCH, path, "{}", Map.of()), 400, "companyPhoneNo");
    for (Object phone : List.of("abc-defg-hijk", "12345", "0".repeat(21), "010--1234--", "+", "010\n1234\n1234",
        new JsonObject().put("n", 1), new JsonArray().add("010-1234-1234"))) {
      assertProblem(send(HttpMethod.PATCH, path, new JsonObject().put("companyPhoneNo", phone).encode(), Map.of()),
          400, "companyPhoneNo");
    }
    assertProblem(send(HttpMethod.PATCH, path, new JsonObject().put("companyPhoneNo", "010-1234-1234")
        .put("inspectionContents", "검".repeat(4001)).encode(), Map.of()), 400, "inspectionContents");
    assertProblem(send(HttpMethod.PATCH, path, new JsonObject().put("companyPhoneNo", "010-1234-1234")
        .put("procNo", "not/ok").encode(), Map.of()), 400, "procNo");
    assertProblem(send(HttpMethod.PATCH, path, new JsonObject().put("companyPhoneNo", "010-1234-1234")
        .put("procNo", "someone-else").encode(), Map.of()), 400, "procNo");
    assertProblem(send(HttpMethod.PATCH, path, new JsonObject().put("companyPhoneNo", "010-1234-1234")
        .put("inspectionContents", "x".repeat(70 * 1024)).encode(), Map.of()), 413, null);
    assertProblem(send(HttpMethod.PATCH, "/goodsdeliveries/987654321",
        new JsonObject().put("companyPhoneNo", "010-1234-1234").encode(), Map.of()), 404, null);
    assertProblem(send(HttpMethod.PATCH, "/goodsdeliveries/1e3",
        new JsonObject().put("companyPhoneNo", "010-1234-1234").encode(), Map.of()), 404, null);
    assertProblem(get("/goodsdeliveries/0"), 404, null);
    assertProblem(send(HttpMethod.DELETE, path, "", Map.of()), 405, null);

    HttpResponse<Buffer> after = get(path);
    assertThat(after.getHeader("ETag")).isEqualTo("W/\"0\"");
    assertThat(after.bodyAsJsonObject().getString("status")).isEqualTo("DELIVERY_REQUESTED");
    assertThat(topic.publishedByRelay(p.procNo, OUR_EVENTS, () -> relayMarker(p))).isZero();
  }

  // ---- ownership ----

  @Test
  void supplierSeesAndActsOnlyOnItsOwnCompanysDeliveries() {
    Procurement mine = delivered();
    Procurement theirs = delivered();
    Map<String, String> supplier = Map.of("X-User-Id", "kim", "X-User-Roles", " Supplier , viewer",
        "X-User-Company", mine.company);

    JsonObject list = send(HttpMethod.GET, "/goodsdeliveries?size=1000", "", supplier).bodyAsJsonObject();
    JsonArray rows = list.getJsonObject("_embedded").getJsonArray("goodsdeliveries");
    assertThat(rows).hasSize(1);
    assertThat(rows.getJsonObject(0).getLong("id")).isEqualTo(mine.id);
    assertThat(list.getJsonObject("page").getLong("totalElements")).isEqualTo(1);

    assertThat(send(HttpMethod.GET, "/goodsdeliveries/" + mine.id, "", supplier).statusCode()).isEqualTo(200);
    assertProblem(send(HttpMethod.GET, "/goodsdeliveries/" + theirs.id, "", supplier), 404, null);
    assertProblem(send(HttpMethod.GET, "/goodsdeliveries/search/findByProcNo?procNo=" + theirs.procNo, "", supplier),
        404, null);

    String body = new JsonObject().put("companyPhoneNo", "010-1234-1234").encode();
    assertProblem(send(HttpMethod.PATCH, "/goodsdeliveries/" + theirs.id, body, supplier), 403, null);
    assertThat(get("/goodsdeliveries/" + theirs.id).bodyAsJsonObject().getString("status"))
        .isEqualTo("DELIVERY_REQUESTED");
    assertThat(send(HttpMethod.PATCH, "/goodsdeliveries/" + mine.id, body, supplier).statusCode()).isEqualTo(200);

    // An administrator who is also a supplier, and a direct call without identity, are not confined.
    Map<String, String> admin = Map.of("X-User-Roles", "supplier,admin", "X-User-Company", mine.company);
    assertThat(send(HttpMethod.GET, "/goodsdeliveries/" + theirs.id, "", admin).statusCode()).isEqualTo(200);
    assertThat(send(HttpMethod.PATCH, "/goodsdeliveries/" + theirs.id, body, admin).statusCode()).isEqualTo(200);
    assertThat(get("/goodsdeliveries/search/findByProcNo?procNo=" + theirs.procNo).statusCode()).isEqualTo(200);

    // A supplier identity bound to no company can see nothing: said plainly rather than as an empty list.
    assertProblem(send(HttpMethod.GET, "/goodsdeliveries", "", Map.of("X-User-Roles", "supplier")), 403, null);
  }

  // ---- ProcurementNoticeCanceled ----

  @Test
  void noticeCanceledCancelsForGoodAndIsAppliedOnce() {
    Procurement p = delivered();
    requestInspection(p, "010-1234-1234", "요청");
    JsonObject notice = p.noticeCanceled();
    topic.send(notice);
    topic.send(notice);
    JsonObject second = p.noticeCanceled();
    topic.send(second);
    Eventually.until(() -> assertThat(db.applied("delivery", second.getString("eventId"))).isTrue());

    HttpResponse<Buffer> cancelled = get("/goodsdeliveries/" + p.id);
    assertThat(cancelled.bodyAsJsonObject().getString("status")).isEqualTo("CANCELED");
    assertThat(cancelled.getHeader("ETag")).isEqualTo("W/\"2\"");

    JsonObject late = p.ordered("되살리기 시도");
    topic.send(late);
    Eventually.until(() -> assertThat(db.applied("delivery", late.getString("eventId"))).isTrue());
    assertThat(get("/goodsdeliveries/" + p.id).bodyAsJsonObject().getString("status")).isEqualTo("CANCELED");
  }

  @Test
  void noticeCanceledWithoutADeliveryLeavesATombstoneThatALateDeliveryOrderCannotRevive() {
    Procurement p = newProcurement();
    topic.send(p.noticeCanceled());
    JsonObject tombstone = awaitDelivery(p.id);
    assertThat(tombstone.getString("status")).isEqualTo("CANCELED");
    assertThat(tombstone.getString("companyNo")).isNull();

    JsonObject late = p.ordered("늦은 납품요구");
    topic.send(late);
    Eventually.until(() -> assertThat(db.applied("delivery", late.getString("eventId"))).isTrue());
    JsonObject still = get("/goodsdeliveries/" + p.id).bodyAsJsonObject();
    assertThat(still.getString("status")).isEqualTo("CANCELED");
    assertThat(still.getString("companyNo")).isNull();
    assertProblem(requestInspection(p, "010-1234-1234", null), 409, null);
  }

  // ---- reads ----

  @Test
  void koreanTextRoundTripsByteForByte() {
    // Beyond the BMP (the emoji) the JSON codec may write a surrogate escape; it must decode to the same text.
    String name = "대한조달 주식회사 😀";
    String contents = "납품 물품: 노트북 3대 — 검수 장소 ‘서울 본관’ ✓";
    Procurement p = newProcurement();
    topic.send(p.ordered(name));
    assertThat(awaitDelivery(p.id).getString("companyNm")).isEqualTo(name);

    HttpResponse<Buffer> patched = requestInspection(p, "010-1234-1234", contents);
    assertThat(new String(patched.body().getBytes(), StandardCharsets.UTF_8)).contains(contents)
        .contains("대한조달 주식회사");
    assertThat(patched.bodyAsJsonObject().getString("companyNm")).isEqualTo(name);
    Received event = topic.awaitExactlyOne(EventTypes.INSPECTION_REQUEST_PATCHED, p.procNo, () -> relayMarker(p));
    assertThat(event.value().getString("inspectionContents").getBytes(StandardCharsets.UTF_8))
        .isEqualTo(contents.getBytes(StandardCharsets.UTF_8));
    assertThat(event.value().getString("companyNm")).isEqualTo(name);
  }

  @Test
  void collectionIsPagedAndSortedAndSearchableByProcNo() {
    // procNos that differ only in their last letter sort alike under every collation
    String run = "sort-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    List<Procurement> ours = new java.util.ArrayList<>();
    for (String last : List.of("b", "c", "a")) {
      long id = IDS.incrementAndGet();
      Procurement p = new Procurement(id, run + last, "c" + id);
      topic.send(p.ordered("조달업체"));
      awaitDelivery(p.id);
      ours.add(p);
    }
    Procurement b = ours.get(0);
    List<String> ascending = procNos(get("/goodsdeliveries?size=1000&sort=procNo,asc").bodyAsJsonObject());
    assertThat(ascending.stream().filter(n -> n.startsWith(run)).toList())
        .containsExactly(run + "a", run + "b", run + "c");
    assertThat(procNos(get("/goodsdeliveries?size=1000&sort=procNo,desc").bodyAsJsonObject()).stream()
        .filter(n -> n.startsWith(run)).toList()).containsExactly(run + "c", run + "b", run + "a");

    JsonObject page = get("/goodsdeliveries?page=1&size=1&sort=procNo,asc").bodyAsJsonObject();
    assertThat(page.getJsonObject("_embedded").getJsonArray("goodsdeliveries")).hasSize(1);
    assertThat(procNos(page)).as("the second of the sorted list").containsExactly(ascending.get(1));
    assertThat(page.getJsonObject("page").getInteger("number")).isEqualTo(1);
    assertThat(page.getJsonObject("page").getLong("totalElements")).isGreaterThanOrEqualTo(3);
    assertThat(page.getJsonObject("_links").containsKey("prev")).isTrue();
    assertProblem(get("/goodsdeliveries?sort=company_phone_no"), 400, "sort");
    assertProblem(get("/goodsdeliveries?size=zero"), 400, "size");

    JsonObject found = get("/goodsdeliveries/search/findByProcNo?procNo=" + b.procNo).bodyAsJsonObject();
    assertThat(found.getLong("id")).isEqualTo(b.id);
    assertThat(get("/goodsdeliveries/search").bodyAsJsonObject().getJsonObject("_links")
        .getJsonObject("findByProcNo").getBoolean("templated")).isTrue();
    assertProblem(get("/goodsdeliveries/search/findByProcNo"), 400, "procNo");
    assertProblem(get("/goodsdeliveries/search/findByProcNo?procNo=none-" + b.id), 404, null);
  }

  @Test
  void farPagesAreEmptyNotErrors() {
    // page * size beyond 32 bits must reach SQL intact, not wrap around into a negative OFFSET.
    JsonObject far = get("/goodsdeliveries?page=2147483647&size=1000").bodyAsJsonObject();
    assertThat(far.getJsonObject("_embedded").getJsonArray("goodsdeliveries")).isEmpty();
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

  /** A procurement of this test: its own id, procNo and supplier company. */
  private record Procurement(long id, String procNo, String company) {

    JsonObject ordered(String companyNm) {
      return TopicProbe.event(EventTypes.DELIVERY_REQUEST_PATCHED, procNo, new JsonObject()
          .put("id", id).put("procNo", procNo).put("companyNo", company).put("companyNm", companyNm));
    }

    JsonObject noticeCanceled() {
      return TopicProbe.event(EventTypes.PROCUREMENT_NOTICE_CANCELED, procNo,
          new JsonObject().put("id", id).put("procNo", procNo));
    }
  }

  private static Procurement newProcurement() {
    long id = IDS.incrementAndGet();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    return new Procurement(id, "p" + id + "-" + suffix, "c" + id + "-" + suffix);
  }

  /**
   * Makes delivery-svc's relay publish an InspectionRequestPatched on {@code p}'s partition, after everything it
   * published for {@code p} so far, and returns its procNo (the marker of {@link TopicProbe#awaitExactlyOne}).
   */
  private static String relayMarker(Procurement p) {
    Procurement marker;
    do {
      marker = newProcurement();
    } while (SamePartition.of(marker.procNo, PARTITIONS) != SamePartition.of(p.procNo, PARTITIONS));
    topic.send(marker.ordered("marker"));
    awaitDelivery(marker.id);
    assertThat(requestInspection(marker, "010-0000-0000", "marker").statusCode()).isEqualTo(200);
    return marker.procNo;
  }

  /** A procurement whose delivery order delivery-svc has applied. */
  private static Procurement delivered() {
    Procurement p = newProcurement();
    topic.send(p.ordered("조달업체"));
    awaitDelivery(p.id);
    return p;
  }

  private static List<String> procNos(JsonObject collection) {
    return collection.getJsonObject("_embedded").getJsonArray("goodsdeliveries").stream()
        .map(o -> ((JsonObject) o).getString("procNo")).toList();
  }

  private static JsonObject awaitDelivery(long id) {
    return Eventually.get(() -> {
      HttpResponse<Buffer> r = get("/goodsdeliveries/" + id);
      return r.statusCode() == 200 ? r.bodyAsJsonObject() : null;
    });
  }

  private static HttpResponse<Buffer> requestInspection(Procurement p, String phone, String contents) {
    JsonObject body = new JsonObject().put("procNo", p.procNo).put("companyPhoneNo", phone);
    if (contents != null) {
      body.put("inspectionContents", contents);
    }
    return send(HttpMethod.PATCH, "/goodsdeliveries/" + p.id, body.encode(), Map.of());
  }

  private static HttpResponse<Buffer> get(String path) {
    return web.request(HttpMethod.GET, port, "localhost", path).send().await();
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String path, String body, Map<String, String> headers) {
    HttpRequest<Buffer> request = web.request(method, port, "localhost", path);
    headers.forEach(request::putHeader);
    if (body.isEmpty()) {
      return request.send().await();
    }
    request.putHeader("Content-Type", "application/json");
    return request.sendBuffer(Buffer.buffer(body, "UTF-8")).await();
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
