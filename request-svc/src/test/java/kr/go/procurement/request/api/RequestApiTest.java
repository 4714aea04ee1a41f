package kr.go.procurement.request.api;

import static kr.go.procurement.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.request.RequestConfig;
import kr.go.procurement.request.RequestVerticle;
import kr.go.procurement.testsupport.ContractEvents;
import kr.go.procurement.testsupport.Eventually;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.RealInfra;
import kr.go.procurement.testsupport.SamePartition;
import kr.go.procurement.testsupport.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** request-svc alone against real PostgreSQL and Kafka: its API, its rules and the events it publishes. */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestApiTest {

  private Infra infra;
  private Vertx vertx;
  private WebClient http;
  private int port;
  private TopicProbe topic;
  /** A real HTTP server standing in for management's internal inspection-result call: it records and answers. */
  private io.vertx.core.http.HttpServer management;
  private final List<JsonObject> managementCalls = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger markers = new java.util.concurrent.atomic.AtomicInteger();

  private static final int PARTITIONS = 3;

  @BeforeAll
  void start() {
    infra = Infra.get();
    String topicName = infra.newTopic(PARTITIONS);
    topic = new TopicProbe(infra.kafkaBootstrapServers(), topicName);
    vertx = Vertx.vertx();
    management = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      managementCalls.add(new JsonObject().put("method", req.method().name()).put("path", req.path())
          .put("body", body.length() == 0 ? null : body.toJsonObject()));
      req.response().putHeader("Content-Type", "application/json").end("{}");
    })).listen(0, "127.0.0.1"));
    Env env = new Env(infra.env(infra.newDatabase(), topicName, null)).with(Map.of(
        "HTTP_PORT", "0",
        "MANAGEMENT_URL", "http://127.0.0.1:" + management.actualPort(),
        // One registration statement at a time: concurrent registrations wait and are written together.
        "REGISTRATION_BATCH_IN_FLIGHT", "1"));
    RequestVerticle verticle = new RequestVerticle(RequestConfig.fromEnv(env));
    await(vertx.deployVerticle(verticle));
    port = verticle.actualPort();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  @AfterAll
  void stop() throws InterruptedException {
    topic.close();
    await(vertx.close());
  }

  // ---- commands and the events they publish ----

  @Test
  void registeringPublishesProcurementRequestPostedWithKoreanTextUnchanged() {
    JsonObject body = new JsonObject().put("procNo", "reg-1").put("procTitle", "사무용 의자 구매")
        .put("procContents", "인체공학 의자 30개 — 납기 12월").put("procPrice", 4_500_000).put("procAgency", "조달청")
        .put("procQty", 30);
    HttpResponse<Buffer> created = send(HttpMethod.POST, "/deliveryrequests", body.toBuffer());

    assertThat(created.statusCode()).isEqualTo(201);
    JsonObject resource = created.bodyAsJsonObject();
    assertThat(created.getHeader("Location")).endsWith("/deliveryrequests/" + resource.getLong("id"));
    assertThat(resource.getString("status")).isEqualTo("POSTED");
    assertThat(resource.getString("procTitle")).isEqualTo("사무용 의자 구매");
    assertThat(resource.getJsonObject("_links").getJsonObject("self").getString("href"))
        .endsWith("/deliveryrequests/" + resource.getLong("id"));
    assertThat(created.bodyAsString(StandardCharsets.UTF_8.name())).contains("인체공학 의자 30개 — 납기 12월");

    EventEnvelope event = eventsFor("reg-1", 1).get(0);
    assertThat(event.eventType()).isEqualTo("ProcurementRequestPosted");
    ContractEvents.assertContractEvent(records("reg-1").get(0), "ProcurementRequestPosted", body.copy()
        .put("id", resource.getLong("id")));
    assertThat(event.fields().getString("procContents")).isEqualTo("인체공학 의자 30개 — 납기 12월");
    assertThat(event.fields().getLong("procPrice")).isEqualTo(4_500_000L);
    assertThat(event.fields().getLong("id")).isEqualTo(resource.getLong("id"));
  }

  @Test
  void theAnswerToACommandReadsBackIdentically() {
    HttpResponse<Buffer> created = send(HttpMethod.POST, "/deliveryrequests",
        new JsonObject().put("procNo", "same-1").put("procTitle", "t").toBuffer());
    JsonObject read = get("/deliveryrequests/" + created.bodyAsJsonObject().getLong("id")).bodyAsJsonObject();
    assertThat(read).isEqualTo(created.bodyAsJsonObject());
  }

  @Test
  void aDuplicateProcNoIsAConflictAndPublishesNothingMore() {
    register("dup-1");
    HttpResponse<Buffer> again = send(HttpMethod.POST, "/deliveryrequests",
        new JsonObject().put("procNo", "dup-1").put("procTitle", "again").toBuffer());
    assertProblem(again, 409);
    assertThat(eventsFor("dup-1", 1)).hasSize(1);
  }

  @Test
  void concurrentRegistrationsEachGetTheirOwnRequestAndEventAndADuplicateAmongThemIsAConflict() {
    WebClient clients = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(port), new PoolOptions().setHttp1MaxSize(40));
    List<String> procNos = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      procNos.add("conc-" + i);
    }
    procNos.add("conc-7");
    List<Future<HttpResponse<Buffer>>> sent = procNos.stream().map(procNo -> clients.post("/deliveryrequests")
        .putHeader("Content-Type", "application/json")
        .sendBuffer(new JsonObject().put("procNo", procNo).put("procTitle", "동시 " + procNo).toBuffer())).toList();
    await(Future.join(sent));
    clients.close();

    Map<String, Long> created = new HashMap<>();
    int conflicts = 0;
    for (int i = 0; i < sent.size(); i++) {
      HttpResponse<Buffer> response = sent.get(i).result();
      if (response.statusCode() == 409) {
        assertProblem(response, 409);
        assertThat(procNos.get(i)).isEqualTo("conc-7");
        conflicts++;
        continue;
      }
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
      JsonObject resource = response.bodyAsJsonObject();
      assertThat(resource.getString("procNo")).isEqualTo(procNos.get(i));
      assertThat(resource.getString("procTitle")).isEqualTo("동시 " + procNos.get(i));
      created.put(procNos.get(i), resource.getLong("id"));
    }
    assertThat(conflicts).isEqualTo(1);
    assertThat(created).hasSize(30);
    assertThat(new HashSet<>(created.values())).hasSize(30);

    Eventually.until(() -> assertThat(published(created::containsKey)).hasSizeGreaterThanOrEqualTo(30));
    for (int partition = 0; partition < PARTITIONS; partition++) {
      awaitMarker(SamePartition.keyOn(partition, PARTITIONS, "conc-mark-" + partition));
    }
    List<EventEnvelope> events = published(created::containsKey);
    assertThat(events).hasSize(30);
    for (EventEnvelope event : events) {
      assertThat(event.eventType()).isEqualTo("ProcurementRequestPosted");
      assertThat(event.fields().getLong("id")).isEqualTo(created.get(event.procNo()));
      assertThat(event.fields().getString("procTitle")).isEqualTo("동시 " + event.procNo());
    }
    assertThat(get("/metrics").bodyAsString()).contains("registrations_batch_size");
  }

  @Test
  void theRegistrationStatementPublishesExactlyOneEventWithTheRealIdAndTheTextUntouched() {
    // the request and its outbox row are one statement; the id is spliced into the payload's head only
    String title = "{\"id\":0, \"procNo\":\"x\"} 의자";
    HttpResponse<Buffer> created = send(HttpMethod.POST, "/deliveryrequests",
        new JsonObject().put("procNo", "cte-1").put("procTitle", title).put("procQty", 2.5).toBuffer());
    assertThat(created.statusCode()).isEqualTo(201);
    long id = created.bodyAsJsonObject().getLong("id");

    List<EventEnvelope> events = eventsFor("cte-1", 1);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).eventType()).isEqualTo("ProcurementRequestPosted");
    assertThat(events.get(0).fields().getLong("id")).isEqualTo(id);
    assertThat(events.get(0).fields().getString("procTitle")).isEqualTo(title);
    assertThat(events.get(0).procNo()).isEqualTo("cte-1");
    assertThat(events.get(0).fields().getDouble("procQty")).isEqualTo(2.5);
  }

  @Test
  void badInputIsRejectedWithAProblemAndNothingIsStored() {
    Map<String, Integer> cases = new java.util.LinkedHashMap<>();
    cases.put("{\"procNo\": \"bad-1\", \"procTitle\": ", 400);                          // malformed JSON
    cases.put("[1, 2, 3]", 400);                                                          // not an object
    cases.put("{\"procTitle\": \"no procNo\"}", 400);                                      // missing field
    cases.put("{\"procNo\": \"bad 2!\", \"procTitle\": \"t\"}", 400);                      // pattern
    cases.put("{\"procNo\": \"" + "x".repeat(51) + "\", \"procTitle\": \"t\"}", 400);     // too long
    cases.put("{\"procNo\": \"bad-3\", \"procTitle\": \"" + "가".repeat(201) + "\"}", 400); // too long (chars)
    cases.put("{\"procNo\": \"bad-4\", \"procTitle\": \"t\", \"procPrice\": \"abc\"}", 400);
    cases.put("{\"procNo\": \"bad-5\", \"procTitle\": \"t\", \"procPrice\": -1}", 400);
    cases.put("{\"procNo\": \"bad-6\", \"procTitle\": \"t\", \"procQty\": 0}", 400);
    cases.put("{\"procNo\": \"bad-7\", \"procTitle\": \"t\", \"procQty\": true}", 400);
    cases.put("{\"procNo\": \"bad-8\", \"procTitle\": \"t\", \"procPrice\": 1e400}", 400);
    cases.put("{\"procNo\": \"bad-9\", \"procTitle\": \"t\", \"procPrice\": 99999999999999999999999}", 400);
    cases.put("{\"procNo\": \"bad-10\", \"procTitle\": {\"nested\": [1]}}", 400);
    cases.put("{\"procNo\": \"bad-11\", \"procTitle\": \"t\", \"procContents\": \"" + "x".repeat(70_000) + "\"}",
        413);
    cases.forEach((body, status) -> assertProblem(send(HttpMethod.POST, "/deliveryrequests", Buffer.buffer(body)),
        status));

    for (int i = 1; i <= 11; i++) {
      assertThat(get("/deliveryrequests/search/findByProcNo?procNo=bad-" + i).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void anUnknownIdIsNotFoundForEveryMethod() {
    assertProblem(get("/deliveryrequests/987654"), 404);
    assertProblem(get("/deliveryrequests/not-a-number"), 404);
    assertProblem(send(HttpMethod.PATCH, "/deliveryrequests/987654",
        new JsonObject().put("procTitle", "x").toBuffer()), 404);
    assertProblem(send(HttpMethod.DELETE, "/deliveryrequests/987654", null), 404);
    assertProblem(send(HttpMethod.PATCH, "/inspectionResults/987654",
        new JsonObject().put("procNo", "x").put("inspectionSuccFlag", true).toBuffer()), 404);
  }

  @Test
  void editingWhilePostedRepublishesTheRequestAndIsRefusedAfterCancel() {
    long id = register("edit-1");
    HttpResponse<Buffer> edited = send(HttpMethod.PATCH, "/deliveryrequests/" + id,
        new JsonObject().put("procTitle", "책상 20개").put("procQty", 20).toBuffer());
    assertThat(edited.statusCode()).isEqualTo(200);
    assertThat(edited.bodyAsJsonObject().getString("procTitle")).isEqualTo("책상 20개");
    List<EventEnvelope> published = eventsFor("edit-1", 2);
    assertThat(published).extracting(EventEnvelope::eventType)
        .containsExactly("ProcurementRequestPosted", "ProcurementRequestPosted");
    assertThat(published.get(1).fields().getString("procTitle")).isEqualTo("책상 20개");

    assertThat(send(HttpMethod.DELETE, "/deliveryrequests/" + id, null).statusCode()).isEqualTo(204);
    HttpResponse<Buffer> refused = send(HttpMethod.PATCH, "/deliveryrequests/" + id,
        new JsonObject().put("procTitle", "too late").toBuffer());
    assertProblem(refused, 409);
    assertThat(refused.bodyAsJsonObject().getString("detail")).contains("POSTED");
  }

  @Test
  void aPatchThatChangesNothingIsANoOpWithoutANewVersionOrEvent() {
    HttpResponse<Buffer> created = send(HttpMethod.POST, "/deliveryrequests", new JsonObject().put("procNo", "noop-1")
        .put("procTitle", "의자 10개").put("procPrice", 1_000).put("procQty", 10).toBuffer());
    long id = created.bodyAsJsonObject().getLong("id");
    HttpResponse<Buffer> before = get("/deliveryrequests/" + id);
    String etag = before.getHeader("ETag");

    List<Buffer> unchanged = List.of(
        Buffer.buffer("{}"),
        new JsonObject().put("procNo", "noop-1").put("procTitle", "의자 10개").put("procPrice", 1_000)
            .put("procQty", 10.0).toBuffer(),
        // the original's clients send numbers as text; absent optional fields are null already
        Buffer.buffer("{\"procPrice\": \"1000\", \"procQty\": \"10\", \"procContents\": null}"));
    for (Buffer body : unchanged) {
      HttpResponse<Buffer> patched = send(HttpMethod.PATCH, "/deliveryrequests/" + id, body);
      assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
      assertThat(patched.getHeader("ETag")).isEqualTo(etag);
      assertThat(patched.bodyAsJsonObject()).isEqualTo(before.bodyAsJsonObject());
    }
    // With the current ETag as If-Match, too; a stale one is still refused.
    assertThat(send(HttpMethod.PATCH, "/deliveryrequests/" + id, Buffer.buffer("{}"), etag).statusCode())
        .isEqualTo(200);
    assertProblem(send(HttpMethod.PATCH, "/deliveryrequests/" + id, Buffer.buffer("{}"), "\"41\""), 412);
    assertThat(get("/deliveryrequests/" + id).bodyAsJsonObject()).isEqualTo(before.bodyAsJsonObject());

    // A real change still makes a new version and republishes. The relay publishes in outbox order on procNo's
    // partition, so had any no-op PATCH written an event, it would come between these two.
    HttpResponse<Buffer> changed = send(HttpMethod.PATCH, "/deliveryrequests/" + id,
        new JsonObject().put("procTitle", "의자 12개").toBuffer());
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.getHeader("ETag")).isNotEqualTo(etag);
    List<EventEnvelope> published = eventsFor("noop-1", 2);
    assertThat(published).extracting(EventEnvelope::eventType)
        .containsExactly("ProcurementRequestPosted", "ProcurementRequestPosted");
    assertThat(published.get(1).fields().getString("procTitle")).isEqualTo("의자 12개");
  }

  @Test
  void cancellingIsIdempotentAndPublishesOneCancellation() {
    long id = register("cancel-1");
    assertThat(send(HttpMethod.DELETE, "/deliveryrequests/" + id, null).statusCode()).isEqualTo(204);
    assertThat(send(HttpMethod.DELETE, "/deliveryrequests/" + id, null).statusCode()).isEqualTo(204);
    assertThat(get("/deliveryrequests/" + id).bodyAsJsonObject().getString("status")).isEqualTo("CANCELED");
    assertThat(eventsFor("cancel-1", 2)).extracting(EventEnvelope::eventType)
        .containsExactly("ProcurementRequestPosted", "ProcurementRequestCanceled");
    ContractEvents.assertContractEvent(records("cancel-1").get(1), "ProcurementRequestCanceled",
        new JsonObject().put("id", id).put("procNo", "cancel-1"));
  }

  @Test
  void anInspectionResultBeforeTheInspectionRequestIsAConflict() {
    long id = register("early-1");
    HttpResponse<Buffer> early = send(HttpMethod.PATCH, "/deliveryrequests/" + id,
        new JsonObject().put("inspectionSuccFlag", true).toBuffer());
    assertProblem(early, 409);
    assertThat(early.bodyAsJsonObject().getString("detail")).contains("No inspection has been requested");
    assertProblem(get("/inspectionResults/" + id), 404);
  }

  @Test
  void patchingADeliveryRequestWithTheInspectionResultTellsManagementThenRecordsAndPublishesIt() {
    long id = register("result-1");
    // as in the workflow, the inspection request comes after the request's own event
    Eventually.until(() -> assertThat(published("result-1")).hasSize(1));
    topic.send(EventEnvelope.create("InspectionRequestPatched", "result-1", new JsonObject()
        .put("id", id).put("procNo", "result-1").put("companyNo", "c01").put("companyNm", "레드불")
        .put("companyPhoneNo", "010-1234-1234").put("inspectionContents", "납품 완료")).toJson());
    Eventually.until(() -> assertThat(get("/inspectionResults/" + id).statusCode()).isEqualTo(200));
    int callsBefore = managementCalls.size();

    HttpResponse<Buffer> patched = send(HttpMethod.PATCH, "/deliveryrequests/" + id,
        new JsonObject().put("inspectionSuccFlag", true).toBuffer());

    assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
    JsonObject resource = patched.bodyAsJsonObject();
    assertThat(resource.getString("status")).isEqualTo("INSPECTED");
    assertThat(resource.getBoolean("inspectionSuccFlag")).isTrue();
    assertThat(get("/deliveryrequests/" + id).bodyAsJsonObject()).isEqualTo(resource);
    // management was told synchronously, before the answer, exactly once
    assertThat(managementCalls.subList(callsBefore, managementCalls.size())).containsExactly(new JsonObject()
        .put("method", "PUT").put("path", "/deliverymanagements/inspection-results/result-1")
        .put("body", new JsonObject().put("companyNo", "c01").put("companyNm", "레드불")
            .put("inspectionSuccFlag", true)));

    assertThat(eventsFor("result-1", 3)).extracting(EventEnvelope::eventType)
        .containsExactly("ProcurementRequestPosted", "InspectionRequestPatched", "InspectionResultPatched");
    ContractEvents.assertContractEvent(records("result-1").get(2), "InspectionResultPatched", new JsonObject()
        .put("id", id).put("procNo", "result-1").put("companyNo", "c01").put("companyNm", "레드불")
        .put("companyPhoneNo", "010-1234-1234").put("inspectionSuccFlag", true));
    // registered once: a second result is refused and tells management nothing more
    assertProblem(send(HttpMethod.PATCH, "/deliveryrequests/" + id,
        new JsonObject().put("inspectionSuccFlag", false).toBuffer()), 409);
    assertThat(managementCalls).hasSize(callsBefore + 1);
  }

  @Test
  void aProcNoThatDoesNotMatchTheRecordIsRejected() {
    long id = register("match-1");
    HttpResponse<Buffer> wrong = send(HttpMethod.PATCH, "/inspectionResults/" + id,
        new JsonObject().put("procNo", "other").put("inspectionSuccFlag", true).toBuffer());
    assertProblem(wrong, 400);
    assertThat(wrong.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("procNo");
  }

  @Test
  void aStaleIfMatchIsAPreconditionFailure() {
    long id = register("etag-1");
    HttpResponse<Buffer> read = get("/deliveryrequests/" + id);
    String etag = read.getHeader("ETag");
    assertThat(send(HttpMethod.PATCH, "/deliveryrequests/" + id, new JsonObject().put("procTitle", "v1").toBuffer(),
        etag).statusCode()).isEqualTo(200);
    assertProblem(send(HttpMethod.PATCH, "/deliveryrequests/" + id,
        new JsonObject().put("procTitle", "v2").toBuffer(), etag), 412);
    assertThat(get("/deliveryrequests/" + id).bodyAsJsonObject().getString("procTitle")).isEqualTo("v1");
  }

  @Test
  void theInspectionRequestEventOpensTheInspectionView() {
    long id = register("insp-1");
    EventEnvelope event = EventEnvelope.create("InspectionRequestPatched", "insp-1", new JsonObject()
        .put("id", id).put("procNo", "insp-1").put("companyNo", "c01").put("companyNm", "레드불")
        .put("companyPhoneNo", "010-1234-1234").put("inspectionContents", "납품 완료, 검사 바랍니다"));
    topic.send(event.toJson());
    topic.send(event.toJson()); // delivered twice: applied once
    JsonObject json = Eventually.get(() -> {
      HttpResponse<Buffer> view = get("/inspectionResults/" + id);
      return view.statusCode() == 200 ? view.bodyAsJsonObject() : null;
    });
    assertThat(json.getString("status")).isEqualTo("INSPECTION_REQUESTED");
    assertThat(json.getString("companyPhoneNo")).isEqualTo("010-1234-1234");
    assertThat(json.getString("companyNm")).isEqualTo("레드불");
    assertThat(get("/inspectionResults/search/findByProcNo?procNo=insp-1").statusCode()).isEqualTo(200);
  }

  @Test
  void collectionsArePagedAndSortedLikeSpringDataRest() {
    for (int i = 0; i < 5; i++) {
      register("page-" + i);
    }
    List<String> desc = procNos(get("/deliveryrequests?size=1000&sort=procNo,desc").bodyAsJsonObject());
    // Only this test's rows: their order is the same under any collation, the other tests' rows may not be.
    assertThat(desc.stream().filter(p -> p.startsWith("page-")).toList())
        .containsExactly("page-4", "page-3", "page-2", "page-1", "page-0");
    assertThat(procNos(get("/deliveryrequests?size=1000&sort=procNo,asc").bodyAsJsonObject()).stream()
        .filter(p -> p.startsWith("page-")).toList())
        .containsExactly("page-0", "page-1", "page-2", "page-3", "page-4");
    List<Long> ids = get("/deliveryrequests?size=1000&sort=id,desc").bodyAsJsonObject().getJsonObject("_embedded")
        .getJsonArray("deliveryrequests").stream().map(o -> ((JsonObject) o).getLong("id")).toList();
    assertThat(ids).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    JsonObject page = get("/deliveryrequests?size=2&page=1&sort=procNo,desc").bodyAsJsonObject();
    // The second page of two is the third and fourth of the whole sorted list.
    assertThat(procNos(page)).isEqualTo(desc.subList(2, 4));
    assertThat(page.getJsonObject("page").getInteger("size")).isEqualTo(2);
    assertThat(page.getJsonObject("page").getInteger("number")).isEqualTo(1);
    assertThat(page.getJsonObject("page").getLong("totalElements")).isGreaterThanOrEqualTo(5);
    assertThat(page.getJsonObject("_embedded").getJsonArray("deliveryrequests")).hasSize(2);
    assertThat(page.getJsonObject("_links").containsKey("next")).isTrue();
    assertProblem(get("/deliveryrequests?sort=password,asc"), 400);
    assertProblem(get("/deliveryrequests?size=abc"), 400);
    assertThat(get("/deliveryrequests/search").bodyAsJsonObject().getJsonObject("_links")
        .containsKey("findByProcNo")).isTrue();
  }

  // ---- helpers ----

  private long register(String procNo) {
    HttpResponse<Buffer> r = send(HttpMethod.POST, "/deliveryrequests",
        new JsonObject().put("procNo", procNo).put("procTitle", "title " + procNo).toBuffer());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getLong("id");
  }

  private HttpResponse<Buffer> get(String path) {
    return send(HttpMethod.GET, path, null);
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, Buffer body) {
    return send(method, path, body, null);
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, Buffer body, String ifMatch) {
    var request = http.request(method, path);
    if (ifMatch != null) {
      request.putHeader("If-Match", ifMatch);
    }
    if (body == null) {
      return await(request.send());
    }
    request.putHeader("Content-Type", "application/json");
    return await(request.sendBuffer(body));
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
  }

  /**
   * The events published for {@code procNo}, once {@code expected} arrived and a later event on its partition was
   * read too: a duplicate, or an event that should not have been, would have been read before that one.
   */
  private List<EventEnvelope> eventsFor(String procNo, int expected) {
    Eventually.until(() -> assertThat(published(procNo)).hasSizeGreaterThanOrEqualTo(expected));
    awaitMarker(SamePartition.keyLike(procNo, PARTITIONS, procNo + "-m" + markers.incrementAndGet()));
    return published(procNo);
  }

  /**
   * Registers {@code marker} and waits until its event was read. The relay publishes in commit order, so it comes
   * after everything committed before it on its partition.
   */
  private void awaitMarker(String marker) {
    register(marker);
    Eventually.until(() -> assertThat(published(marker)).hasSize(1));
  }

  private List<TopicProbe.Received> records(String procNo) {
    return topic.matching(r -> procNo.equals(r.key()) && !r.topic().endsWith(".DLT"));
  }

  private static List<String> procNos(JsonObject collection) {
    return collection.getJsonObject("_embedded").getJsonArray("deliveryrequests").stream()
        .map(o -> ((JsonObject) o).getString("procNo")).toList();
  }

  private List<EventEnvelope> published(String procNo) {
    return published(procNo::equals);
  }

  private List<EventEnvelope> published(java.util.function.Predicate<String> procNo) {
    return topic.matching(r -> procNo.test(r.key()) && !r.topic().endsWith(".DLT")).stream()
        .map(r -> EventEnvelope.fromJson(r.value())).toList();
  }

}
