package kr.go.procurement.notification;

import kr.go.procurement.testsupport.Eventually;
import kr.go.procurement.testsupport.TopicProbe;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.Test;

/**
 * The HTTP provider failing in each way a third party fails: answering 500, down, too slow. The SMS is FAILED
 * meanwhile (with the reason), SENT once the provider is back, never SENT twice, and the provider's circuit breaker
 * opens and closes again.
 */
@RealInfra
class SmsProviderOutageTest {

  @Test
  void failingDownAndSlowProviderGivesFailedThenOneSentAndTheBreakerOpensAndCloses(Infra infra) throws Exception {
    String topic = infra.newTopic(3);
    Vertx vertx = Vertx.vertx();
    try (FakeSmsProvider phones = new FakeSmsProvider(vertx).start();
         TopicProbe kafka = new TopicProbe(infra.kafkaBootstrapServers(), topic)) {
      Map<String, String> env = RunningNotification.env(infra, topic, infra.newMongoDatabase(),
          "notification-" + UUID.randomUUID().toString().substring(0, 8), Map.of(
              "SMS_PROVIDER", "http", "SMS_PROVIDER_URL", phones.url(),
              "SMS_TIMEOUT_MS", "300", "SMS_HTTP_RETRIES", "1", "SMS_HTTP_RETRY_BACKOFF_MS", "20",
              "SMS_CB_MAX_FAILURES", "3", "SMS_CB_RESET_MS", "300",
              "SMS_RETRY_BACKOFF_MS", "60", "SMS_RECONCILE_INTERVAL_MS", "50", "SMS_MAX_ATTEMPTS", "100"));
      try (RunningNotification service = RunningNotification.start(infra, env)) {
        double opened = transitions(service, "OPEN");
        double closed = transitions(service, "CLOSED");
        EventEnvelope event = Events.inspectionResult(5, "outage-1", "복사기", "+82 10-2222-3333", false);
        String reference = event.eventId().toString();

        // 500: failed, with the reason, and after three failed requests the circuit opens.
        phones.mode(FakeSmsProvider.Mode.FAIL_500);
        kafka.send(event.toJson());
        JsonObject failed = service.awaitRecord(reference, r -> "FAILED".equals(r.getString("status")));
        assertThat(failed.getString("reason")).isEqualTo("the SMS provider answered 500");
        assertThat(failed.getBoolean("retryable")).isTrue();
        awaitTrue(() -> transitions(service, "OPEN") > opened, "the breaker opened");

        // Down: connection refused (seen when the half-open breaker lets a trial through).
        phones.stop();
        service.awaitRecord(reference, r -> "the SMS provider could not be reached".equals(r.getString("reason")));

        // Slow: the provider delivers, but answers after the timeout, so we do not know it did. It holds the request
        // until the timeout has been recorded, so the answer is late by the order of facts, not by a margin.
        phones.mode(FakeSmsProvider.Mode.SLOW);
        phones.start();
        service.awaitRecord(reference, r -> "the SMS provider did not answer within 300 ms"
            .equals(r.getString("reason")));
        phones.releaseHeld();
        awaitTrue(() -> !phones.delivered(reference).isEmpty(), "the slow provider delivered late");

        // Back to normal: the retry carries the same reference, the provider drops the repeat, we record SENT.
        phones.mode(FakeSmsProvider.Mode.OK);
        JsonObject sent = service.awaitRecord(reference, r -> "SENT".equals(r.getString("status")));
        awaitTrue(() -> transitions(service, "CLOSED") > closed, "the breaker closed");

        assertThat(service.records(reference)).hasSize(1);
        assertThat(sent.getString("reason")).isNull();
        assertThat(sent.getString("sentAt")).isNotNull();
        assertThat(sent.getInteger("attempts")).isGreaterThanOrEqualTo(3);
        assertThat(sent.getString("phoneNo")).isEqualTo("01022223333");
        assertThat(phones.delivered(reference)).singleElement()
            .satisfies(d -> assertThat(d.text()).contains("outage-1", "복사기", "불합격"));
        assertThat(phones.calls(reference)).isGreaterThan(3);
        assertThat(metric(service, "circuit_breaker_state", "name=\"sms-provider\"")).isEqualTo(0.0);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static double transitions(RunningNotification service, String state) {
    return metric(service, "circuit_breaker_transitions_total", "state=\"" + state + "\"");
  }

  /** A value from {@code GET /metrics}; 0 when the series does not exist yet. */
  private static double metric(RunningNotification service, String name, String label) {
    String text = service.get("/metrics").bodyAsString();
    Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(text);
    double sum = 0;
    while (m.find()) {
      if (m.group(1).contains(label) && m.group(1).contains("sms-provider")) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(what + ": not within 20 s");
      }
      Eventually.sleep(java.time.Duration.ofMillis(20));
    }
  }
}
