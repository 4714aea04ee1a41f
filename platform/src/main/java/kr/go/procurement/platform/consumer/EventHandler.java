package kr.go.procurement.platform.consumer;

import io.vertx.core.Future;
import kr.go.procurement.platform.events.EventEnvelope;

/** Applies one event. A failed Future means "try again"; after the retries the event goes to the dead-letter topic. */
@FunctionalInterface
public interface EventHandler {

  Future<Void> apply(EventEnvelope event);
}
