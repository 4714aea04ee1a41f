package kr.go.procurement.statusview.events;

import java.util.HashMap;
import java.util.Map;
import kr.go.procurement.platform.consumer.EventHandler;
import kr.go.procurement.platform.events.EventTypes;
import kr.go.procurement.statusview.StatusProjection;

/**
 * The status board listens to all six event types. Idempotence comes from the shape of the data (merging an event
 * twice changes nothing), not from a table of processed event ids.
 */
public final class StatusEventHandlers {

  private final StatusProjection projection;

  public StatusEventHandlers(StatusProjection projection) {
    this.projection = projection;
  }

  public Map<String, EventHandler> handlers() {
    Map<String, EventHandler> handlers = new HashMap<>();
    for (String type : EventTypes.ALL) {
      handlers.put(type, projection::apply);
    }
    return handlers;
  }
}
