package kr.go.procurement.platform.consumer;

import static kr.go.procurement.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.config.KafkaConfig;
import kr.go.procurement.platform.config.PgConfig;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.store.Migrations;
import kr.go.procurement.platform.store.PgPools;
import kr.go.procurement.testsupport.Eventually;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.RealInfra;
import kr.go.procurement.testsupport.TopicProbe.Received;
import kr.go.procurement.testsupport.TopicProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RealInfra
class EventConsumerTest {

  private Infra infra;
  private Vertx vertx;
  private Pool pool;
  private KafkaConfig kafka;
  private EventConsumer consumer;
  private TopicProbe topic;

  @BeforeEach
  void setUp() {
    infra = Infra.get();
    String topicName = infra.newTopic(3);
    topic = new TopicProbe(infra.kafkaBootstrapServers(), topicName);
    Env env = new Env(infra.env(infra.newDatabase(), topicName, null))
        .with(Map.of("CONSUMER_RETRY_BACKOFF_MS", "20", "CONSUMER_MAX_ATTEMPTS", "3"));
    PgConfig pg = PgConfig.fromEnv(env, "consumertest");
    kafka = KafkaConfig.fromEnv(env, "consumer-test");
    vertx = Vertx.vertx();
    await(Migrations.migrate(vertx, pg));
    pool = PgPools.pool(vertx, pg);
    await(pool.query("CREATE TABLE applied (proc_no text PRIMARY KEY, times integer NOT NULL)").execute());
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    topic.close();
    if (consumer != null) {
      await(consumer.stop());
    }
    await(pool.close());
    await(vertx.close());
  }

  /** The effect: count how often each procNo was applied, in the same transaction as the dedupe row. */
  private EventHandler countingHandler() {
    return new PgIdempotentHandler(pool, (tx, event) -> tx.preparedQuery(
            "INSERT INTO applied VALUES ($1, 1) ON CONFLICT (proc_no) DO UPDATE SET times = applied.times + 1")
        .execute(Tuple.of(event.procNo())).mapEmpty());
  }

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /** As the PostgreSQL services run it: a poll in one transaction first, one event at a time if that fails. */
  private void start(Map<String, EventHandler> handlers) {
    consumer = new EventConsumer(vertx, kafka, handlers, PgIdempotentHandler.inOneTransaction(pool, handlers), meters);
    await(consumer.start());
  }

  private int timesApplied(String procNo) {
    var rows = await(pool.preparedQuery("SELECT times FROM applied WHERE proc_no = $1").execute(Tuple.of(procNo)));
    return rows.size() == 0 ? 0 : rows.iterator().next().getInteger(0);
  }

  private void awaitApplied(String procNo, int times) {
    Eventually.until(() -> assertThat(timesApplied(procNo)).isGreaterThanOrEqualTo(times));
    assertThat(timesApplied(procNo)).isEqualTo(times);
  }

  private double counter(String name) {
    return meters.counter(name, "group", kafka.groupId()).count();
  }

  /**
   * Nothing was dead-lettered before the event last applied on its partition: the consumer sends a dead letter and
   * counts it before it moves on to the next record of that partition.
   */
  private void assertNothingDeadLettered() {
    assertThat(counter("events_dead_lettered_total")).isZero();
    assertThat(topic.deadLetters()).isEmpty();
  }

  private static EventEnvelope event(String type, String procNo) {
    return EventEnvelope.create(type, procNo, new JsonObject().put("procNo", procNo));
  }

  @Test
  void theSameEventDeliveredTwiceHasOneEffect() {
    start(Map.of("Counted", countingHandler()));
    EventEnvelope once = event("Counted", "p-dup");
    topic.send(once.toJson());
    topic.send(once.toJson());
    topic.send(event("Counted", "p-after").toJson());
    awaitApplied("p-after", 1);
    assertThat(timesApplied("p-dup")).isEqualTo(1);
  }

  @Test
  void aPoisonEventGoesToTheDeadLetterTopicAndTheConsumerKeepsGoing() {
    AtomicInteger attempts = new AtomicInteger();
    start(Map.of(
        "Counted", countingHandler(),
        "AlwaysFails", e -> {
          attempts.incrementAndGet();
          return Future.failedFuture(new IllegalStateException("cannot apply " + e.procNo()));
        }));
    topic.sendRaw("p-poison", "this is not JSON");
    topic.send(event("AlwaysFails", "p-poison").toJson());
    topic.send(event("Counted", "p-poison").toJson());

    awaitApplied("p-poison", 1);
    Eventually.until(() -> assertThat(topic.deadLetters()).hasSize(2));
    List<Received> dead = topic.deadLetters();
    assertThat(dead.get(0).value().getString("unparsable")).isEqualTo("this is not JSON");
    assertThat(dead.get(1).header("dlt.error.message")).isEqualTo("cannot apply p-poison");
    assertThat(dead.get(1).header("dlt.attempts")).isEqualTo("3");
    assertThat(dead.get(1).header("dlt.original.topic")).isEqualTo(kafka.topic());
    assertThat(attempts.get()).isEqualTo(3);
  }

  @Test
  void aPollOfEventsIsAppliedInOneTransaction() {
    for (int i = 0; i < 40; i++) {
      topic.send(event("Counted", "p-batch-" + i).toJson());
    }
    start(Map.of("Counted", countingHandler()));
    for (int i = 0; i < 40; i++) {
      awaitApplied("p-batch-" + i, 1);
    }
    // Rows written by one transaction share its id (xmin): 40 events, a few polls, so a few transactions.
    long transactions = await(pool.query("SELECT count(DISTINCT xmin::text) FROM applied").execute())
        .iterator().next().getLong(0);
    assertThat(transactions).isLessThan(10);
    assertThat(meters.counter("events_batch_fallbacks_total", "group", kafka.groupId()).count()).isZero();
  }

  @Test
  void aBatchAppliesTheEventsOfOneProcNoInOrderWhileOtherProcNosGoSideBySide() {
    await(pool.query("CREATE TABLE effect_log (proc_no text NOT NULL, n integer NOT NULL)").execute());
    // Two dependent statements per event: one that ran before the event before it of its procNo had written would
    // see the wrong last n, fail the batch, and send the poll down the one-at-a-time path.
    EventHandler inOrder = new PgIdempotentHandler(pool, (tx, event) -> tx.preparedQuery(
            "SELECT coalesce(max(n), 0) AS last FROM effect_log WHERE proc_no = $1").execute(Tuple.of(event.procNo()))
        .compose(rows -> {
          int n = event.fields().getInteger("n");
          int last = rows.iterator().next().getInteger("last");
          return last + 1 != n
              ? Future.<Void>failedFuture("event " + n + " of " + event.procNo() + " applied after " + last)
              : tx.preparedQuery("INSERT INTO effect_log VALUES ($1, $2)").execute(Tuple.of(event.procNo(), n))
                  .<Void>mapEmpty();
        }));
    for (int n = 1; n <= 10; n++) {
      for (String procNo : List.of("p-order-a", "p-order-b", "p-order-c")) {
        topic.send(EventEnvelope.create("Ordered", procNo, new JsonObject().put("procNo", procNo).put("n", n))
            .toJson());
      }
    }
    start(Map.of("Ordered", inOrder));

    Eventually.until(() -> assertThat(await(pool.query("SELECT count(*) FROM effect_log").execute()).iterator()
        .next().getLong(0)).isEqualTo(30));
    assertThat(meters.counter("events_batch_fallbacks_total", "group", kafka.groupId()).count()).isZero();
    long transactions = await(pool.query("SELECT count(DISTINCT xmin::text) FROM effect_log").execute())
        .iterator().next().getLong(0);
    assertThat(transactions).isLessThan(10);
  }

  @Test
  void aFailingEventRollsBackItsBatchAndEveryOtherEventIsAppliedOnce() {
    EventHandler poison = new PgIdempotentHandler(pool, (tx, event) -> tx.preparedQuery(
            "INSERT INTO applied VALUES ($1, 1) ON CONFLICT (proc_no) DO UPDATE SET times = applied.times + 1")
        .execute(Tuple.of(event.procNo()))
        .compose(r -> Future.<Void>failedFuture("cannot apply " + event.procNo())));
    for (int i = 0; i < 10; i++) {
      topic.send(event("Counted", "p-mixed-" + i).toJson());
      if (i == 4) {
        topic.send(event("Poison", "p-mixed-poison").toJson());
      }
    }
    start(Map.of("Counted", countingHandler(), "Poison", poison));
    for (int i = 0; i < 10; i++) {
      awaitApplied("p-mixed-" + i, 1);
    }
    Eventually.until(() -> assertThat(topic.deadLetters()).hasSize(1));
    assertThat(timesApplied("p-mixed-poison")).isZero();
    assertThat(meters.counter("events_batch_fallbacks_total", "group", kafka.groupId()).count()).isPositive();
  }

  @Test
  void unknownEventTypesAreSkipped() {
    start(Map.of("Counted", countingHandler()));
    topic.send(event("SomethingNew", "p-skip").toJson());
    topic.send(event("Counted", "p-skip").toJson());
    awaitApplied("p-skip", 1);
    // the skip is counted once its poll is done, which may be just after the later event's commit
    Eventually.until(() -> assertThat(counter("events_skipped_total")).isEqualTo(1));
    assertNothingDeadLettered();
  }

  @Test
  void aRecordWhoseEventTypeHeaderNamesNoHandlerHereIsSkippedUnread() {
    start(Map.of("Counted", countingHandler()));
    // Relays name the type in a header; a type this service does not take is not even parsed here (a body only the
    // services that take it could judge does not reach the dead-letter topic from this one).
    topic.sendRaw("p-header", "not JSON, and not for this service", Map.of("eventType", "SomethingNew"));
    topic.sendRaw("p-header", event("Counted", "p-header").toJson().encode(), Map.of("eventType", "Counted"));
    awaitApplied("p-header", 1);
    // the skip is counted once its poll is done, which may be just after the later event's commit
    Eventually.until(() -> assertThat(counter("events_skipped_total")).isEqualTo(1));
    assertNothingDeadLettered();
  }

  @Test
  void aFailedAttemptLeavesNoTraceSoTheRetryAppliesIt() {
    AtomicInteger calls = new AtomicInteger();
    EventHandler flaky = new PgIdempotentHandler(pool, (tx, event) -> tx.preparedQuery(
            "INSERT INTO applied VALUES ($1, 1) ON CONFLICT (proc_no) DO UPDATE SET times = applied.times + 1")
        .execute(Tuple.of(event.procNo()))
        // The effect is written, then the handler fails: the transaction must take the effect and dedupe row back.
        .compose(r -> calls.incrementAndGet() == 1 ? Future.failedFuture("first attempt fails")
            : Future.<Void>succeededFuture()));
    start(Map.of("Counted", flaky));
    topic.send(event("Counted", "p-flaky").toJson());
    awaitApplied("p-flaky", 1);
    // A later event of the same procNo (same partition, applied in order): once it is applied, any further attempt
    // at the first one is over, so the counts below are final for it.
    topic.send(event("Counted", "p-flaky").toJson());
    awaitApplied("p-flaky", 2);
    assertThat(calls.get()).as("the failed attempt, its retry, and the later event").isEqualTo(3);
  }

  @Test
  void anEventWaitsOutAStoreOutageInsteadOfBeingDeadLettered() {
    AtomicInteger calls = new AtomicInteger();
    start(Map.of("Counted", e -> calls.incrementAndGet() < 6
        ? Future.failedFuture(new java.net.ConnectException("Connection refused"))
        : countingHandler().apply(e)));
    topic.send(event("Counted", "p-outage").toJson());
    awaitApplied("p-outage", 1);
    assertThat(calls.get()).isEqualTo(6);
    // applied, so not dead-lettered (a record is one or the other)
    assertNothingDeadLettered();
  }

  @Test
  void offsetsAreCommittedOnlyForAppliedEvents() {
    start(Map.of("Counted", countingHandler()));
    topic.send(event("Counted", "p-commit").toJson());
    awaitApplied("p-commit", 1);
    await(consumer.stop());
    // A new consumer of the same group starts after the committed offset: nothing is applied twice, and the
    // dedupe table would absorb it anyway, so count the deliveries instead.
    AtomicInteger delivered = new AtomicInteger();
    consumer = new EventConsumer(vertx, kafka, Map.of("Counted", e -> {
      delivered.incrementAndGet();
      return countingHandler().apply(e);
    }), new SimpleMeterRegistry());
    await(consumer.start());
    topic.send(event("Counted", "p-commit-2").toJson());
    awaitApplied("p-commit-2", 1);
    assertThat(delivered.get()).isEqualTo(1);
  }

}
