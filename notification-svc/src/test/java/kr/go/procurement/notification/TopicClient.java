package kr.go.procurement.notification;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kr.go.procurement.platform.events.EventEnvelope;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The test's side of the topic: publishing as the other services do, and checking what the consumer did. */
final class TopicClient implements AutoCloseable {

  private final String bootstrap;
  private final String topic;
  private final KafkaProducer<String, String> producer;
  private final Admin admin;

  TopicClient(String bootstrap, String topic) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", "0"),
        new StringSerializer(), new StringSerializer());
    this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
  }

  void send(EventEnvelope event) {
    sendRaw(event.procNo(), event.encode());
  }

  void sendAll(List<EventEnvelope> events) {
    events.forEach(this::send);
  }

  void sendRaw(String key, String value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not publish", e);
    }
  }

  /** Waits until {@code group} has committed every record of the topic: everything published so far is applied. */
  void awaitConsumed(String group) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        Map<TopicPartition, Long> ends = endOffsets();
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        boolean done = ends.entrySet().stream().allMatch(e -> e.getValue() == 0
            || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue());
        if (done) {
          return;
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("group " + group + " did not consume " + topic + " within 30 s");
      }
      sleep(50);
    }
  }

  private Map<TopicPartition, Long> endOffsets() throws Exception {
    var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
        .partitions();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  /** Everything on the dead-letter topic so far: value and headers. */
  List<ConsumerRecord<String, String>> deadLetters() {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
        "enable.auto.commit", "false"), new StringDeserializer(), new StringDeserializer())) {
      TopicPartition dlt = new TopicPartition(topic + ".DLT", 0);
      consumer.assign(List.of(dlt));
      consumer.seekToBeginning(List.of(dlt));
      long end = consumer.endOffsets(List.of(dlt)).get(dlt);
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (consumer.position(dlt) < end && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  static String header(ConsumerRecord<String, String> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(2));
    admin.close(Duration.ofSeconds(2));
  }
}
