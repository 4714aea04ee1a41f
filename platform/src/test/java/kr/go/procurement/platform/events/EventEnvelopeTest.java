package kr.go.procurement.platform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class EventEnvelopeTest {

  @Test
  void isAFlatJsonObjectWithTheEnvelopeBesideTheFields() {
    EventEnvelope event = EventEnvelope.create(EventTypes.PROCUREMENT_REQUEST_POSTED, "p01",
        new JsonObject().put("id", 1).put("procNo", "p01").put("procTitle", "복사용지 A4"));
    JsonObject json = new JsonObject(event.encode());
    assertThat(json.getString("eventType")).isEqualTo("ProcurementRequestPosted");
    assertThat(json.getString("procNo")).isEqualTo("p01");
    assertThat(json.getInteger("version")).isEqualTo(1);
    assertThat(json.getString("procTitle")).isEqualTo("복사용지 A4");
    assertThat(json.getString("timestamp")).endsWith("Z");
    assertThat(json.getString("eventId")).hasSize(36);
  }

  @Test
  void roundTripsUnchanged() {
    EventEnvelope event = EventEnvelope.create("InspectionResultPatched", "p-9",
        new JsonObject().put("inspectionSuccFlag", true).put("companyNm", "레드불"));
    EventEnvelope back = EventEnvelope.decode(event.encode());
    assertThat(back).isEqualTo(event);
    assertThat(back.fields().getBoolean("inspectionSuccFlag")).isTrue();
  }

  @Test
  void rejectsWhatIsNotAnEvent() {
    assertThatThrownBy(() -> EventEnvelope.decode("not json")).isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(() -> EventEnvelope.decode("[1,2]")).isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(() -> EventEnvelope.decode(null)).isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(() -> EventEnvelope.decode("{\"eventType\":\"X\",\"procNo\":\"p\"}"))
        .isInstanceOf(MalformedEventException.class).hasMessageContaining("eventId");
    assertThatThrownBy(() -> EventEnvelope.decode("{\"eventId\":\"nope\",\"eventType\":\"X\",\"procNo\":\"p\","
        + "\"timestamp\":\"2026-01-01T00:00:00Z\"}")).isInstanceOf(MalformedEventException.class);
  }
}
