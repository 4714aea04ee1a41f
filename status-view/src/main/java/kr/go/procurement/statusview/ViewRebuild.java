package kr.go.procurement.statusview;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kr.go.procurement.platform.config.KafkaConfig;
import kr.go.procurement.platform.domain.RuleViolation;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.statusview.api.ChangeFeed;
import kr.go.procurement.statusview.domain.DeliveryStatus;
import kr.go.procurement.statusview.events.TopicReplay;
import kr.go.procurement.statusview.store.DeliveryStatusDocument;
import kr.go.procurement.statusview.store.DeliveryStatusStore;
import kr.go.procurement.statusview.store.ViewGeneration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's rebuild: re-reads the topic from the beginning into a fresh collection and swaps it in, while the
 * live consumer goes on applying new events to the active collection.
 *
 * <ol>
 *   <li>Read every partition from its beginning up to the end offsets of that moment ({@code E1}) into
 *       {@code deliveryStatusInquiries_rebuild_<millis>}.</li>
 *   <li>Rename it to {@code deliveryStatusInquiries}, dropping the old one, in one step. Stream clients get
 *       {@code event: reset} and reload, and cached list pages are dropped.</li>
 *   <li>Catch up: read from {@code E1} to the end offsets after the rename into the active collection. Events the
 *       live consumer applied to the old collection between {@code E1} and the rename are applied again here;
 *       everything after the rename the live consumer writes into the new collection itself.</li>
 * </ol>
 *
 * <p>Applying an event twice changes nothing, and every write is conditional on what was read, so the catch-up and
 * the live consumer (of this replica or another) can write the same documents at the same time. Each polled batch is
 * merged per procNo and written with one bulk write; when that does not go through completely (a document changed
 * in between), the batch's documents are applied one by one. The view is only as complete as the topic: events past
 * the topic's retention are gone from a rebuilt view.
 *
 * <p>One rebuild at a time per process; the status is kept in memory (a restart forgets it, and a rebuild cut short
 * by a restart leaves its {@code _rebuild_} collection behind, which is safe to drop).
 */
public final class ViewRebuild {

  private static final Logger log = LoggerFactory.getLogger(ViewRebuild.class);

  public enum State { RUNNING, SUCCEEDED, FAILED }

  /** What the status resource shows. */
  public record Status(State state, Instant startedAt, Instant finishedAt, String collection, long events,
                       long skipped, Long documents, String error) {

    public JsonObject toJson() {
      return new JsonObject()
          .put("state", state.name())
          .put("startedAt", DeliveryStatusDocument.time(startedAt))
          .put("finishedAt", DeliveryStatusDocument.time(finishedAt))
          .put("collection", collection)
          .put("eventsRead", events)
          .put("eventsSkipped", skipped)
          .put("documents", documents)
          .put("error", error);
    }
  }

  private final Vertx vertx;
  private final KafkaConfig kafka;
  private final DeliveryStatusStore store;
  private final StatusProjection projection;
  private final ChangeFeed feed;
  private final ViewGeneration generation;
  private final MeterRegistry registry;
  private Status status;
  private TopicReplay replay;

  public ViewRebuild(Vertx vertx, KafkaConfig kafka, DeliveryStatusStore store, StatusProjection projection,
                     ChangeFeed feed, ViewGeneration generation, MeterRegistry registry) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.store = store;
    this.projection = projection;
    this.feed = feed;
    this.generation = generation;
    this.registry = registry;
  }

  /** The latest rebuild's status, or null if none ran since start-up. */
  public Status status() {
    return status;
  }

  /**
   * Starts a rebuild and returns at once with its RUNNING status.
   *
   * @throws RuleViolation when one is running already
   */
  public Status start() {
    if (status != null && status.state() == State.RUNNING) {
      throw new RuleViolation("A rebuild is already running (started " + status.toJson().getString("startedAt")
          + "); follow it at /deliveryStatusInquiries/rebuild.");
    }
    Instant started = Instant.now();
    String fresh = DeliveryStatusStore.COLLECTION + "_rebuild_" + started.toEpochMilli();
    status = new Status(State.RUNNING, started, null, fresh, 0, 0, null, null);
    log.atInfo().addKeyValue("collection", fresh).log("view rebuild started");
    run(fresh).onComplete(ar -> {
      registry.counter("view_rebuilds_total", "outcome", ar.succeeded() ? "succeeded" : "failed").increment();
      if (ar.succeeded()) {
        status = ar.result();
        log.atInfo().addKeyValue("events", status.events()).addKeyValue("documents", status.documents())
            .log("view rebuild finished and swapped in");
      } else {
        log.atError().setCause(ar.cause()).log("view rebuild failed; the active view is unchanged");
        store.drop(fresh).onFailure(e -> log.warn("could not drop {}: {}", fresh, e.getMessage()));
        status = new Status(State.FAILED, started, Instant.now(), fresh, status.events(), status.skipped(), null,
            "The rebuild failed; the active view is unchanged. See the service log.");
      }
    });
    return status;
  }

  /** Stops a running rebuild (service shutdown). */
  public void stop() {
    if (replay != null) {
      replay.stop();
    }
  }

  private Future<Status> run(String fresh) {
    replay = new TopicReplay(vertx, kafka);
    Status running = status;
    return store.ensureIndexes(fresh)
        .compose(v -> replay.replay(Map.of(), batch(facts -> store.applyAll(fresh, facts).mapEmpty(),
            facts -> store.apply(fresh, facts).mapEmpty())))
        .compose(filled -> {
          status = new Status(State.RUNNING, running.startedAt(), null, fresh, filled.events(), filled.skipped(),
              null, null);
          return store.replace(fresh, DeliveryStatusStore.COLLECTION)
              // The whole view changed (or may have, if the rename failed half-way): cached pages are stale.
              .onComplete(ar -> generation.advance())
              // createIndexes is a no-op where the rename kept them, and restores them on servers that do not
              .compose(v -> store.ensureIndexes(DeliveryStatusStore.COLLECTION))
              .compose(v -> {
                feed.reset();
                return replay.replay(filled.until(), batch(projection::applyAllToActive, projection::applyToActive));
              })
              .map(caughtUp -> new long[] {filled.events() + caughtUp.events(),
                  filled.skipped() + caughtUp.skipped()});
        })
        .compose(counts -> store.count(DeliveryStatusStore.COLLECTION).map(documents ->
            new Status(State.SUCCEEDED, running.startedAt(), Instant.now(), fresh, counts[0], counts[1], documents,
                null)));
  }

  /**
   * Applies a polled batch merged per procNo: all documents with one read and one bulk write, or, should that not go
   * through completely (the live consumer wrote one of the documents meanwhile), each document on its own with the
   * store's retries. Merging again is harmless for the writes that did land.
   */
  private static Function<List<EventEnvelope>, Future<Void>> batch(
      Function<List<DeliveryStatus>, Future<Void>> applyAll, Function<DeliveryStatus, Future<Void>> applyOne) {
    return events -> {
      List<DeliveryStatus> facts = StatusProjection.factsPerProcNo(events);
      return applyAll.apply(facts).recover(e -> {
        log.atDebug().addKeyValue("documents", facts.size())
            .log("rebuild batch applied document by document: {}", e.toString());
        return Future.all(facts.stream().map(applyOne).toList()).mapEmpty();
      });
    };
  }
}
