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

/** Applies events to the status documents, and announces every document that changed on the stream. */
public final class StatusProjection {

  private final DeliveryStatusStore store;
  private final ChangeFeed feed;
  private final Counter changes;

  public StatusProjection(DeliveryStatusStore store, ChangeFeed feed, MeterRegistry registry) {
    this.store = store;
    this.feed = feed;
    this.changes = Counter.builder("view_documents_changed_total")
        .description("status documents changed by an event").register(registry);
  }

  /** The live consumer's handler: one event into the active collection. */
  public Future<Void> apply(EventEnvelope event) {
    return applyToActive(DeliveryStatus.of(event));
  }

  /** Facts (of one event or several merged) into the active collection; a change goes on the stream. */
  public Future<Void> applyToActive(DeliveryStatus facts) {
    return store.apply(DeliveryStatusStore.COLLECTION, facts).map(applied -> {
      if (applied.changed()) {
        changes.increment();
        feed.publish(applied.document());
      }
      return null;
    });
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
