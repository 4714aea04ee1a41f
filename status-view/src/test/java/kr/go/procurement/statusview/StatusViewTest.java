package kr.go.procurement.statusview;

import kr.go.procurement.testsupport.TopicProbe;
import kr.go.procurement.testsupport.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.statusview.store.DeliveryStatusStore;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.RealInfra;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** status-view against real Kafka and the MongoDB-wire server: the read model, its API and its rebuild. */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusViewTest {

  private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
  private static final String BASE = "/deliveryStatusInquiries";

  private Infra infra;
  private RunningStatusView view;

  /** Procurements in every state the workflow allows; ids 1..6. */
  private final List<Procurement> dataset = List.of(
      Procurement.of(1, "set-full", T0),
      Procurement.of(2, "set-cancel", T0.plusSeconds(10)),
      Procurement.of(3, "set-ordered", T0.plusSeconds(20)),
      Procurement.of(4, "set-failed", T0.plusSeconds(30)),
      Procurement.of(5, "set-posted", T0.plusSeconds(40)),
      Procurement.of(6, "set-edited", T0.plusSeconds(50)));
  private final List<EventEnvelope> datasetEvents = new ArrayList<>();

  @BeforeAll
  void start() {
    infra = Infra.get();
    view = RunningStatusView.start(infra, Map.of());
    datasetEvents.addAll(dataset.get(0).fullWorkflow());
    datasetEvents.addAll(dataset.get(1).canceledAfterOrder());
    datasetEvents.addAll(List.of(dataset.get(2).posted(), dataset.get(2).deliveryRequested()));
    Procurement failed = dataset.get(3);
    datasetEvents.addAll(List.of(failed.posted(), failed.deliveryRequested(), failed.inspectionRequested(),
        failed.inspected(false)));
    datasetEvents.add(dataset.get(4).posted());
    Procurement edited = dataset.get(5);
    datasetEvents.addAll(List.of(edited.posted(), new EventEnvelope(UUID.randomUUID(),
        "ProcurementRequestPosted", edited.at(5), edited.procNo(), 1, edited.posted().fields().copy()
            .put("procTitle", "책상 (수정)").put("procAgency", null))));
    view.kafka.sendAll(json(datasetEvents));
    view.awaitConsumed();
  }

  @AfterAll
  void stop() {
    view.close();
  }

  @Test
  void afterAFullWorkflowTheDocumentIsInspectedWithEveryStepAtItsEventsTime() {
    Procurement p = dataset.get(0);
    JsonObject doc = ok(view.get(BASE + "/1"));

    assertThat(doc.getString("procNo")).isEqualTo("set-full");
    assertThat(doc.getString("status")).isEqualTo("INSPECTED");
    assertThat(doc.getString("procTitle")).isEqualTo(p.title());
    assertThat(doc.getString("procAgency")).isEqualTo("서울시청");
    assertThat(doc.getString("companyNo")).isEqualTo(p.companyNo());
    assertThat(doc.getString("companyNm")).isEqualTo("레드불 " + p.companyNo());
    assertThat(doc.getBoolean("inspectionSuccFlag")).isTrue();
    assertThat(doc.getString("updatedAt")).isEqualTo("2025-03-01T09:00:03.000Z");
    assertThat(doc.getJsonArray("history")).isEqualTo(new JsonArray()
        .add(step("POSTED", "2025-03-01T09:00:00.000Z"))
        .add(step("DELIVERY_REQUESTED", "2025-03-01T09:00:01.000Z"))
        .add(step("INSPECTION_REQUESTED", "2025-03-01T09:00:02.000Z"))
        .add(step("INSPECTED", "2025-03-01T09:00:03.000Z")));
    assertThat(doc.getJsonObject("_links").getJsonObject("self").getString("href")).endsWith(BASE + "/1");
    assertThat(doc.containsKey("sources")).isFalse();
    assertThat(doc.containsKey("rev")).isFalse();
    assertThat(ok(view.get(BASE + "/search/findByProcNo?procNo=set-full"))).isEqualTo(doc);
  }

  @Test
  void afterACancelTheDocumentIsCanceledAndShowsTheStepsBefore() {
    JsonObject doc = ok(view.get(BASE + "/search/findByProcNo?procNo=set-cancel"));

    assertThat(doc.getLong("id")).isEqualTo(2L);
    assertThat(doc.getString("status")).isEqualTo("CANCELED");
    assertThat(doc.getJsonArray("history")).isEqualTo(new JsonArray()
        .add(step("POSTED", "2025-03-01T09:00:10.000Z"))
        .add(step("DELIVERY_REQUESTED", "2025-03-01T09:00:11.000Z"))
        .add(step("CANCELED", "2025-03-01T09:00:12.000Z")));
    assertThat(ok(view.get(BASE + "/4")).getBoolean("inspectionSuccFlag")).isFalse();
    JsonObject edited = ok(view.get(BASE + "/6"));
    assertThat(edited.getString("procTitle")).isEqualTo("책상 (수정)");
    assertThat(edited.getValue("procAgency")).isNull();
  }

  @Test
  void replayingTheSameEventsLeavesEveryDocumentByteIdentical() {
    String before = encode(view.documents());
    view.kafka.sendAll(json(datasetEvents));
    view.kafka.sendAll(json(datasetEvents.subList(0, 5)));
    view.awaitConsumed();

    assertThat(encode(view.documents())).isEqualTo(before);
  }

  @Test
  void theSameEventsShuffledPerKeyIntoAFreshViewGiveByteIdenticalDocuments() {
    Random random = new Random(7);
    Map<String, List<EventEnvelope>> perKey = new LinkedHashMap<>();
    for (EventEnvelope e : datasetEvents) {
      perKey.computeIfAbsent(e.procNo(), k -> new ArrayList<>()).add(e);
    }
    List<List<EventEnvelope>> queues = new ArrayList<>();
    for (List<EventEnvelope> events : perKey.values()) {
      List<EventEnvelope> shuffled = new ArrayList<>(events);
      shuffled.add(events.get(random.nextInt(events.size()))); // and one redelivered
      Collections.shuffle(shuffled, random);
      queues.add(shuffled);
    }
    List<EventEnvelope> interleaved = new ArrayList<>();
    while (!queues.isEmpty()) {
      List<EventEnvelope> queue = queues.get(random.nextInt(queues.size()));
      interleaved.add(queue.remove(0));
      queues.removeIf(List::isEmpty);
    }
    String expected = encode(datasetDocuments(view));

    try (RunningStatusView fresh = RunningStatusView.start(infra, Map.of())) {
      fresh.kafka.sendAll(json(interleaved));
      fresh.awaitConsumed();
      assertThat(encode(datasetDocuments(fresh))).isEqualTo(expected);
    }
  }

  @Test
  void aRebuildGivesTheSameCollectionAndKeepsWhatArrivesMeanwhile() {
    List<JsonObject> before = view.documents();
    assertThat(view.send(HttpMethod.POST, BASE + "/rebuild").statusCode()).isEqualTo(403);

    HttpResponse<Buffer> accepted = view.send(HttpMethod.POST, BASE + "/rebuild", "X-User-Roles", "admin");
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
    assertThat(accepted.getHeader("Location")).endsWith(BASE + "/rebuild");
    assertThat(accepted.bodyAsJsonObject().getString("state")).isEqualTo("RUNNING");
    // Live events keep coming while the rebuild reads the topic.
    Procurement during = Procurement.of(77, "during-rebuild", T0.plusSeconds(500));
    view.kafka.sendAll(json(during.fullWorkflow()));

    JsonObject done = eventually(() -> ok(view.get(BASE + "/rebuild", "X-User-Roles", "admin")),
        s -> !"RUNNING".equals(s.getString("state")));
    assertThat(done.getString("state")).as(done.encode()).isEqualTo("SUCCEEDED");
    assertThat(done.getLong("eventsRead")).isGreaterThanOrEqualTo(datasetEvents.size());
    view.awaitConsumed();

    List<JsonObject> after = view.documents();
    List<JsonObject> afterWithoutNew = after.stream()
        .filter(d -> !d.getString("_id").equals("during-rebuild")).toList();
    List<JsonObject> beforeWithoutNew = before.stream()
        .filter(d -> !d.getString("_id").equals("during-rebuild")).toList();
    assertThat(encode(afterWithoutNew)).isEqualTo(encode(beforeWithoutNew));
    assertThat(ok(view.get(BASE + "/77")).getString("status")).isEqualTo("INSPECTED");
    JsonArray indexes = RunningStatusView.await(view.mongo.listIndexes(DeliveryStatusStore.COLLECTION));
    assertThat(indexes.stream().map(i -> ((JsonObject) i).getString("name")).collect(Collectors.toSet()))
        .contains("id", "companyNo_id", "status_id", "updatedAt");
    assertThat(RunningStatusView.await(view.mongo.getCollections()))
        .noneMatch(name -> name.contains("_rebuild_"));
  }

  @Test
  void listsAreFilteredPagedAndSortedLikeSpringDataRest() {
    JsonObject canceled = ok(view.get(BASE + "?status=CANCELED"));
    assertThat(items(canceled)).extracting(d -> d.getString("procNo")).contains("set-cancel")
        .allSatisfy(p -> assertThat(p).isNotEqualTo("set-full"));
    assertThat(items(ok(view.get(BASE + "?procNo=set-ordered")))).singleElement()
        .satisfies(d -> assertThat(d.getString("status")).isEqualTo("DELIVERY_REQUESTED"));
    String company = dataset.get(0).companyNo();
    assertThat(items(ok(view.get(BASE + "?companyNo=" + company)))).isNotEmpty()
        .allSatisfy(d -> assertThat(d.getString("companyNo")).isEqualTo(company));

    JsonObject page = ok(view.get(BASE + "?size=2&page=1&sort=procNo,desc"));
    assertThat(page.getJsonObject("page").getInteger("size")).isEqualTo(2);
    assertThat(page.getJsonObject("page").getInteger("number")).isEqualTo(1);
    assertThat(page.getJsonObject("page").getLong("totalElements")).isGreaterThanOrEqualTo(6);
    List<String> procNos = items(ok(view.get(BASE + "?size=1000&sort=procNo,desc"))).stream()
        .map(d -> d.getString("procNo")).toList();
    assertThat(procNos).isSortedAccordingTo(Collections.reverseOrder());
    assertThat(items(page)).extracting(d -> d.getString("procNo")).containsExactlyElementsOf(procNos.subList(2, 4));
    assertThat(page.getJsonObject("_links").containsKey("next")).isTrue();
    assertThat(ok(view.get(BASE + "/search")).getJsonObject("_links").containsKey("findByProcNo")).isTrue();

    problem(view.get(BASE + "?status=DONE"), 400);
    problem(view.get(BASE + "?procNo=bad%20no"), 400);
    problem(view.get(BASE + "?sort=rev,asc"), 400);
    problem(view.get(BASE + "/987654"), 404);
    problem(view.get(BASE + "/abc"), 404);
    problem(view.get(BASE + "/search/findByProcNo?procNo=nothing-here"), 404);
    problem(view.send(HttpMethod.DELETE, BASE + "/1"), 405);
  }

  @Test
  void aSupplierSeesOnlyItsOwnCompanysProcurements() {
    String own = dataset.get(0).companyNo();
    String[] supplier = {"X-User-Roles", "viewer,supplier", "X-User-Company", own};
    List<JsonObject> visible = items(ok(view.get(BASE + "?size=1000", supplier)));
    assertThat(visible).isNotEmpty().allSatisfy(d -> assertThat(d.getString("companyNo")).isEqualTo(own));
    assertThat(items(ok(view.get(BASE + "?size=1000&companyNo=someone-else", supplier)))).isEmpty();

    Procurement other = dataset.stream().filter(p -> !p.companyNo().equals(own) && p.id() <= 4).findFirst()
        .orElseThrow();
    problem(view.get(BASE + "/" + other.id(), supplier), 404);
    problem(view.get(BASE + "/search/findByProcNo?procNo=" + other.procNo(), supplier), 404);
    assertThat(ok(view.get(BASE + "/1", supplier)).getString("procNo")).isEqualTo("set-full");
    problem(view.get(BASE, "X-User-Roles", "supplier"), 403);
    assertThat(ok(view.get(BASE + "/" + other.id(), "X-User-Roles", "supplier admin", "X-User-Company", own))
        .getString("procNo")).isEqualTo(other.procNo());
  }

  @Test
  void malformedEventsAreDeadLetteredUnknownTypesSkippedAndConsumptionContinues() {
    view.kafka.sendRaw("bad-json", "{\"eventType\": \"ProcurementRequestPosted\", ");
    view.kafka.sendRaw("no-procno", new JsonObject().put("eventId", UUID.randomUUID().toString())
        .put("eventType", "ProcurementRequestPosted").put("timestamp", T0.toString()).put("id", 90).encode());
    Procurement noId = Procurement.of(91, "no-id", T0);
    JsonObject withoutId = noId.posted().toJson();
    withoutId.remove("id");
    view.kafka.sendRaw("no-id", withoutId.encode());
    view.kafka.send(EventEnvelope.create("SupplierRated", "unknown-type", new JsonObject().put("id", 92)).toJson());
    Procurement after = Procurement.of(93, "after-bad", T0);
    view.kafka.send(after.posted().toJson());
    view.awaitConsumed();

    assertThat(ok(view.get(BASE + "/93")).getString("status")).isEqualTo("POSTED");
    problem(view.get(BASE + "/search/findByProcNo?procNo=unknown-type"), 404);
    problem(view.get(BASE + "/search/findByProcNo?procNo=no-id"), 404);
    Eventually.until(() -> assertThat(view.kafka.deadLetters()).hasSizeGreaterThanOrEqualTo(3));
    List<TopicProbe.Received> dead = view.kafka.deadLetters();
    Set<String> keys = dead.stream().map(TopicProbe.Received::key).collect(Collectors.toSet());
    assertThat(keys).contains("bad-json", "no-procno", "no-id").doesNotContain("unknown-type", "after-bad");
    assertThat(dead).filteredOn(r -> r.key().equals("no-id")).singleElement()
        .satisfies(r -> assertThat(r.header("dlt.error.message")).contains("id"));
  }

  @Test
  void theServiceReportsReadinessOfMongoAndKafkaAndItsMetrics() {
    HttpResponse<Buffer> ready = view.get("/health/ready");
    assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().getJsonArray("checks").stream().map(c -> ((JsonObject) c).getString("id")))
        .contains("mongo", "kafka");
    assertThat(view.get("/metrics").bodyAsString()).contains("view_documents_changed_total", "sse_clients",
        "events_applied_total{");
  }

  // ---- helpers ----

  private List<JsonObject> datasetDocuments(RunningStatusView v) {
    Set<String> procNos = dataset.stream().map(Procurement::procNo).collect(Collectors.toSet());
    return v.documents().stream().filter(d -> procNos.contains(d.getString("_id"))).toList();
  }

  private static String encode(List<JsonObject> docs) {
    return new JsonArray(new ArrayList<>(docs)).encode();
  }

  private static JsonObject step(String status, String at) {
    return new JsonObject().put("status", status).put("at", at);
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static List<JsonObject> items(JsonObject collection) {
    JsonArray array = collection.getJsonObject("_embedded").getJsonArray("deliveryStatusInquiries");
    return array.stream().map(o -> (JsonObject) o).toList();
  }

  private static void problem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/problem+json");
  }

  private static <T> T eventually(java.util.function.Supplier<T> probe, java.util.function.Predicate<T> done) {
    long deadline = System.currentTimeMillis() + 30_000;
    T last = probe.get();
    while (!done.test(last) && System.currentTimeMillis() < deadline) {
      Eventually.sleep(java.time.Duration.ofMillis(50));
      last = probe.get();
    }
    return last;
  }

  private static List<JsonObject> json(List<EventEnvelope> events) {
    return events.stream().map(EventEnvelope::toJson).toList();
  }
}
