package kr.go.procurement.platform.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import kr.go.procurement.platform.config.KafkaConfig;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.events.Producers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes committed outbox rows to Kafka, keyed by {@code procNo}, in commit order per {@code procNo}.
 *
 * <p>One relay per schema publishes at a time: it holds a PostgreSQL advisory lock, so that several replicas never
 * interleave publication of one procurement's events. It wakes on {@code LISTEN/NOTIFY} and polls as a fallback;
 * rows are deleted only after Kafka acknowledged them (so a crash in between republishes, and consumers drop the
 * duplicate by {@code eventId}). Deleted rather than marked published: Kafka is the log of what was published, and
 * a delete costs PostgreSQL far less than an update moving the row between indexes. While Kafka is down, batches
 * fail and are retried: commands keep committing, and the backlog drains on return.
 */
public final class OutboxRelay {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  private static final long BACKLOG_REFRESH_MS = 5_000;

  public record Options(Duration pollInterval, int batchSize) {
    public static Options defaults() {
      return new Options(Duration.ofMillis(500), 500);
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  private final PgConnectOptions connectOptions;
  private final KafkaConfig kafka;
  private final String schema;
  private final Options options;
  private final AtomicLong backlog = new AtomicLong();
  private final Counter published;

  private KafkaProducer<String, String> producer;
  private Future<Void> prepared;
  private PgSubscriber subscriber;
  private PgConnection lockConnection;
  private boolean leader;
  private boolean running;
  private boolean stopped;
  private boolean draining;
  private boolean wakeAgain;
  private long pollTimer = -1;
  private long backlogTimer = -1;
  private Future<Void> currentDrain = Future.succeededFuture();
  private long lastFailureLog;

  public OutboxRelay(Vertx vertx, Pool pool, PgConnectOptions connectOptions, KafkaConfig kafka, Options options,
                     MeterRegistry registry) {
    this.vertx = vertx;
    this.pool = pool;
    this.connectOptions = connectOptions;
    this.kafka = kafka;
    this.schema = connectOptions.getProperties().getOrDefault("search_path", "public");
    this.options = options;
    Gauge.builder("outbox_backlog", backlog, AtomicLong::get)
        .description("Outbox rows committed but not yet published to Kafka")
        .tag("schema", schema)
        .register(registry);
    this.published = Counter.builder("outbox_published_total").tag("schema", schema).register(registry);
  }

  /**
   * Builds the Kafka producer (on a worker thread); {@link #start} does it if this was not called. Safe to call
   * before the outbox table exists, so a service can do it while its migrations run.
   */
  public Future<Void> prepare() {
    if (prepared == null) {
      prepared = Producers.createOffLoop(vertx, kafka, "outbox-relay-" + schema).map(p -> {
        producer = p;
        return null;
      });
    }
    return prepared;
  }

  /** Starts relaying. Never fails because Kafka or the lock is unavailable: it keeps trying in the background. */
  public Future<Void> start() {
    return prepare().map(v -> {
      if (stopped) {
        return null;
      }
      running = true;
      subscriber = PgSubscriber.subscriber(vertx, connectOptions)
          .reconnectPolicy(attempt -> 1_000L);
      subscriber.channel("outbox_" + schema).handler(payload -> wake());
      subscriber.connect()
          .onFailure(e -> LOG.warn("outbox LISTEN unavailable, relying on polling: {}", e.getMessage()));
      pollTimer = vertx.setPeriodic(0, options.pollInterval().toMillis(), id -> wake());
      // The backlog gauge is exact only every few seconds: counting on every poll would cost more than it tells.
      backlogTimer = vertx.setPeriodic(0, BACKLOG_REFRESH_MS, id -> refreshBacklog());
      return null;
    });
  }

  /** Stops after the batch in flight, so no row is left half-published. */
  public Future<Void> stop() {
    stopped = true;
    running = false;
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(backlogTimer);
    Future<Void> built = prepared == null ? Future.succeededFuture() : prepared.recover(e -> Future.succeededFuture());
    return built.compose(v -> currentDrain.recover(e -> Future.succeededFuture()))
        .compose(v -> subscriber == null ? Future.succeededFuture() : subscriber.close().recover(e -> Future.succeededFuture()))
        .compose(v -> lockConnection == null ? Future.succeededFuture() : lockConnection.close().recover(e -> Future.succeededFuture()))
        .compose(v -> producer == null ? Future.succeededFuture() : producer.close(2_000).recover(e -> Future.succeededFuture()));
  }

  public boolean isLeader() {
    return leader;
  }

  public long backlog() {
    return backlog.get();
  }

  /** Asks for a drain; if one is running, it runs once more afterwards, so no notification is lost. */
  public void wake() {
    if (!running) {
      return;
    }
    if (draining) {
      wakeAgain = true;
      return;
    }
    draining = true;
    wakeAgain = false;
    currentDrain = ensureLeader()
        .compose(isLeader -> isLeader ? drainBatch() : Future.succeededFuture(0))
        .map(count -> {
          draining = false;
          if (count >= options.batchSize() || wakeAgain) {
            vertx.runOnContext(v -> wake());
          }
          return (Void) null;
        })
        .recover(e -> {
          draining = false;
          logFailure(e);
          return Future.succeededFuture();
        });
  }

  private Future<Boolean> ensureLeader() {
    if (leader && lockConnection != null) {
      return Future.succeededFuture(true);
    }
    Future<PgConnection> connection = lockConnection != null
        ? Future.succeededFuture(lockConnection)
        : PgConnection.connect(vertx, connectOptions).onSuccess(c -> {
          lockConnection = c;
          c.closeHandler(v -> {
            // The lock dies with its session: another replica may take over, so stop publishing at once.
            lockConnection = null;
            leader = false;
          });
        });
    return connection
        .compose(c -> c.preparedQuery("SELECT pg_try_advisory_lock(hashtext($1)) AS locked")
            .execute(Tuple.of("outbox_relay_" + schema)))
        .map(rows -> {
          leader = rows.iterator().next().getBoolean("locked");
          return leader;
        });
  }

  private Future<Integer> drainBatch() {
    return pool.preparedQuery(
            "SELECT id, event_id, event_type, proc_no, payload FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1")
        .execute(Tuple.of(options.batchSize()))
        .compose(rows -> {
          if (rows.size() == 0) {
            backlog.set(0);
            return Future.succeededFuture(0);
          }
          List<Future<?>> sends = new ArrayList<>(rows.size());
          List<Long> ids = new ArrayList<>(rows.size());
          for (Row row : rows) {
            ids.add(row.getLong("id"));
            KafkaProducerRecord<String, String> record =
                KafkaProducerRecord.create(kafka.topic(), row.getString("proc_no"), row.getString("payload"));
            record.addHeader(EventEnvelope.TYPE_HEADER, row.getString("event_type"));
            record.addHeader("eventId", row.getUUID("event_id").toString());
            // Sent in id order: the idempotent producer keeps that order per partition, so per procNo.
            sends.add(producer.send(record));
          }
          return Future.all(sends)
              .compose(all -> pool.preparedQuery("DELETE FROM outbox WHERE id = ANY($1)")
                  .execute(Tuple.of(ids.toArray(new Long[0]))))
              .map(updated -> {
                published.increment(ids.size());
                backlog.updateAndGet(b -> Math.max(0, b - ids.size()));
                return ids.size();
              });
        });
  }

  private void refreshBacklog() {
    pool.query("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL").execute()
        .onSuccess(rows -> backlog.set(rows.iterator().next().getLong("n")));
  }

  private void logFailure(Throwable e) {
    long now = System.currentTimeMillis();
    // Kafka down means a failure every poll: say it once every 10 s, not every 500 ms.
    if (now - lastFailureLog > 10_000) {
      lastFailureLog = now;
      LOG.atWarn().addKeyValue("schema", schema).addKeyValue("backlog", backlog.get())
          .log("outbox relay could not publish, will retry: {}", e.getMessage());
    }
  }
}
