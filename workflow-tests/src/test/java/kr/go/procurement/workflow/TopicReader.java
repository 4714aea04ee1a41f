package kr.go.procurement.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kr.go.procurement.platform.events.EventEnvelope;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what the services published, as any consumer of the topic would. */
final class TopicReader {

  private TopicReader() {
  }

  /** The events of one procurement in topic order, waiting until {@code expected} arrived (and briefly after). */
  static List<EventEnvelope> eventsFor(ProcurementSystem system, String procNo, int expected) {
    return read(system, procNo, expected);
  }

  /** Every event on the topic, waiting until {@code expected} arrived. */
  static List<EventEnvelope> all(ProcurementSystem system, int expected) {
    return read(system, null, expected);
  }

  private static List<EventEnvelope> read(ProcurementSystem system, String procNo, int expected) {
    List<EventEnvelope> events = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", system.infra.kafkaBootstrapServers(), "group.id", "reader-" + UUID.randomUUID(),
        "auto.offset.reset", "earliest", "enable.auto.commit", "false"),
        new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(system.topic));
      long deadline = System.currentTimeMillis() + 30_000;
      while (System.currentTimeMillis() < deadline && events.size() < expected) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          if (procNo == null || procNo.equals(r.key())) {
            events.add(EventEnvelope.decode(r.value()));
          }
        }
      }
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(800))) {
        if (procNo == null || procNo.equals(r.key())) {
          events.add(EventEnvelope.decode(r.value()));
        }
      }
    }
    return events;
  }
}
