package kr.go.procurement.platform.outbox;

import static kr.go.procurement.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.config.KafkaConfig;
import kr.go.procurement.platform.config.PgConfig;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.store.Migrations;
import kr.go.procurement.platform.store.PgPools;
import kr.go.procurement.testsupport.Eventually;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.RealInfra;
import kr.go.procurement.testsupport.SamePartition;
import kr.go.procurement.testsupport.TopicProbe.Received;
import kr.go.procurement.testsupport.TopicProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RealInfra
class OutboxRelayTest {

  private Vertx vertx;
  private Pool pool;
  private OutboxRelay relay;
  private PgConfig pg;
  private KafkaConfig kafka;
  private Infra infra;
  private TopicProbe topic;
  private static final int PARTITIONS = 3;
  private final java.util.concurrent.atomic.AtomicInteger markers = new java.util.concurrent.atomic.AtomicInteger();

  @BeforeEach
  void setUp() {
    infra = Infra.get();
    String topicName = infra.newTopic(PARTITIONS);
    topic = new TopicProbe(infra.kafkaBootstrapServers(), topicName);
    Env env = new Env(infra.env(infra.newDatabase(), topicName, null));
    pg = PgConfig.fromEnv(env, "outboxtest");
    kafka = KafkaConfig.fromEnv(env, "outbox-test");
    vertx = Vertx.vertx();
    await(Migrations.migrate(vertx, pg));
    pool = PgPools.pool(vertx, pg);
    await(pool.query("CREATE TABLE thing (proc_no text PRIMARY KEY)").execute());
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    topic.close();
    if (relay != null) {
      await(relay.stop());
    }
    await(pool.close());
    await(vertx.close());
  }

  private void startRelay() {
    relay = new OutboxRelay(vertx, pool, PgPools.connectOptions(pg), kafka,
        new OutboxRelay.Options(Duration.ofMillis(200), 100),
        new SimpleMeterRegistry());
    await(relay.start());
  }

  /** A state change and its event, in one transaction that commits or, with {@code fail}, rolls back. */
  private Future<Void> change(String procNo, boolean fail) {
    EventEnvelope event = EventEnvelope.create("ProcurementRequestPosted", procNo, new JsonObject()
        .put("procNo", procNo).put("procTitle", "사무용 의자 " + procNo));
    return pool.withTransaction(tx -> tx.query("INSERT INTO thing VALUES ('" + procNo + "')").execute()
        .compose(r -> Outbox.append(tx, event))
        .compose(v -> fail ? Future.failedFuture("rolled back on purpose") : Future.succeededFuture()));
  }

  @Test
  void publishesEveryCommittedChangeAndNoRolledBackOne() {
    startRelay();
    await(change("p-commit-1", false));
    await(change("p-rollback", true).recover(e -> Future.succeededFuture()));
    await(change("p-commit-2", false));

    List<Received> records = published(2);

    assertThat(records).extracting(Received::key).containsExactlyInAnyOrder("p-commit-1", "p-commit-2");
    EventEnvelope first = EventEnvelope.fromJson(records.get(0).value());
    assertThat(first.eventType()).isEqualTo("ProcurementRequestPosted");
    assertThat(first.fields().getString("procTitle")).startsWith("사무용 의자");
    assertThat(first.version()).isEqualTo(1);
    assertThat(await(pool.query("SELECT count(*) FROM outbox WHERE published_at IS NULL").execute())
        .iterator().next().getLong(0)).isZero();
  }

  @Test
  void keepsOrderPerProcNo() {
    startRelay();
    List<Future<Void>> appends = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      int n = i;
      EventEnvelope event = EventEnvelope.create("Step", "p-order", new JsonObject().put("n", n));
      appends.add(pool.withTransaction(tx -> Outbox.append(tx, event)));
      await(appends.get(i));
    }
    List<Received> records = published(30);
    assertThat(records).extracting(r -> r.value().getInteger("n"))
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 30).boxed().toList());
  }

  @Test
  void commandsSucceedWhileKafkaIsDownAndTheBacklogDrainsWhenItReturns() {
    startRelay();
    infra.stopKafka();
    try {
      for (int i = 0; i < 20; i++) {
        await(change("p-down-" + i, false));
      }
      assertThat(await(pool.query("SELECT count(*) FROM outbox WHERE published_at IS NULL").execute())
          .iterator().next().getLong(0)).isEqualTo(20);
    } finally {
      infra.startKafka();
    }
    List<Received> records = published(20);
    assertThat(records).extracting(Received::key).containsAll(
        java.util.stream.IntStream.range(0, 20).mapToObj(i -> "p-down-" + i).toList());
    assertThat(records.stream().map(r -> EventEnvelope.fromJson(r.value()).eventId()).distinct().count())
        .isEqualTo(20);
  }

  @Test
  void onlyOneRelayPublishesAtATime() {
    startRelay();
    OutboxRelay second = new OutboxRelay(vertx, pool, PgPools.connectOptions(pg), kafka,
        new OutboxRelay.Options(Duration.ofMillis(200), 100),
        new SimpleMeterRegistry());
    await(second.start());
    try {
      for (int i = 0; i < 10; i++) {
        await(change("p-two-" + i, false));
      }
      List<Received> records = published(10);
      assertThat(records).hasSize(10);
      assertThat(relay.isLeader() ^ second.isLeader()).isTrue();
    } finally {
      await(second.stop());
    }
  }

  @Test
  void publishedRowsAreDeletedOnceKafkaAcknowledgedThem() {
    startRelay();
    await(change("p-purge", false));
    Eventually.until(() -> assertThat(await(pool.query("SELECT count(*) FROM outbox").execute()).iterator().next()
        .getLong(0)).isZero());
    assertThat(published(1)).hasSize(1);
  }

  /**
   * What the test's changes published, once at least {@code expected} records arrived and then a change committed
   * after them on every partition did too: the relay publishes in outbox order, so a duplicate of an earlier row
   * would have been read before those markers.
   */
  private List<Received> published(int expected) {
    Eventually.until(() -> assertThat(ours()).hasSizeGreaterThanOrEqualTo(expected));
    for (int partition = 0; partition < PARTITIONS; partition++) {
      String marker = SamePartition.keyOn(partition, PARTITIONS, "marker-" + markers.incrementAndGet());
      await(change(marker, false));
      Eventually.until(() -> assertThat(topic.mainTopic()).extracting(Received::key).contains(marker));
    }
    return ours();
  }

  private List<Received> ours() {
    return topic.matching(r -> !r.topic().endsWith(".DLT") && !r.key().startsWith("marker-"));
  }

}
