package kr.go.procurement.platform.events;

import io.vertx.core.json.JsonObject;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import kr.go.procurement.platform.domain.ProcNo;
import kr.go.procurement.platform.http.Validator;

/**
 * An event's own fields, checked and typed with the same rules as the API's input. An event that breaks them can
 * never be applied, however often it is retried, so it fails as {@link MalformedEventException} (dead-lettered).
 */
public final class EventFields {

  private EventFields() {
  }

  /** The checked fields, normalised to their declared types (see {@link Validator#validate()}). */
  public static JsonObject check(EventEnvelope event, UnaryOperator<Validator> rules) {
    if (!ProcNo.isValid(event.procNo())) {
      throw new MalformedEventException(event.eventType() + " with a malformed procNo");
    }
    Validator validator = rules.apply(Validator.of(event.fields()));
    if (validator.hasErrors()) {
      throw new MalformedEventException(event.eventType() + " " + event.procNo() + ": " + validator.errors().stream()
          .map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
    }
    return validator.validate();
  }
}
