package kr.go.procurement.statusview;

import kr.go.procurement.platform.events.EventEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kr.go.procurement.statusview.SseClient.Frame;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code GET /deliveryStatusInquiries/stream}: live changes, heartbeats, replay after reconnecting, filters. */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeStreamTest {

  private static final String STREAM = "/deliveryStatusInquiries/stream";
  private static final Instant T0 = Instant.parse("2025-04-01T09:00:00Z");

  private RunningStatusView view;
  private Vertx clients;

  @BeforeAll
  void start(Infra infra) {
    view = RunningStatusView.start(infra, Map.of("SSE_HEARTBEAT_MS", "200", "SSE_BUFFER_SIZE", "300"));
    clients = Vertx.vertx();
  }

  @AfterAll
  void stop() {
    clients.close().toCompletionStage().toCompletableFuture().join();
    view.close();
  }

  /**
   * Publishes 200 events one at a time and times each from just before the producer's send to the moment its
   * change arrives on the stream (an upper bound of "consumed → on the stream"), printing median and p99.
   */
  @Test
  void aSubscriberSeesEachChangeSoonAfterItsEventIsPublished() {
    try (SseClient sse = SseClient.connect(clients, view.port, STREAM)) {
      assertThat(sse.header("Content-Type")).startsWith("text/event-stream");
      List<Long> micros = new ArrayList<>();
      long previousId = Long.MIN_VALUE;
      for (int i = 0; i < 200; i++) {
        Procurement p = Procurement.of(1000 + i, "lat-" + i, T0);
        long sent = System.nanoTime();
        view.kafka.send(p.posted().toJson());
        Frame frame = sse.nextEvent(10_000);
        assertThat(frame).as("change of " + p.procNo() + " on the stream").isNotNull();
        assertThat(frame.json().getString("procNo")).isEqualTo(p.procNo());
        assertThat(frame.json().getString("status")).isEqualTo("POSTED");
        long id = Long.parseLong(frame.id());
        assertThat(id).isGreaterThan(previousId);
        previousId = id;
        micros.add(TimeUnit.NANOSECONDS.toMicros(frame.arrivedNanos() - sent));
      }
      // What arrived on the stream is in the view.
      assertThat(view.get("/deliveryStatusInquiries/1199").statusCode()).isEqualTo(200);
      Collections.sort(micros);
      System.out.printf("publication -> stream, 200 events: median %.1f ms, p99 %.1f ms, max %.1f ms%n",
          micros.get(99) / 1000.0, micros.get(197) / 1000.0, micros.get(199) / 1000.0);
    }
  }

  @Test
  void aReconnectingClientWithLastEventIdGetsWhatItMissedAndThenLiveChanges() {
    String last;
    try (SseClient first = SseClient.connect(clients, view.port, STREAM + "?procNo=re-1")) {
      view.kafka.send(Procurement.of(2001, "re-1", T0).posted().toJson());
      last = first.nextEvent(10_000).id();
    }
    Procurement p = Procurement.of(2001, "re-1", T0);
    view.kafka.sendAll(json(List.of(p.deliveryRequested(), p.inspectionRequested())));
    view.awaitConsumed();

    try (SseClient again = SseClient.connect(clients, view.port, STREAM + "?procNo=re-1", "Last-Event-ID", last)) {
      // One event per change of the document: two events of one poll are one change.
      assertThat(statusesUntil(again, "INSPECTION_REQUESTED"))
          .isIn(List.of("DELIVERY_REQUESTED", "INSPECTION_REQUESTED"), List.of("INSPECTION_REQUESTED"));
      view.kafka.send(p.inspected(true).toJson());
      Frame live = again.nextEvent(10_000);
      assertThat(live.json().getString("status")).isEqualTo("INSPECTED");
      assertThat(live.json().getJsonArray("history")).hasSize(4);
    }
  }

  @Test
  void aLastEventIdThatIsNoLongerBufferedGetsAResetToReload() {
    try (SseClient old = SseClient.connect(clients, view.port, STREAM, "Last-Event-ID", "12")) {
      Frame reset = old.nextEvent(5_000);
      assertThat(reset.event()).isEqualTo("reset");
      assertThat(reset.id()).isNotBlank();
    }
  }

  @Test
  void filtersAndTheSuppliersCompanyApplyToTheStream() {
    Procurement mine = new Procurement(3001, "own-1", "내 조달", "comp-a", T0);
    Procurement theirs = new Procurement(3002, "other-1", "남의 조달", "comp-b", T0);
    try (SseClient supplier = SseClient.connect(clients, view.port, STREAM, "X-User-Roles", "supplier",
        "X-User-Company", "comp-a");
         SseClient canceled = SseClient.connect(clients, view.port, STREAM + "?status=CANCELED")) {
      view.kafka.sendAll(json(List.of(theirs.posted(), theirs.deliveryRequested(), mine.posted(),
          mine.deliveryRequested(), mine.requestCanceled(2))));

      // The supplier's own document from the first change that carries its company (the delivery order, or the
      // cancel when both came in one poll); never the other company's.
      List<Frame> own = framesUntil(supplier, "CANCELED");
      assertThat(own).isNotEmpty().allSatisfy(f -> assertThat(f.json().getString("procNo")).isEqualTo("own-1"));
      assertThat(own.get(0).json().getString("status")).isIn("DELIVERY_REQUESTED", "CANCELED");
      assertThat(canceled.nextEvent(10_000).json().getString("procNo")).isEqualTo("own-1");
      view.awaitConsumed();
      // A later cancelled procurement of comp-a, which both streams show: everything before it is on the streams
      // before its change, so the next event being the marker's means nothing else came.
      Procurement marker = new Procurement(3003, "own-2", "내 조달 2", "comp-a", T0);
      view.kafka.sendAll(json(List.of(marker.posted(), marker.deliveryRequested(), marker.requestCanceled(2))));
      assertThat(supplier.nextEvent(10_000)).as("the supplier's next event").isNotNull()
          .satisfies(f -> assertThat(f.json().getString("procNo")).isEqualTo("own-2"));
      assertThat(canceled.nextEvent(10_000)).as("the cancelled filter's next event").isNotNull()
          .satisfies(f -> assertThat(f.json().getString("procNo")).isEqualTo("own-2"));
    }
  }

  @Test
  void anIdleStreamGetsHeartbeats() {
    try (SseClient idle = SseClient.connect(clients, view.port, STREAM + "?procNo=nobody")) {
      boolean heartbeat = false;
      long deadline = System.currentTimeMillis() + 20_000; // a bound for a fact, generous for a busy machine
      while (!heartbeat && System.currentTimeMillis() < deadline) {
        Frame f = idle.next(1_000);
        heartbeat = f != null && f.comments().contains("heartbeat");
      }
      assertThat(heartbeat).isTrue();
    }
  }

  @Test
  void aSupplierWithoutCompanyIsRefused() {
    var response = view.get(STREAM, "X-User-Roles", "supplier");
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.getHeader("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void malformedFiltersAreRefused() {
    assertThat(view.get(STREAM + "?status=nope").statusCode()).isEqualTo(400);
    JsonObject problem = view.get(STREAM + "?status=nope").bodyAsJsonObject();
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("status");
  }

  /** The stream's events up to the first with {@code status} (which must come within 10 s). */
  private static List<Frame> framesUntil(SseClient sse, String status) {
    List<Frame> frames = new ArrayList<>();
    Frame frame;
    do {
      frame = sse.nextEvent(10_000);
      assertThat(frame).as("a stream event with status " + status + " after " + frames.size()).isNotNull();
      frames.add(frame);
    } while (!status.equals(frame.json().getString("status")));
    return frames;
  }

  private static List<String> statusesUntil(SseClient sse, String status) {
    return framesUntil(sse, status).stream().map(f -> f.json().getString("status")).toList();
  }

  private static List<JsonObject> json(List<EventEnvelope> events) {
    return events.stream().map(EventEnvelope::toJson).toList();
  }
}
