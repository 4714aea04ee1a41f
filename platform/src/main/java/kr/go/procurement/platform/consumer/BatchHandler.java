package kr.go.procurement.platform.consumer;

import io.vertx.core.Future;
import java.util.List;
import kr.go.procurement.platform.events.EventEnvelope;

/**
 * Applies the events of one poll together: one PostgreSQL transaction, one MongoDB bulk write. Under load this is
 * what keeps a consumer's cost per event low (one commit for hundreds of events instead of one each).
 *
 * <p>The events come in poll order (so in order per partition, so per procNo), and every one has a handler. A failed
 * Future is not an error: the consumer then applies the same events one at a time with their {@link EventHandler}s,
 * with the usual retries and dead-lettering. So an implementation must leave nothing half-applied that a second
 * application would double: all or nothing (one transaction), or effects that are idempotent anyway.
 */
@FunctionalInterface
public interface BatchHandler {

  Future<Void> applyAll(List<EventEnvelope> events);
}
