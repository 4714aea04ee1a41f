package kr.go.procurement.statusview;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.events.EventTypes;
import kr.go.procurement.platform.events.MalformedEventException;
import kr.go.procurement.statusview.api.ChangeFeed;
import kr.go.procurement.statusview.domain.DeliveryStatus;
import kr.go.procurement.statusview.store.DeliveryStatusStore;
import kr.go.procurement.statusview.store.DeliveryStatusStore.Applied;
import kr.go.procurement.statusview.store.ViewGeneration;

/**
 * Applies events to the status documents, announces every document that changed on the stream, and moves the
 * {@link ViewGeneration} on after every write so cached list pages are never served stale.
 */
public final class StatusProjection {

  private final DeliveryStatusStore store;
  private final ChangeFeed feed;
  private final ViewGeneration generation;
  private final Counter changes;

  public StatusProjection(DeliveryStatusStore store, ChangeFeed feed, ViewGeneration generation,
                          MeterRegistry registry) {
    this.store = store;
    this.feed = feed;
    this.generation = generation;
    this.changes = Counter.builder("view_documents_changed_total")
        .description("status documents changed by an event").register(registry);
  }

  /** The live consumer's handler for one event (and its fallback when a batch failed): into the active collection. */
  public Future<Void> apply(EventEnvelope event) {
    return applyToActive(DeliveryStatus.of(event));
  }

  /**
   * The live consumer's batch handler: a poll's events merged per procNo, every affected document read with one
   * {@code find} and the changed ones written with one bulk write (see {@link DeliveryStatusStore#applyAll}).
   *
   * <p>Fails, so that the consumer applies the events one at a time instead, when an event cannot be applied (the
   * one-by-one path dead-letters it) or when not every write went through (a document changed between the read and
   * the write). Merging again is idempotent, so whatever did land is harmless; it is announced here, because the
   * second application will find it unchanged.
   */
  public Future<Void> applyAll(List<EventEnvelope> events) {
    Map<String, DeliveryStatus> perProcNo = new LinkedHashMap<>();
    for (EventEnvelope event : events) {
      DeliveryStatus facts;
      try {
        facts = DeliveryStatus.of(event);
      } catch (RuntimeException e) { // malformed, or a type this view does not know
        return Future.failedFuture(e);
      }
      perProcNo.merge(facts.procNo(), facts, DeliveryStatus::merge);
    }
    return applyAllToActive(new ArrayList<>(perProcNo.values()));
  }

  /** Facts (of one event or several merged) into the active collection; a change goes on the stream. */
  public Future<Void> applyToActive(DeliveryStatus facts) {
    return store.apply(DeliveryStatusStore.COLLECTION, facts)
        .onComplete(ar -> {
          if (ar.failed() || ar.result().changed()) {
            generation.advance();
          }
        })
        .map(applied -> {
          if (applied.changed()) {
            announce(applied);
          }
          return null;
        });
  }

  /**
   * Facts of several procNos (one entry each) into the active collection with one read and one bulk write; each
   * changed document goes on the stream.
   *
   * @return failed with {@link DeliveryStatusStore.BatchFailed} when not every write went through
   */
  public Future<Void> applyAllToActive(List<DeliveryStatus> facts) {
    return store.applyAll(DeliveryStatusStore.COLLECTION, facts)
        .onComplete(ar -> {
          if (ar.failed() || !ar.result().isEmpty()) {
            generation.advance();
          }
        })
        .map(applied -> {
          applied.forEach(this::announce);
          return (Void) null;
        })
        .onFailure(e -> {
          if (e instanceof DeliveryStatusStore.BatchFailed failed) {
            failed.landed().forEach(this::announce);
          }
        });
  }

  private void announce(Applied applied) {
    changes.increment();
    feed.publish(applied.document());
  }

  /**
   * A batch of events merged per procNo, so each document is read and written once however many events it got.
   * Events that can never be applied are left out (the live consumer dead-letters them), as are types this view
   * does not know.
   */
  public static List<DeliveryStatus> factsPerProcNo(List<EventEnvelope> events) {
    Map<String, DeliveryStatus> perProcNo = new LinkedHashMap<>();
    for (EventEnvelope event : events) {
      if (!EventTypes.ALL.contains(event.eventType())) {
        continue;
      }
      DeliveryStatus facts;
      try {
        facts = DeliveryStatus.of(event);
      } catch (MalformedEventException e) {
        continue;
      }
      perProcNo.merge(facts.procNo(), facts, DeliveryStatus::merge);
    }
    return new ArrayList<>(perProcNo.values());
  }
}
