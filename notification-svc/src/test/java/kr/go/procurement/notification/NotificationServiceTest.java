package kr.go.procurement.notification;

import kr.go.procurement.testsupport.TopicProbe;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.Test;

/** The service as deployed by default: the logging provider, health and metrics. */
@RealInfra
class NotificationServiceTest {

  @Test
  void withTheDefaultLoggingProviderAnInspectionResultIsRecordedSentAndTheServiceReportsHealthAndMetrics(
      Infra infra) {
    String topic = infra.newTopic(3);
    String group = "notification-" + UUID.randomUUID().toString().substring(0, 8);
    try (TopicProbe kafka = new TopicProbe(infra.kafkaBootstrapServers(), topic);
         RunningNotification service = RunningNotification.start(infra,
             RunningNotification.env(infra, topic, infra.newMongoDatabase(), group, Map.of()))) {
      EventEnvelope event = Events.inspectionResult(1, "default-1", "의자", "010-3333-4444", true);
      kafka.send(event.toJson());
      JsonObject record = service.awaitRecord(event.eventId().toString(), r -> "SENT".equals(r.getString("status")));
      assertThat(record.getString("phoneNo")).isEqualTo("01033334444");

      var ready = service.get("/health/ready");
      assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
      assertThat(ready.bodyAsJsonObject().getJsonArray("checks").stream()
          .map(c -> ((JsonObject) c).getString("id"))).contains("mongo", "kafka");
      String metrics = service.get("/metrics").bodyAsString();
      assertThat(metrics).contains("sms_total{", "outcome=\"sent\"", "events_applied_total{");
    }
  }
}
