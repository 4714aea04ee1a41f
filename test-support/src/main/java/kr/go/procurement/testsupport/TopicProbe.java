package kr.go.procurement.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The test's own view of the topic: a plain producer that injects events as another service would, and a reader
 * (no consumer group, so it never disturbs the service's) that keeps every record of the topic and its DLT.
 */
public final class TopicProbe implements AutoCloseable {

  /** One record as read back: its key, its value, its headers and the topic (main or DLT) it was on. */
  public record Received(String topic, String key, JsonObject value, Map<String, String> headers) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  private final String topic;
  private final String bootstrapServers;
  private final KafkaProducer<String, String> producer;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Thread reader;
  private volatile boolean running = true;

  public TopicProbe(String bootstrapServers, String topic) {
    this.topic = topic;
    this.bootstrapServers = bootstrapServers;
    this.producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", bootstrapServers,
        "acks", "all",
        "key.serializer", StringSerializer.class.getName(),
        "value.serializer", StringSerializer.class.getName()));
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", bootstrapServers,
        "enable.auto.commit", "false",
        "key.deserializer", StringDeserializer.class.getName(),
        "value.deserializer", StringDeserializer.class.getName()));
    List<TopicPartition> partitions = new ArrayList<>();
    for (String t : List.of(topic, topic + ".DLT")) {
      consumer.partitionsFor(t, Duration.ofSeconds(10))
          .forEach(p -> partitions.add(new TopicPartition(t, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    reader = new Thread(() -> {
      try (consumer) {
        while (running) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            r.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
            received.add(new Received(r.topic(), r.key(), parse(r.value()), headers));
          }
        }
      }
    }, "topic-probe");
    reader.setDaemon(true);
    reader.start();
  }

  /** Tests also publish garbage on purpose; it is kept as {@code {"unparsable": text}}. */
  private static JsonObject parse(String value) {
    try {
      return new JsonObject(value);
    } catch (RuntimeException e) {
      return new JsonObject().put("unparsable", value);
    }
  }

  /** The records on the main topic (not the DLT), in the order read. */
  public List<Received> mainTopic() {
    return matching(r -> r.topic().equals(topic));
  }

  /** Every record on the dead-letter topic, in the order read. */
  public List<Received> deadLetters() {
    return matching(r -> r.topic().equals(topic + ".DLT"));
  }

  /** An event as the contract writes it: the envelope beside the event's own fields. */
  public static JsonObject event(String eventType, String procNo, JsonObject fields) {
    return fields.copy()
        .put("eventId", UUID.randomUUID().toString())
        .put("eventType", eventType)
        .put("timestamp", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())
        .put("procNo", procNo)
        .put("version", 1);
  }

  /** Publishes {@code event} keyed by its procNo, as the other services do, and waits for the broker's ack. */
  public void send(JsonObject event) {
    sendRaw(event.getString("procNo"), event.encode());
  }

  /** Publishes each event in order. */
  public void sendAll(List<JsonObject> events) {
    events.forEach(this::send);
  }

  public void sendRaw(String key, String value) {
    sendRaw(key, value, Map.of());
  }

  /** Publishes a record with these headers (as a relay sets {@code eventType}) and waits for the broker's ack. */
  public void sendRaw(String key, String value, Map<String, String> headers) {
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
    headers.forEach((name, v) -> record.headers().add(name, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    try {
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException("could not publish the test event", e);
    }
  }

  /** The events of {@code eventType} for {@code procNo} on the main topic, in the order read. */
  public List<Received> events(String eventType, String procNo) {
    return matching(r -> r.topic().equals(topic) && eventType.equals(r.value().getString("eventType"))
        && procNo.equals(r.value().getString("procNo")));
  }

  public List<Received> deadLetters(String procNo) {
    return matching(r -> r.topic().equals(topic + ".DLT") && procNo.equals(r.key()));
  }

  public List<Received> matching(Predicate<Received> filter) {
    return received.stream().filter(filter).toList();
  }

  /**
   * Waits for the first event of {@code eventType} for {@code procNo}, then checks that it stays the only one without
   * waiting a while: {@code marker} makes the same service's relay publish a later event on {@code procNo}'s
   * partition (see {@link SamePartition}) and returns that event's procNo. The relay publishes in outbox order, so
   * once the marker has been read, a duplicate would have been read before it.
   */
  public Received awaitExactlyOne(String eventType, String procNo, java.util.function.Supplier<String> marker) {
    Received first = Eventually.get(() -> {
      List<Received> found = events(eventType, procNo);
      return found.isEmpty() ? null : found.get(0);
    });
    awaitRelayed(marker.get());
    assertThat(events(eventType, procNo)).as(eventType + " for " + procNo).hasSize(1);
    return first;
  }

  /**
   * How many events of {@code eventTypes} a relay published for {@code procNo}, counted once {@code marker} (as for
   * {@link #awaitExactlyOne(String, String, java.util.function.Supplier)}) was read. A relay sets the
   * {@code eventType} header and the events a test sends have none; outbox rows are deleted once published, so the
   * topic is where a service's events are counted.
   */
  public long publishedByRelay(String procNo, java.util.Set<String> eventTypes,
                               java.util.function.Supplier<String> marker) {
    awaitRelayed(marker.get());
    return matching(r -> r.topic().equals(topic) && procNo.equals(r.key()) && r.header("eventType") != null
        && eventTypes.contains(r.header("eventType"))).size();
  }

  /** Waits until a relay's record (it names its type in a header) keyed {@code procNo} was read. */
  public void awaitRelayed(String procNo) {
    Eventually.until(() -> assertThat(matching(r -> r.topic().equals(topic) && procNo.equals(r.key())
        && r.header("eventType") != null)).as("a relayed event for " + procNo).isNotEmpty());
  }

  /**
   * Waits until consumer group {@code group} has committed every record published to the topic so far: everything
   * sent before this call has been applied (the services commit offsets only after applying).
   */
  public void awaitConsumed(String group) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      Map<TopicPartition, Long> ends = new java.util.HashMap<>();
      admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
      Eventually.until(() -> {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
          committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new AssertionError("cannot read the offsets of " + group, e);
        }
        ends.forEach((tp, end) -> assertThat(end == 0 || committed.get(tp) != null && committed.get(tp).offset() >= end)
            .as("group " + group + " has consumed " + tp).isTrue());
      });
    } catch (Exception e) {
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(2));
  }
}
