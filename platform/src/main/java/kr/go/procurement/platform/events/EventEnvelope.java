package kr.go.procurement.platform.events;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * One event on the {@code procurement} topic. On the wire it is a flat JSON object, as in the original design: the
 * envelope fields ({@code eventId, eventType, timestamp, procNo, version}) beside the event's own fields.
 *
 * @param fields the event's own fields, without the envelope
 */
public record EventEnvelope(UUID eventId, String eventType, Instant timestamp, String procNo, int version,
                            JsonObject fields) {

  public static final int CURRENT_VERSION = 1;
  /** The Kafka record header naming the event's type (set by the relays), so consumers may skip records unread. */
  public static final String TYPE_HEADER = "eventType";
  private static final java.util.Set<String> ENVELOPE =
      java.util.Set.of("eventId", "eventType", "timestamp", "procNo", "version");

  public EventEnvelope {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(procNo, "procNo");
    fields = fields == null ? new JsonObject() : fields.copy();
    ENVELOPE.forEach(fields::remove);
  }

  /** A new event happening now. Timestamps keep millisecond precision so they survive every store unchanged. */
  public static EventEnvelope create(String eventType, String procNo, JsonObject fields) {
    return new EventEnvelope(UUID.randomUUID(), eventType, Instant.now().truncatedTo(ChronoUnit.MILLIS), procNo,
        CURRENT_VERSION, fields);
  }

  public JsonObject toJson() {
    JsonObject json = fields.copy();
    json.put("eventId", eventId.toString())
        .put("eventType", eventType)
        .put("timestamp", timestamp.toString())
        .put("procNo", procNo)
        .put("version", version);
    return json;
  }

  public String encode() {
    return toJson().encode();
  }

  /**
   * Reads an event from the wire.
   *
   * @throws MalformedEventException if the text is not a JSON object or an envelope field is missing or malformed
   */
  public static EventEnvelope decode(String text) {
    if (text == null) {
      throw new MalformedEventException("the record has no value");
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new MalformedEventException("the value is not a JSON object");
    }
    return fromJson(json);
  }

  public static EventEnvelope fromJson(JsonObject json) {
    try {
      String id = requireText(json, "eventId");
      String type = requireText(json, "eventType");
      String ts = requireText(json, "timestamp");
      String procNo = requireText(json, "procNo");
      Object v = json.getValue("version", CURRENT_VERSION);
      if (!(v instanceof Number n)) {
        throw new MalformedEventException("version is not a number");
      }
      return new EventEnvelope(UUID.fromString(id), type, Instant.parse(ts), procNo, n.intValue(), json);
    } catch (IllegalArgumentException | DateTimeParseException | ClassCastException e) {
      if (e instanceof MalformedEventException m) {
        throw m;
      }
      throw new MalformedEventException("malformed envelope: " + e.getMessage());
    }
  }

  private static String requireText(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof String s) || s.isBlank()) {
      throw new MalformedEventException("envelope field '" + field + "' is missing");
    }
    return s;
  }

  public String string(String field) {
    return fields.getString(field);
  }
}
