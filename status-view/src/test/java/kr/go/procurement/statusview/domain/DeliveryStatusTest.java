package kr.go.procurement.statusview.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import kr.go.procurement.platform.domain.ProcurementStatus;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.events.EventTypes;
import kr.go.procurement.platform.events.MalformedEventException;
import kr.go.procurement.statusview.store.DeliveryStatusDocument;
import org.junit.jupiter.api.Test;

class DeliveryStatusTest {

  private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");

  @Test
  void aFullWorkflowEndsInspectedWithEveryStepInWorkflowOrder() {
    DeliveryStatus s = fold(List.of(inspected(3, true), posted(0, "의자"), inspectionRequested(2), ordered(1)));

    assertThat(s.status()).isEqualTo(ProcurementStatus.INSPECTED);
    assertThat(s.history()).containsExactly(
        new HistoryEntry(ProcurementStatus.POSTED, T0),
        new HistoryEntry(ProcurementStatus.DELIVERY_REQUESTED, T0.plusSeconds(1)),
        new HistoryEntry(ProcurementStatus.INSPECTION_REQUESTED, T0.plusSeconds(2)),
        new HistoryEntry(ProcurementStatus.INSPECTED, T0.plusSeconds(3)));
    assertThat(s.updatedAt()).isEqualTo(T0.plusSeconds(3));
    assertThat(s.id()).isEqualTo(7L);
    assertThat(Stamped.valueOf(s.companyNo())).isEqualTo("c01");
    assertThat(Stamped.valueOf(s.inspectionSuccFlag())).isTrue();
    assertThat(Stamped.valueOf(s.procTitle())).isEqualTo("의자");
  }

  @Test
  void aCancellationBeforeTheResultWinsWhicheverArrivesFirst() {
    DeliveryStatus s = fold(List.of(cancel(EventTypes.PROCUREMENT_NOTICE_CANCELED, 3), ordered(1),
        cancel(EventTypes.PROCUREMENT_REQUEST_CANCELED, 2), posted(0, "의자")));

    assertThat(s.status()).isEqualTo(ProcurementStatus.CANCELED);
    // Both cancel events lead to CANCELED: the history shows it once, when it was first reached.
    assertThat(s.history()).extracting(HistoryEntry::status)
        .containsExactly(ProcurementStatus.POSTED, ProcurementStatus.DELIVERY_REQUESTED, ProcurementStatus.CANCELED);
    assertThat(s.history().get(2).at()).isEqualTo(T0.plusSeconds(2));
  }

  @Test
  void aCancellationAfterTheResultIsStaleAndLeftOutOfTheHistory() {
    DeliveryStatus s = fold(List.of(posted(0, "의자"), inspected(3, false),
        cancel(EventTypes.PROCUREMENT_REQUEST_CANCELED, 4)));

    assertThat(s.status()).isEqualTo(ProcurementStatus.INSPECTED);
    assertThat(s.history()).extracting(HistoryEntry::status)
        .containsExactly(ProcurementStatus.POSTED, ProcurementStatus.INSPECTED);
    assertThat(s.updatedAt()).isEqualTo(T0.plusSeconds(4));
  }

  @Test
  void anEditedRequestShowsTheLatestTitleAndAResultWithoutTitleKeepsIt() {
    EventEnvelope edited = posted(5, "책상");
    EventEnvelope resultWithoutTitle = new EventEnvelope(UUID.randomUUID(), EventTypes.INSPECTION_RESULT_PATCHED,
        T0.plusSeconds(9), "p01", 1, new JsonObject().put("id", 7).put("companyNo", "c01")
            .put("inspectionSuccFlag", true));
    DeliveryStatus s = fold(List.of(edited, resultWithoutTitle, posted(0, "의자")));

    assertThat(Stamped.valueOf(s.procTitle())).isEqualTo("책상");
    assertThat(s.history().get(0)).isEqualTo(new HistoryEntry(ProcurementStatus.POSTED, T0));
  }

  @Test
  void anyOrderAndAnyRepetitionOfTheSameEventsGiveTheSameDocument() {
    List<EventEnvelope> events = List.of(posted(0, "의자"), ordered(1), inspectionRequested(2), inspected(3, true),
        posted(1, "의자 (수정)"), cancel(EventTypes.PROCUREMENT_REQUEST_CANCELED, 5));
    String expected = DeliveryStatusDocument.toDocument(fold(events)).encode();
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      List<EventEnvelope> shuffled = new ArrayList<>(events);
      for (int dup = random.nextInt(4); dup > 0; dup--) {
        shuffled.add(events.get(random.nextInt(events.size())));
      }
      Collections.shuffle(shuffled, random);
      // Also through the stored document, as the service does: read, merge one event, write.
      DeliveryStatus state = null;
      for (EventEnvelope e : shuffled) {
        DeliveryStatus merged = state == null ? DeliveryStatus.of(e) : state.merge(DeliveryStatus.of(e));
        state = DeliveryStatusDocument.fromDocument(DeliveryStatusDocument.toDocument(merged));
      }
      assertThat(DeliveryStatusDocument.toDocument(state).encode()).as("round " + round).isEqualTo(expected);
    }
  }

  @Test
  void theStoredDocumentReadsBackToTheSameState() {
    DeliveryStatus s = fold(List.of(posted(0, "의자"), ordered(1), inspected(3, true)));
    JsonObject doc = DeliveryStatusDocument.toDocument(s);

    assertThat(DeliveryStatusDocument.fromDocument(doc)).isEqualTo(s);
    assertThat(doc.getString("updatedAt")).isEqualTo("2025-03-01T09:00:03.000Z");
    assertThat(doc.fieldNames()).startsWith("_id", "id", "procNo").endsWith("sources", "rev");
  }

  @Test
  void eventsThatCanNeverBeAppliedAreMalformed() {
    assertThatThrownBy(() -> DeliveryStatus.of(event(EventTypes.PROCUREMENT_REQUEST_POSTED, 0, "p01",
        new JsonObject().put("procTitle", "no id")))).isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(() -> DeliveryStatus.of(event(EventTypes.PROCUREMENT_REQUEST_POSTED, 0, "p01",
        new JsonObject().put("id", "7")))).isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(() -> DeliveryStatus.of(event(EventTypes.DELIVERY_REQUEST_PATCHED, 0, "p01",
        new JsonObject().put("id", 7).put("companyNo", 12)))).isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(() -> DeliveryStatus.of(event(EventTypes.INSPECTION_RESULT_PATCHED, 0, "p01",
        new JsonObject().put("id", 7).put("inspectionSuccFlag", "yes")))).isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(() -> DeliveryStatus.of(event(EventTypes.PROCUREMENT_REQUEST_POSTED, 0, "not a procNo!",
        new JsonObject().put("id", 7)))).isInstanceOf(MalformedEventException.class);
  }

  private static DeliveryStatus fold(List<EventEnvelope> events) {
    return events.stream().map(DeliveryStatus::of).reduce(DeliveryStatus::merge).orElseThrow();
  }

  private static EventEnvelope posted(int second, String title) {
    return event(EventTypes.PROCUREMENT_REQUEST_POSTED, second, "p01",
        new JsonObject().put("id", 7).put("procTitle", title).put("procAgency", "서울시청"));
  }

  private static EventEnvelope ordered(int second) {
    return event(EventTypes.DELIVERY_REQUEST_PATCHED, second, "p01",
        new JsonObject().put("id", 7).put("companyNo", "c01").put("companyNm", "레드불"));
  }

  private static EventEnvelope inspectionRequested(int second) {
    return event(EventTypes.INSPECTION_REQUEST_PATCHED, second, "p01",
        new JsonObject().put("id", 7).put("companyNo", "c01").put("companyNm", "레드불")
            .put("companyPhoneNo", "010-1234-1234"));
  }

  private static EventEnvelope inspected(int second, boolean passed) {
    return event(EventTypes.INSPECTION_RESULT_PATCHED, second, "p01",
        new JsonObject().put("id", 7).put("companyNo", "c01").put("companyNm", "레드불").put("procTitle", "의자")
            .put("inspectionSuccFlag", passed));
  }

  private static EventEnvelope cancel(String type, int second) {
    return event(type, second, "p01", new JsonObject().put("id", 7));
  }

  private static EventEnvelope event(String type, int second, String procNo, JsonObject fields) {
    return new EventEnvelope(UUID.randomUUID(), type, T0.plusSeconds(second), procNo, 1, fields);
  }
}
