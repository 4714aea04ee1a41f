package kr.go.procurement.notification;

import kr.go.procurement.testsupport.TopicProbe;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.Test;

/**
 * One event, at most one SMS: the event is on the topic three times, and the service is killed (SIGKILL, in its own
 * JVM) after the provider delivered the SMS but before the outcome or the Kafka offset was recorded.
 */
@RealInfra
class AtMostOnceSmsTest {

  @Test
  void threeDeliveriesAndACrashBetweenSendingAndRecordingGiveExactlyOneSentSms(Infra infra) throws Exception {
    String topic = infra.newTopic(3);
    String mongoDb = infra.newMongoDatabase();
    String group = "notification-" + UUID.randomUUID().toString().substring(0, 8);
    Vertx vertx = Vertx.vertx();
    try (FakeSmsProvider phones = new FakeSmsProvider(vertx).start();
         TopicProbe kafka = new TopicProbe(infra.kafkaBootstrapServers(), topic)) {
      Map<String, String> env = RunningNotification.env(infra, topic, mongoDb, group, Map.of(
          "SMS_PROVIDER", "http", "SMS_PROVIDER_URL", phones.url(),
          "SMS_TIMEOUT_MS", "2000", "SMS_HTTP_RETRIES", "0", "SMS_SEND_LEASE_MS", "3000",
          "SMS_RECONCILE_INTERVAL_MS", "200"));
      EventEnvelope event = Events.inspectionResult(1, "once-1", "사무용 의자", "010-1234-5678", true);
      String reference = event.eventId().toString();
      kafka.send(event.toJson());
      kafka.send(event.toJson());
      kafka.send(event.toJson());

      // The first run delivers, and is killed while waiting for the provider's answer.
      phones.mode(FakeSmsProvider.Mode.DELIVER_AND_HANG);
      Process first = startInItsOwnJvm(env);
      try {
        // Polls for the delivery itself (the provider counts a call just before it delivers), with a bound for a
        // JVM of its own starting on a busy machine.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (phones.delivered(reference).isEmpty() && first.isAlive() && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertThat(phones.delivered(reference)).as("the first run's SMS was delivered").hasSize(1);
        assertThat(phones.calls()).as("the first run reached the provider").isEqualTo(1);
      } finally {
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      assertThat(phones.delivered(reference)).hasSize(1);

      // The restarted service gets all three copies again (nothing was committed) and finds the PENDING intent.
      phones.mode(FakeSmsProvider.Mode.OK);
      try (RunningNotification again = RunningNotification.start(infra, env)) {
        JsonObject record = again.awaitRecord(reference, r -> "SENT".equals(r.getString("status")));
        kafka.awaitConsumed(group);

        assertThat(again.records(reference)).hasSize(1);
        assertThat(record.getInteger("attempts")).isEqualTo(2);
        assertThat(record.getString("phoneNo")).isEqualTo("01012345678");
        // Sent twice with one reference (the crash hid the first), delivered once: the provider dropped the repeat.
        assertThat(phones.calls(reference)).isEqualTo(2);
        assertThat(phones.delivered(reference)).singleElement()
            .satisfies(d -> assertThat(d.text()).contains("once-1", "사무용 의자", "합격"));
        assertThat(kafka.deadLetters()).isEmpty();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** The service's main class in a JVM of its own, on this test's class path, so that it can really be killed. */
  private static Process startInItsOwnJvm(Map<String, String> env) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath,
        NotificationServiceMain.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    File log = new File("target/at-most-once-first-run.log");
    builder.redirectErrorStream(true).redirectOutput(log);
    return builder.start();
  }
}
