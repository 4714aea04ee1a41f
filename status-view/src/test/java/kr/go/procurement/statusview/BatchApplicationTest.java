package kr.go.procurement.statusview;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.statusview.SseClient.Frame;
import kr.go.procurement.statusview.domain.DeliveryStatus;
import kr.go.procurement.statusview.store.DeliveryStatusStore;
import kr.go.procurement.statusview.store.DeliveryStatusStore.Applied;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.RealInfra;
import kr.go.procurement.testsupport.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The live consumer applies a poll's events together ({@link StatusProjection#applyAll}): one {@code find}, one bulk
 * write, and the same documents, stream events and metrics as applying the events one at a time.
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchApplicationTest {

  private static final Instant T0 = Instant.parse("2025-05-01T09:00:00Z");
  private static final String STREAM = "/deliveryStatusInquiries/stream";

  private Infra infra;
  private Vertx vertx;

  @BeforeAll
  void start(Infra infra) {
    this.infra = infra;
    vertx = Vertx.vertx();
  }

  @AfterAll
  void stop() {
    RunningStatusView.await(vertx.close());
  }

  @Test
  void batchesWithSeveralEventsPerProcNoGiveByteIdenticalDocumentsStreamEventsAndMetricsToOneAtATime() {
    Random random = new Random(11);
    List<EventEnvelope> events = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      events.addAll(workflow(random, Procurement.of(10_000 + i, "bat-" + i, T0.plusSeconds(i * 10L))));
    }
    // Redeliveries here and there, and everything in an order no partition would keep (the merge is order-free).
    for (int i = 0; i < 200; i++) {
      events.add(events.get(random.nextInt(events.size())));
    }
    Collections.shuffle(events, random);
    List<List<EventEnvelope>> polls = new ArrayList<>();
    for (int from = 0; from < events.size(); ) {
      int size = 1 + random.nextInt(from == 0 ? 5 : 250);
      polls.add(events.subList(from, Math.min(events.size(), from + size)));
      from += size;
    }
    polls.add(polls.get(polls.size() / 2)); // a whole poll redelivered: nothing to write

    ProjectionHarness batched = ProjectionHarness.deploy(vertx, infra, 0);
    ProjectionHarness oneByOne = ProjectionHarness.deploy(vertx, infra, 0);
    try (SseClient stream = SseClient.connect(vertx, batched.port(), STREAM)) {
      int expectedFrames = 0;
      Map<String, JsonObject> lastChange = new HashMap<>();
      Set<String> stored = new HashSet<>();
      for (List<EventEnvelope> poll : polls) {
        Set<String> changedOneByOne = new LinkedHashSet<>();
        for (EventEnvelope event : poll) {
          Applied applied = RunningStatusView.await(oneByOne.store.apply(DeliveryStatusStore.COLLECTION,
              DeliveryStatus.of(event)));
          if (applied.changed()) {
            changedOneByOne.add(event.procNo());
            lastChange.put(event.procNo(), applied.document());
          }
        }
        int finds = batched.finds.get();
        int bulkWrites = batched.bulkWrites.get();

        batched.onLoop(() -> batched.projection.applyAll(poll));

        // One read, none when the poll only posts requests, one more when such a post found its document; one bulk
        // write of what changed or is posted (inserted unread), one more when such a post found a changed document.
        List<DeliveryStatus> facts = StatusProjection.factsPerProcNo(poll);
        List<DeliveryStatus> posts = facts.stream().filter(DeliveryStatus::onlyPosted).toList();
        List<DeliveryStatus> read = facts.stream().filter(f -> !f.onlyPosted()).toList();
        List<DeliveryStatus> postsFound = posts.stream().filter(f -> stored.contains(f.procNo())).toList();
        int expectedReads = (read.isEmpty() ? 0 : 1) + (postsFound.isEmpty() ? 0 : 1);
        int expectedBulkWrites =
            (posts.isEmpty() && read.stream().noneMatch(f -> changedOneByOne.contains(f.procNo())) ? 0 : 1)
            + (postsFound.stream().anyMatch(f -> changedOneByOne.contains(f.procNo())) ? 1 : 0);
        assertThat(batched.finds.get() - finds).as("reads per poll").isBetween(0, 2).isEqualTo(expectedReads);
        assertThat(batched.bulkWrites.get() - bulkWrites).as("bulk writes per poll").isBetween(0, 2)
            .isEqualTo(expectedBulkWrites);
        facts.forEach(f -> stored.add(f.procNo()));
        if (changedOneByOne.isEmpty()) {
          // at most the refused inserts of posts that were delivered again
          assertThat(batched.bulkWrites.get() - bulkWrites).as("bulk writes of a poll that changes nothing")
              .isLessThanOrEqualTo(1);
        }
        expectedFrames += changedOneByOne.size();
      }

      assertThat(encode(batched.documents())).isEqualTo(encode(oneByOne.documents()));
      assertThat(batched.documents()).hasSize(300);
      assertThat(batched.counter("view_documents_changed_total")).isEqualTo(expectedFrames);
      Map<String, JsonObject> lastFrame = new HashMap<>();
      for (int i = 0; i < expectedFrames; i++) {
        Frame frame = stream.nextEvent(10_000);
        assertThat(frame).as("stream event %d of %d", i + 1, expectedFrames).isNotNull();
        lastFrame.put(frame.json().getString("procNo"), frame.json());
      }
      // A later change on the same stream: once it arrives, any extra stream event would have arrived before it.
      Frame marker = applyMarker(batched, stream, "bat-marker");
      assertThat(marker.json().getString("procNo")).as("no more stream events than changed documents")
          .isEqualTo("bat-marker");
      assertThat(lastFrame.keySet()).isEqualTo(lastChange.keySet());
      lastChange.forEach((procNo, doc) -> {
        assertThat(lastFrame.get(procNo).getString("status")).isEqualTo(doc.getString("status"));
        assertThat(lastFrame.get(procNo).getJsonArray("history")).isEqualTo(doc.getJsonArray("history"));
      });
    } finally {
      RunningStatusView.await(vertx.undeploy(batched.deploymentID()));
      RunningStatusView.await(vertx.undeploy(oneByOne.deploymentID()));
    }
  }

  @Test
  void newlyPostedRequestsAreInsertedUnreadAndAnEditOrRedeliveryOfAnExistingOneIsMergedInASecondRound() {
    List<Procurement> procurements = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      procurements.add(Procurement.of(40_000 + i, "new-" + i, T0.plusSeconds(i * 10L)));
    }
    ProjectionHarness batched = ProjectionHarness.deploy(vertx, infra, 0);
    ProjectionHarness oneByOne = ProjectionHarness.deploy(vertx, infra, 0);
    try (SseClient stream = SseClient.connect(vertx, batched.port(), STREAM)) {
      List<EventEnvelope> firstPoll = procurements.subList(0, 20).stream().map(Procurement::posted).toList();
      // Five of them delivered again unchanged, three edited, two new requests: eight posts find a document.
      List<EventEnvelope> secondPoll = new ArrayList<>();
      secondPoll.addAll(firstPoll.subList(0, 5));
      procurements.subList(5, 8).forEach(p -> secondPoll.add(new EventEnvelope(UUID.randomUUID(),
          "ProcurementRequestPosted", p.at(5), p.procNo(), 1,
          p.posted().fields().copy().put("procTitle", "책상 (수정) " + p.procNo()))));
      procurements.subList(20, 22).forEach(p -> secondPoll.add(p.posted()));

      batched.onLoop(() -> batched.projection.applyAll(firstPoll));

      assertThat(batched.finds.get()).as("reads for new documents").isZero();
      assertThat(batched.bulkWrites.get()).isEqualTo(1);
      assertThat(batched.documents()).hasSize(20);

      batched.onLoop(() -> batched.projection.applyAll(secondPoll));

      assertThat(batched.finds.get()).as("one read, of the eight that existed").isEqualTo(1);
      assertThat(batched.bulkWrites.get()).as("the unread inserts, then the merged edits").isEqualTo(3);
      for (EventEnvelope e : concat(firstPoll, secondPoll)) {
        RunningStatusView.await(oneByOne.store.apply(DeliveryStatusStore.COLLECTION, DeliveryStatus.of(e)));
      }
      assertThat(encode(batched.documents())).isEqualTo(encode(oneByOne.documents()));
      assertThat(batched.documents()).hasSize(22)
          .filteredOn(d -> d.getString("_id").equals(procurements.get(6).procNo())).singleElement()
          .satisfies(d -> assertThat(d.getString("procTitle")).startsWith("책상 (수정)"));

      // 20 new, then 3 edited and 2 new; the unchanged redeliveries are not announced.
      // Read up to a later change on the same stream, so that nothing can still be on its way.
      List<String> announced = new ArrayList<>();
      double changed = batched.counter("view_documents_changed_total");
      batched.onLoop(() -> batched.projection.applyAll(List.of(Procurement.of(49_999, "new-marker", T0).posted())));
      for (Frame f = nextFrame(stream); !f.json().getString("procNo").equals("new-marker");
           f = nextFrame(stream)) {
        announced.add(f.json().getString("procNo"));
      }
      assertThat(announced).hasSize(25);
      assertThat(announced.subList(0, 20)).containsExactlyInAnyOrderElementsOf(
          procurements.subList(0, 20).stream().map(Procurement::procNo).toList());
      assertThat(announced.subList(20, 25)).containsExactlyInAnyOrder(procurements.get(5).procNo(),
          procurements.get(6).procNo(), procurements.get(7).procNo(), procurements.get(20).procNo(),
          procurements.get(21).procNo());
      assertThat(changed).isEqualTo(25);
    } finally {
      RunningStatusView.await(vertx.undeploy(batched.deploymentID()));
      RunningStatusView.await(vertx.undeploy(oneByOne.deploymentID()));
    }
  }

  /**
   * Another writer (another replica, a rebuild's catch-up) writes a document of a batch after the batch read it and
   * before its bulk write: the replace of a changed document matches nothing, or the insert of a new one is a
   * duplicate.
   */
  @ParameterizedTest
  @ValueSource(strings = {"replace", "insert"})
  void aDocumentWrittenBetweenTheReadAndTheBulkWriteEndsRightBecauseTheConsumerFallsBackToOneAtATime(String race) {
    String topic = infra.newTopic(3);
    String group = "status-view-" + UUID.randomUUID().toString().substring(0, 8);
    List<Procurement> procurements = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      procurements.add(Procurement.of(20_000 + i, "race-" + i, T0.plusSeconds(i * 10L)));
    }
    List<EventEnvelope> published = new ArrayList<>();
    procurements.forEach(p -> published.addAll(p.fullWorkflow()));
    Procurement changedMeanwhile = procurements.get(7);
    EventEnvelope racingChange = new EventEnvelope(UUID.randomUUID(), "ProcurementRequestPosted",
        changedMeanwhile.at(8), changedMeanwhile.procNo(), 1,
        firstOf(published, changedMeanwhile.procNo()).fields().copy().put("procTitle", "책상 (수정)"));
    String insertedMeanwhile = procurements.get(33).procNo();
    EventEnvelope racingInsert = published.stream().filter(e -> e.procNo().equals(insertedMeanwhile)).findFirst()
        .orElseThrow();

    ProjectionHarness live = ProjectionHarness.deploy(vertx, infra, 0);
    ProjectionHarness reference = ProjectionHarness.deploy(vertx, infra, 0);
    try (TopicProbe kafka = new TopicProbe(infra.kafkaBootstrapServers(), topic);
         SseClient stream = SseClient.connect(vertx, live.port(), STREAM)) {
      // Half the documents exist before the consumer starts (its batches replace them), half are new (inserts).
      for (Procurement p : procurements.subList(0, 20)) {
        live.onLoop(() -> live.projection.apply(firstOf(published, p.procNo())));
      }
      String target = race.equals("replace") ? changedMeanwhile.procNo() : insertedMeanwhile;
      EventEnvelope racing = race.equals("replace") ? racingChange : racingInsert;
      AtomicBoolean raced = new AtomicBoolean();
      live.beforeBulkWrite = ops -> writes(ops, target) && raced.compareAndSet(false, true)
          ? live.otherWriter.apply(DeliveryStatusStore.COLLECTION, DeliveryStatus.of(racing))
          : null;
      kafka.sendAll(published.stream().map(EventEnvelope::toJson).toList());
      live.startConsumer(ProjectionHarness.kafka(infra, topic, group));
      kafka.awaitConsumed(group);

      assertThat(raced).as("the race was run").isTrue();
      assertThat(live.counter("events_batch_fallbacks_total")).isGreaterThanOrEqualTo(1);
      List<EventEnvelope> everything = new ArrayList<>(published);
      everything.add(racing);
      for (EventEnvelope e : everything) {
        reference.onLoop(() -> reference.projection.apply(e));
      }
      List<JsonObject> documents = live.documents();
      assertThat(encode(documents)).isEqualTo(encode(reference.documents()));
      assertThat(documents).hasSize(40).filteredOn(d -> d.getString("_id").equals(changedMeanwhile.procNo()))
          .singleElement().satisfies(d -> assertThat(d.getString("procTitle"))
              .isEqualTo(race.equals("replace") ? "책상 (수정)" : changedMeanwhile.title()));

      // Every document's final state reached the stream, also where the failed bulk write did write it.
      // Everything consumed has been announced (before its offset was committed); a later change applied on the
      // consumer's loop ends what there is to read.
      Map<String, JsonObject> lastFrame = new HashMap<>();
      live.onLoop(() -> live.projection.apply(Procurement.of(29_999, "race-marker", T0).posted()));
      for (Frame f = nextFrame(stream); !f.json().getString("procNo").equals("race-marker");
           f = nextFrame(stream)) {
        lastFrame.put(f.json().getString("procNo"), f.json());
      }
      for (JsonObject doc : documents) {
        JsonObject last = lastFrame.get(doc.getString("_id"));
        assertThat(last).as("stream events of " + doc.getString("_id")).isNotNull();
        assertThat(last.getString("status")).isEqualTo(doc.getString("status"));
        assertThat(last.getString("procTitle")).isEqualTo(doc.getString("procTitle"));
        assertThat(last.getJsonArray("history")).isEqualTo(doc.getJsonArray("history"));
      }
    } finally {
      RunningStatusView.await(vertx.undeploy(live.deploymentID()));
      RunningStatusView.await(vertx.undeploy(reference.deploymentID()));
    }
  }

  @Test
  void aMalformedEventFailsTheBatchSoThatTheOneByOnePathCanDeadLetterIt() {
    ProjectionHarness harness = ProjectionHarness.deploy(vertx, infra, 0);
    try {
      Procurement p = Procurement.of(30_001, "bad-batch", T0);
      JsonObject fields = p.posted().fields().copy();
      fields.remove("id");
      EventEnvelope noId = new EventEnvelope(UUID.randomUUID(), "ProcurementRequestPosted", T0, "bad-batch-2", 1,
          fields.put("procNo", "bad-batch-2"));

      Throwable failure = harness.failureOnLoop(() -> harness.projection.applyAll(List.of(p.posted(), noId)));

      assertThat(failure).isNotNull();
      assertThat(harness.bulkWrites.get()).isZero();
      assertThat(harness.documents()).isEmpty();
    } finally {
      RunningStatusView.await(vertx.undeploy(harness.deploymentID()));
    }
  }

  /** Applies a new procurement's posting as one poll and returns the next stream event. */
  private static Frame applyMarker(ProjectionHarness harness, SseClient stream, String procNo) {
    harness.onLoop(() -> harness.projection.applyAll(List.of(Procurement.of(99_999, procNo, T0).posted())));
    return nextFrame(stream);
  }

  private static Frame nextFrame(SseClient stream) {
    Frame next = stream.nextEvent(10_000);
    assertThat(next).as("a stream event").isNotNull();
    return next;
  }

  /** A random prefix of one of the workflows, sometimes with an edit of the request. */
  private static List<EventEnvelope> workflow(Random random, Procurement p) {
    List<EventEnvelope> all = new ArrayList<>(random.nextBoolean() ? p.fullWorkflow() : p.canceledAfterOrder());
    if (random.nextInt(4) == 0) {
      all.add(new EventEnvelope(UUID.randomUUID(), "ProcurementRequestPosted", p.at(5), p.procNo(), 1,
          p.posted().fields().copy().put("procTitle", "책상 (수정) " + p.procNo())));
    }
    return all.subList(0, 1 + random.nextInt(all.size()));
  }

  private static List<EventEnvelope> concat(List<EventEnvelope> a, List<EventEnvelope> b) {
    List<EventEnvelope> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String encode(List<JsonObject> docs) {
    return new JsonArray(new ArrayList<>(docs)).encode();
  }

  private static EventEnvelope firstOf(List<EventEnvelope> events, String procNo) {
    return events.stream().filter(e -> e.procNo().equals(procNo)).findFirst().orElseThrow();
  }

  /** Whether a bulk write inserts or replaces the document of {@code procNo}. */
  private static boolean writes(List<BulkOperation> ops, String procNo) {
    return ops.stream().anyMatch(op -> procNo.equals(op.getDocument().getString("_id")));
  }
}
