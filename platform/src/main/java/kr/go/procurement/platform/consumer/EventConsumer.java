package kr.go.procurement.platform.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.go.procurement.platform.config.KafkaConfig;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.events.MalformedEventException;
import kr.go.procurement.platform.events.Producers;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the {@code procurement} topic for one service and applies each event with its handler.
 *
 * <ul>
 *   <li>Offsets are committed only after every event before them was applied, skipped or dead-lettered; a crash
 *       means redelivery, which the idempotent handlers absorb.</li>
 *   <li>Events of one partition (so of one {@code procNo}) are applied in order; partitions proceed in parallel.</li>
 *   <li>A handler failure is retried with exponential backoff; after {@code maxAttempts} the event goes to
 *       {@code <topic>.DLT} with the error in headers and the consumer moves on. Outages (store or broker
 *       unreachable) are retried until they end instead, so an outage never dead-letters good events.</li>
 *   <li>Unknown event types are skipped.</li>
 *   <li>With a {@link BatchHandler}, a poll's events are first applied together (one transaction, one bulk write);
 *       if that fails for any reason, the same events are applied one at a time as above.</li>
 * </ul>
 */
public final class EventConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(EventConsumer.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(250);
  private static final long MAX_OUTAGE_BACKOFF_MS = 5_000;

  private final Vertx vertx;
  private final KafkaConfig config;
  private final Map<String, EventHandler> handlers;
  private final BatchHandler batch;
  private final MeterRegistry registry;
  private final Counter applied;
  private final Counter skipped;
  private final Counter deadLettered;
  private final Counter retries;
  private final Counter batchFallbacks;

  private Future<Void> prepared;
  private KafkaConsumer<String, String> consumer;
  private KafkaProducer<String, String> deadLetters;
  private KafkaClientMetrics consumerMetrics;
  private volatile boolean running;
  private boolean stopRequested;
  private final Promise<Void> loopStopped = Promise.promise();
  private long lastPollFailureLog;

  public EventConsumer(Vertx vertx, KafkaConfig config, Map<String, EventHandler> handlers, MeterRegistry registry) {
    this(vertx, config, handlers, null, registry);
  }

  /** @param batch applies a poll's events together, or null to apply them one at a time */
  public EventConsumer(Vertx vertx, KafkaConfig config, Map<String, EventHandler> handlers, BatchHandler batch,
                       MeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.handlers = Map.copyOf(handlers);
    this.batch = batch;
    this.registry = registry;
    this.applied = Counter.builder("events_applied_total").tag("group", config.groupId()).register(registry);
    this.skipped = Counter.builder("events_skipped_total").tag("group", config.groupId()).register(registry);
    this.deadLettered = Counter.builder("events_dead_lettered_total").tag("group", config.groupId()).register(registry);
    this.retries = Counter.builder("events_retries_total").tag("group", config.groupId()).register(registry);
    this.batchFallbacks = Counter.builder("events_batch_fallbacks_total").tag("group", config.groupId())
        .description("Polls whose batch failed and were applied one event at a time").register(registry);
  }

  /**
   * Builds the Kafka clients on worker threads (building one blocked the event loop for seconds at start-up);
   * {@link #start} does it if this was not called. Subscribes to nothing, so a service can do it while its
   * migrations run.
   */
  public Future<Void> prepare() {
    if (prepared != null) {
      return prepared;
    }
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", config.bootstrapServers());
    props.put("group.id", config.groupId());
    props.put("client.id", config.groupId() + "-" + ProcessHandle.current().pid());
    props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    props.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    props.put("enable.auto.commit", "false");
    props.put("auto.offset.reset", "earliest");
    props.put("max.poll.records", "500");
    props.put("session.timeout.ms", "10000");
    props.put("heartbeat.interval.ms", "2000");
    props.put("reconnect.backoff.max.ms", "2000");
    props.put("enable.metrics.push", "false");
    // Cooperative rebalancing: a new replica takes partitions without stopping the others.
    props.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    Future<org.apache.kafka.clients.consumer.Consumer<String, String>> built = vertx.executeBlocking(
        () -> new org.apache.kafka.clients.consumer.KafkaConsumer<>(props), false);
    Future<KafkaProducer<String, String>> dlt = Producers.createOffLoop(vertx, config, config.groupId() + "-dlt");
    prepared = Future.all(built, dlt).map(all -> {
      consumer = KafkaConsumer.create(vertx, built.result());
      deadLetters = dlt.result();
      consumer.partitionsAssignedHandler(tps -> LOG.atInfo().addKeyValue("partitions", tps.size())
          .log("partitions assigned to {}", config.groupId()));
      consumer.partitionsRevokedHandler(tps -> LOG.atInfo().addKeyValue("partitions", tps.size())
          .log("partitions revoked from {}", config.groupId()));
      consumer.exceptionHandler(e -> LOG.warn("consumer error: {}", e.getMessage()));
      consumerMetrics = new KafkaClientMetrics(consumer.unwrap());
      consumerMetrics.bindTo(registry);
      return null;
    });
    return prepared;
  }

  public Future<Void> start() {
    return prepare().compose(v -> consumer.subscribe(config.topic())).onSuccess(v -> {
      if (!stopRequested) {
        running = true;
        loop();
      }
    });
  }

  /** Lets the batch in flight finish and commit, then closes the consumer. */
  public Future<Void> stop() {
    if (prepared == null) {
      return Future.succeededFuture();
    }
    stopRequested = true;
    // clients still being built are closed once built, not leaked
    return prepared.transform(built -> {
      if (consumer == null) {
        return Future.succeededFuture();
      }
      if (!running) {
        loopStopped.tryComplete();
      }
      running = false;
      return loopStopped.future()
          .compose(v -> consumer.close().recover(e -> Future.succeededFuture()))
          .compose(v -> deadLetters.close(2_000).recover(e -> Future.succeededFuture()))
          .onComplete(v -> consumerMetrics.close());
    });
  }

  private void loop() {
    if (!running) {
      loopStopped.tryComplete();
      return;
    }
    consumer.poll(POLL_TIMEOUT)
        .compose(this::process)
        .onComplete(ar -> {
          if (ar.failed()) {
            logPollFailure(ar.cause());
            vertx.setTimer(1_000, t -> loop());
          } else {
            loop();
          }
        });
  }

  private Future<Void> process(KafkaConsumerRecords<String, String> records) {
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    if (batch == null) {
      return processOneByOne(records);
    }
    List<EventEnvelope> known = new ArrayList<>(records.size());
    int unknown = 0;
    for (int i = 0; i < records.size(); i++) {
      if (notHandledHere(records.recordAt(i))) {
        unknown++;
        continue;
      }
      EventEnvelope event;
      try {
        event = EventEnvelope.decode(records.recordAt(i).value());
      } catch (MalformedEventException e) {
        return processOneByOne(records); // dead-lettering is the one-by-one path's business
      }
      if (handlers.containsKey(event.eventType())) {
        known.add(event);
      } else {
        unknown++;
      }
    }
    if (known.isEmpty()) {
      return processOneByOne(records);
    }
    int skippedHere = unknown;
    Future<Void> applied;
    try {
      applied = batch.applyAll(known);
    } catch (RuntimeException e) {
      applied = Future.failedFuture(e);
    }
    return applied.transform(ar -> {
      if (ar.failed()) {
        batchFallbacks.increment();
        LOG.atDebug().addKeyValue("events", known.size())
            .log("batch failed, applying its events one at a time: {}", ar.cause().toString());
        return processOneByOne(records);
      }
      this.applied.increment(known.size());
      skipped.increment(skippedHere);
      Map<TopicPartition, Long> nextOffsets = new HashMap<>();
      for (int i = 0; i < records.size(); i++) {
        KafkaConsumerRecord<String, String> record = records.recordAt(i);
        nextOffsets.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
      }
      return commitAndRewind(nextOffsets, Map.of());
    });
  }

  private Future<Void> processOneByOne(KafkaConsumerRecords<String, String> records) {
    Map<TopicPartition, List<KafkaConsumerRecord<String, String>>> byPartition = new LinkedHashMap<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      byPartition.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), k -> new ArrayList<>())
          .add(record);
    }
    Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    Map<TopicPartition, Long> rewind = new HashMap<>();
    List<Future<Void>> partitions = new ArrayList<>();
    byPartition.forEach((tp, list) -> partitions.add(processInOrder(list, 0, tp, nextOffsets, rewind)));
    return Future.join(partitions)
        .transform(ignored -> commitAndRewind(nextOffsets, rewind));
  }

  private Future<Void> processInOrder(List<KafkaConsumerRecord<String, String>> records, int index, TopicPartition tp,
                                      Map<TopicPartition, Long> nextOffsets, Map<TopicPartition, Long> rewind) {
    if (index == records.size()) {
      return Future.succeededFuture();
    }
    KafkaConsumerRecord<String, String> record = records.get(index);
    return handle(record)
        .compose(v -> {
          nextOffsets.put(tp, record.offset() + 1);
          return processInOrder(records, index + 1, tp, nextOffsets, rewind);
        }, e -> {
          // Stopping, or the dead-letter topic unreachable: leave this record for the next poll (or owner).
          rewind.put(tp, record.offset());
          return Future.succeededFuture();
        });
  }

  private Future<Void> commitAndRewind(Map<TopicPartition, Long> nextOffsets, Map<TopicPartition, Long> rewind) {
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    nextOffsets.forEach((tp, offset) -> commits.put(tp, new OffsetAndMetadata(offset, "")));
    Future<?> committed = commits.isEmpty() ? Future.succeededFuture() : consumer.commit(commits);
    return committed
        .compose(v -> {
          List<Future<Void>> seeks = new ArrayList<>();
          rewind.forEach((tp, offset) -> seeks.add(consumer.seek(tp, offset)));
          return Future.join(seeks).<Void>mapEmpty();
        })
        .recover(e -> {
          // A commit can fail after a rebalance took the partition away; the new owner redelivers, harmlessly.
          LOG.warn("offset commit failed, events will be redelivered: {}", e.getMessage());
          return Future.succeededFuture();
        });
  }

  /** Applies, skips or dead-letters one record. Fails only if the consumer is stopping mid-retry. */
  private Future<Void> handle(KafkaConsumerRecord<String, String> record) {
    if (notHandledHere(record)) {
      skipped.increment();
      return Future.succeededFuture();
    }
    EventEnvelope event;
    try {
      event = EventEnvelope.decode(record.value());
    } catch (MalformedEventException e) {
      return deadLetter(record, e, 0, 1);
    }
    EventHandler handler = handlers.get(event.eventType());
    if (handler == null) {
      skipped.increment();
      LOG.atDebug().addKeyValue("eventId", event.eventId()).addKeyValue("eventType", event.eventType())
          .log("event type not handled here, skipped");
      return Future.succeededFuture();
    }
    return attempt(handler, event, 1, 1)
        .onSuccess(v -> applied.increment())
        .recover(e -> e instanceof Stopping ? Future.failedFuture(e) : deadLetter(record, e, attemptsOf(e), 1));
  }

  /**
   * Whether the record's {@code eventType} header (set by every outbox relay) names a type no handler here takes:
   * such a record is skipped without parsing its value, which most records are for most services. A record without
   * the header is parsed and judged by its body.
   */
  private boolean notHandledHere(KafkaConsumerRecord<String, String> record) {
    Header type = record.record().headers().lastHeader(EventEnvelope.TYPE_HEADER);
    return type != null && !handlers.containsKey(new String(type.value(), StandardCharsets.UTF_8));
  }

  private Future<Void> attempt(EventHandler handler, EventEnvelope event, int attempt, int outageRound) {
    Future<Void> result;
    try {
      result = handler.apply(event);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.recover(e -> {
      if (e instanceof MalformedEventException) {
        return Future.failedFuture(new GaveUp(e, attempt));
      }
      if (!running) {
        return Future.failedFuture(new Stopping());
      }
      retries.increment();
      if (Failures.isTransient(e)) {
        long delay = Math.min(MAX_OUTAGE_BACKOFF_MS, config.retryBackoff().toMillis() << Math.min(outageRound, 10));
        LOG.atWarn().addKeyValue("eventId", event.eventId()).addKeyValue("procNo", event.procNo())
            .log("event waits for an outage to end (retry in {} ms): {}", delay, e.getMessage());
        return delay(delay).compose(v -> attempt(handler, event, attempt, outageRound + 1));
      }
      if (attempt >= config.maxAttempts()) {
        return Future.failedFuture(new GaveUp(e, attempt));
      }
      LOG.atWarn().addKeyValue("eventId", event.eventId()).addKeyValue("procNo", event.procNo())
          .addKeyValue("attempt", attempt).log("event failed, retrying: {}", e.toString());
      return delay(config.retryBackoff().toMillis() << (attempt - 1))
          .compose(v -> attempt(handler, event, attempt + 1, outageRound));
    });
  }

  private Future<Void> deadLetter(KafkaConsumerRecord<String, String> record, Throwable failure, int attempts,
                                  int round) {
    Throwable cause = failure instanceof GaveUp g ? g.getCause() : failure;
    KafkaProducerRecord<String, String> dlt =
        KafkaProducerRecord.create(config.deadLetterTopic(), record.key(), record.value());
    for (KafkaHeader header : record.headers()) {
      dlt.addHeader(header);
    }
    String message = String.valueOf(cause.getMessage());
    dlt.addHeader("dlt.error.class", cause.getClass().getName())
        .addHeader("dlt.error.message", message.length() > 1000 ? message.substring(0, 1000) : message)
        .addHeader("dlt.original.topic", record.topic())
        .addHeader("dlt.original.partition", Integer.toString(record.partition()))
        .addHeader("dlt.original.offset", Long.toString(record.offset()))
        .addHeader("dlt.consumer.group", config.groupId())
        .addHeader("dlt.attempts", Integer.toString(attempts))
        .addHeader("dlt.failed.at", Instant.now().toString());
    return deadLetters.send(dlt)
        .<Void>map(meta -> {
          deadLettered.increment();
          LOG.atError().addKeyValue("offset", record.offset()).addKeyValue("partition", record.partition())
              .addKeyValue("key", record.key()).addKeyValue("attempts", attempts)
              .log("event sent to {}: {}", config.deadLetterTopic(), message);
          return null;
        })
        .recover(e -> {
          if (!running) {
            return Future.failedFuture(new Stopping());
          }
          long delay = Math.min(MAX_OUTAGE_BACKOFF_MS, 250L << Math.min(round, 10));
          LOG.warn("dead-letter topic unreachable, retrying in {} ms: {}", delay, e.getMessage());
          return delay(delay).compose(v -> deadLetter(record, failure, attempts, round + 1));
        });
  }

  private static int attemptsOf(Throwable e) {
    return e instanceof GaveUp g ? g.attempts : 1;
  }

  private Future<Void> delay(long millis) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(Math.max(1, millis), t -> p.complete());
    return p.future();
  }

  private void logPollFailure(Throwable e) {
    long now = System.currentTimeMillis();
    if (now - lastPollFailureLog > 10_000) {
      lastPollFailureLog = now;
      LOG.warn("polling {} failed, retrying: {}", config.topic(), e.getMessage());
    }
  }

  /** The handler failed for good after {@code attempts}: the cause goes into the dead-letter headers. */
  private static final class GaveUp extends RuntimeException {
    final int attempts;

    GaveUp(Throwable cause, int attempts) {
      super(cause.getMessage(), cause, false, false);
      this.attempts = attempts;
    }
  }

  private static final class Stopping extends RuntimeException {
    Stopping() {
      super("consumer stopping", null, false, false);
    }
  }
}
