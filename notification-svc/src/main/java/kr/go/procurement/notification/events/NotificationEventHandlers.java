package kr.go.procurement.notification.events;

import java.util.Map;
import kr.go.procurement.notification.SmsDispatcher;
import kr.go.procurement.platform.consumer.EventHandler;
import kr.go.procurement.platform.events.EventTypes;

/** notification-svc listens to one event: the inspection result, which the supplier learns by SMS. */
public final class NotificationEventHandlers {

  private final SmsDispatcher dispatcher;

  public NotificationEventHandlers(SmsDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  public Map<String, EventHandler> handlers() {
    return Map.of(EventTypes.INSPECTION_RESULT_PATCHED, dispatcher::onInspectionResult);
  }
}
