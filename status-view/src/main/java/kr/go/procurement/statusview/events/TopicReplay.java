package kr.go.procurement.statusview.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import kr.go.procurement.platform.config.KafkaConfig;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.events.MalformedEventException;

/**
 * Reads a range of the topic once, outside any consumer group: from given offsets (or the beginning) up to the end
 * offsets as they are when the read starts. Used by the rebuild; the service's own consumer group and its committed
 * offsets are not touched.
 *
 * <p>Records that are not events (bad JSON, no procNo) are counted and skipped: the live consumer has sent them to
 * the dead-letter topic already.
 */
public final class TopicReplay {

  private static final Duration POLL = Duration.ofMillis(250);

  /** How far the read went, and what it saw. */
  public record Result(Map<TopicPartition, Long> until, long events, long skipped) {
  }

  private final Vertx vertx;
  private final KafkaConfig config;
  private volatile boolean stopped;

  public TopicReplay(Vertx vertx, KafkaConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /**
   * Reads {@code [from, end)} and hands each polled batch of events to {@code apply}, waiting for it before polling
   * again.
   *
   * @param from where to start per partition; a partition not named starts at its beginning
   */
  public Future<Result> replay(Map<TopicPartition, Long> from, Function<List<EventEnvelope>, Future<Void>> apply) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", config.bootstrapServers());
    props.put("client.id", config.groupId() + "-replay-" + ProcessHandle.current().pid());
    props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    props.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    // No group: partitions are assigned explicitly and nothing is committed.
    props.put("enable.auto.commit", "false");
    props.put("auto.offset.reset", "earliest");
    props.put("max.poll.records", "1000");
    KafkaConsumer<String, String> consumer = KafkaConsumer.create(vertx, props);
    return consumer.partitionsFor(config.topic()).compose(infos -> {
      Set<TopicPartition> partitions = new HashSet<>();
      infos.forEach(p -> partitions.add(new TopicPartition(config.topic(), p.getPartition())));
      Future<Map<TopicPartition, Long>> ends = consumer.endOffsets(partitions);
      Future<Map<TopicPartition, Long>> begins = consumer.beginningOffsets(partitions);
      return Future.all(ends, begins)
          .compose(v -> consumer.assign(partitions))
          .compose(v -> {
            Map<TopicPartition, Long> next = new HashMap<>();
            List<Future<Void>> seeks = new ArrayList<>();
            for (TopicPartition tp : partitions) {
              long start = Math.max(from.getOrDefault(tp, 0L), begins.result().getOrDefault(tp, 0L));
              next.put(tp, start);
              seeks.add(consumer.seek(tp, start));
            }
            return Future.all(seeks).compose(s -> loop(consumer, ends.result(), next, apply, new long[2]));
          });
    }).eventually(() -> consumer.close().recover(e -> Future.succeededFuture()));
  }

  /** Stops a replay in progress; it fails instead of finishing. */
  public void stop() {
    stopped = true;
  }

  private Future<Result> loop(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> until,
                              Map<TopicPartition, Long> next, Function<List<EventEnvelope>, Future<Void>> apply,
                              long[] counts) {
    if (stopped) {
      return Future.failedFuture("the replay was stopped");
    }
    List<TopicPartition> open = until.keySet().stream().filter(tp -> next.get(tp) < until.get(tp)).toList();
    if (open.isEmpty()) {
      return Future.succeededFuture(new Result(Map.copyOf(until), counts[0], counts[1]));
    }
    return consumer.poll(POLL).compose(records -> {
      if (records.isEmpty()) {
        // Positions can move without records (e.g. past transaction markers): ask rather than wait forever.
        List<Future<Long>> positions = open.stream().map(consumer::position).toList();
        return Future.all(positions).map(all -> {
          for (int i = 0; i < open.size(); i++) {
            next.merge(open.get(i), positions.get(i).result(), Math::max);
          }
          return (Void) null;
        });
      }
      return apply.apply(events(records, until, next, counts));
    }).compose(v -> loop(consumer, until, next, apply, counts));
  }

  private static List<EventEnvelope> events(KafkaConsumerRecords<String, String> records,
                                            Map<TopicPartition, Long> until, Map<TopicPartition, Long> next,
                                            long[] counts) {
    List<EventEnvelope> events = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      TopicPartition tp = new TopicPartition(record.topic(), record.partition());
      next.merge(tp, record.offset() + 1, Math::max);
      if (record.offset() >= until.getOrDefault(tp, 0L)) {
        continue; // published after the read began: the live consumer has it
      }
      try {
        events.add(EventEnvelope.decode(record.value()));
        counts[0]++;
      } catch (MalformedEventException e) {
        counts[1]++;
      }
    }
    return events;
  }
}
