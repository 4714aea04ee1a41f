package kr.go.procurement.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * CONTRACT.md's events table as one assertion, so that every service's tests check their events the same way: the
 * envelope ({@code eventId} a UUID, {@code eventType}, {@code timestamp} ISO-8601 UTC, {@code procNo}, {@code version}
 * 1) and exactly the fields the table lists for the type.
 */
public final class ContractEvents {

  /** The envelope every event carries beside its own fields. */
  public static final Set<String> ENVELOPE = Set.of("eventId", "eventType", "timestamp", "procNo", "version");

  /** CONTRACT.md, Events: the fields of each event type. */
  public static final Map<String, Set<String>> FIELDS = Map.of(
      "ProcurementRequestPosted",
      Set.of("id", "procNo", "procTitle", "procContents", "procPrice", "procAgency", "procQty"),
      "ProcurementRequestCanceled", Set.of("id", "procNo"),
      "DeliveryRequestPatched", Set.of("id", "procNo", "companyNo", "companyNm"),
      "ProcurementNoticeCanceled", Set.of("id", "procNo"),
      "InspectionRequestPatched",
      Set.of("id", "procNo", "companyNo", "companyNm", "companyPhoneNo", "inspectionContents"),
      "InspectionResultPatched",
      Set.of("id", "procNo", "companyNo", "companyNm", "companyPhoneNo", "inspectionSuccFlag"));

  /**
   * Fields an event carries beyond the table, each with its reason. InspectionResultPatched names the procurement
   * ({@code procTitle}) because the SMS that notification-svc sends from it quotes the title.
   */
  public static final Map<String, Set<String>> EXTRAS = Map.of("InspectionResultPatched", Set.of("procTitle"));

  private ContractEvents() {
  }

  /**
   * Checks a record a relay published: its value is a contract event of {@code eventType}, keyed by its procNo, and
   * its {@code eventType} header (when present) names the same type. Returns the value.
   */
  public static JsonObject assertContractEvent(TopicProbe.Received record, String eventType) {
    JsonObject value = assertContractEvent(record.value(), eventType);
    assertThat(record.key()).as("record key of " + eventType).isEqualTo(value.getString("procNo"));
    if (record.header("eventType") != null) {
      assertThat(record.header("eventType")).as("eventType header").isEqualTo(eventType);
    }
    return value;
  }

  /** Like {@link #assertContractEvent(TopicProbe.Received, String)}, and each of {@code expected}'s fields equal. */
  public static JsonObject assertContractEvent(TopicProbe.Received record, String eventType, JsonObject expected) {
    JsonObject value = assertContractEvent(record, eventType);
    assertFields(value, expected);
    return value;
  }

  /** Checks an event's JSON (envelope and own fields together, as on the wire) against the contract. */
  public static JsonObject assertContractEvent(JsonObject value, String eventType) {
    assertThat(FIELDS).as("a contract event type").containsKey(eventType);
    String described = eventType + " " + value.encode();
    assertThat(value.getValue("eventType")).as(described).isEqualTo(eventType);
    Object eventId = value.getValue("eventId");
    assertThat(eventId).as("eventId of " + described).isInstanceOf(String.class);
    // UUID.fromString accepts shortened groups; the canonical form must round-trip.
    assertThat(UUID.fromString((String) eventId).toString()).as("eventId of " + described).isEqualTo(eventId);
    Object timestamp = value.getValue("timestamp");
    assertThat(timestamp).as("timestamp of " + described).isInstanceOf(String.class);
    assertThat((String) timestamp).as("timestamp of " + described + " in UTC").endsWith("Z");
    assertThat(Instant.parse((String) timestamp)).as("timestamp of " + described).isNotNull();
    assertThat(value.getValue("version")).as("version of " + described).isEqualTo(1);
    assertThat(value.getValue("procNo")).as("procNo of " + described).isInstanceOf(String.class);
    assertThat(value.getString("procNo")).as("procNo of " + described).isNotBlank();
    assertThat(value.getValue("id")).as("id of " + described).isInstanceOf(Number.class);
    assertThat(value.getLong("id")).as("id of " + described).isPositive();

    Set<String> allowed = new HashSet<>(ENVELOPE);
    allowed.addAll(FIELDS.get(eventType));
    allowed.addAll(EXTRAS.getOrDefault(eventType, Set.of()));
    assertThat(value.fieldNames()).as("fields of " + described).containsAll(FIELDS.get(eventType))
        .containsAll(ENVELOPE).isSubsetOf(allowed);
    return value;
  }

  /** Each field of {@code expected} has that value in {@code value} (numbers compared by value). */
  public static void assertFields(JsonObject value, JsonObject expected) {
    expected.forEach(e -> {
      Object actual = value.getValue(e.getKey());
      if (e.getValue() instanceof Number n && actual instanceof Number a) {
        assertThat(a.doubleValue()).as(e.getKey() + " of " + value.encode()).isEqualTo(n.doubleValue());
      } else {
        assertThat(actual).as(e.getKey() + " of " + value.encode()).isEqualTo(e.getValue());
      }
    });
  }
}
