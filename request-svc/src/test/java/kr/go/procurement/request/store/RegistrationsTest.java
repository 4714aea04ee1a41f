package kr.go.procurement.request.store;

import static kr.go.procurement.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.config.PgConfig;
import kr.go.procurement.platform.consumer.Failures;
import kr.go.procurement.platform.domain.RuleViolation;
import kr.go.procurement.platform.domain.Timestamps;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.store.Migrations;
import kr.go.procurement.platform.store.PgPools;
import kr.go.procurement.request.domain.ProcurementRequest;
import kr.go.procurement.request.domain.RequestDetails;
import kr.go.procurement.request.events.RequestEvents;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Group commit of registrations against real PostgreSQL. Registrations fired in one event-loop turn are all queued
 * before any statement can finish, so which of them go together is deterministic: the tests assert it exactly.
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistrationsTest {

  private final ProcurementRequestStore store = new ProcurementRequestStore();
  private Vertx vertx;
  private Pool pool;

  @BeforeAll
  void start() {
    Infra infra = Infra.get();
    PgConfig pg = PgConfig.fromEnv(new Env(infra.env(infra.newDatabase(), null, null)), "request");
    vertx = Vertx.vertx();
    await(Migrations.migrate(vertx, pg));
    pool = PgPools.pool(vertx, pg);
  }

  @AfterAll
  void stop() {
    await(pool.close());
    await(vertx.close());
  }

  @Test
  void concurrentRegistrationsAreWrittenTogetherAndEachGetsItsOwnIdAndEvent() {
    Batching b = new Batching(2, 64);
    List<ProcurementRequest> requests = IntStream.range(0, 50).mapToObj(i -> request("many-" + i, "title " + i))
        .toList();

    List<ProcurementRequest> registered = awaitAll(b.registerAtOnce(requests));

    // two free slots take the first two at once; the other 48 wait and go together when one of them finishes
    assertThat(b.observe(Registrations::statements)).isEqualTo(3);
    assertThat(b.observe(Registrations::largestBatch)).isEqualTo(48);
    // what the database saw: three transactions, each request committed with its own outbox row
    assertThat(transactions("many-%")).isEqualTo(3);
    assertThat(b.observe(Registrations::batchesRetriedOneByOne)).isZero();
    assertThat(b.batchSizes().count()).isEqualTo(3);
    assertThat(b.batchSizes().totalAmount()).isEqualTo(50);
    assertThat(b.batchSizes().max()).isEqualTo(48);

    assertThat(registered).extracting(ProcurementRequest::id).doesNotContainNull().doesNotHaveDuplicates();
    for (int i = 0; i < requests.size(); i++) {
      ProcurementRequest answer = registered.get(i);
      assertThat(answer.procNo()).isEqualTo(requests.get(i).procNo());
      ProcurementRequest stored = await(store.findById(pool, answer.id()));
      assertThat(stored.procNo()).isEqualTo(answer.procNo());
      assertThat(stored.details()).isEqualTo(requests.get(i).details());
      assertThat(stored.createdAt()).isEqualTo(requests.get(i).createdAt());
    }

    List<Row> outbox = outbox("many-%");
    assertThat(outbox).hasSize(50);
    List<Long> requestIds = new ArrayList<>();
    for (Row row : outbox) {
      JsonObject payload = new JsonObject(row.getString("payload"));
      assertThat(payload.getLong("id")).isEqualTo(row.getLong("request_id"));
      assertThat(payload.getString("procNo")).isEqualTo(row.getString("proc_no"));
      assertThat(payload.getString("procTitle")).isEqualTo("title " + row.getString("proc_no").substring(5));
      assertThat(row.getString("event_type")).isEqualTo("ProcurementRequestPosted");
      requestIds.add(row.getLong("request_id"));
    }
    // the relay publishes in outbox id order: the events come in the order of the requests' ids
    assertThat(requestIds).isSorted();
  }

  @Test
  void aRegistrationUnderNoLoadGoesOutAloneAtOnce() {
    Batching b = new Batching(4, 64);
    for (int i = 0; i < 3; i++) {
      ProcurementRequest r = request("alone-" + i, "t");
      CompletableFuture<Future<ProcurementRequest>> sent = new CompletableFuture<>();
      List<Integer> rightAfter = new ArrayList<>();
      b.context.runOnContext(v -> {
        Future<ProcurementRequest> answer = b.registrations.register(r, RequestEvents.posted(r.withId(0)));
        rightAfter.add(b.registrations.inFlight());
        rightAfter.add(b.registrations.waiting());
        sent.complete(answer);
      });
      Future<ProcurementRequest> answer = sent.orTimeout(30, TimeUnit.SECONDS).join();
      // already on its way in the same event-loop turn: no timer, no waiting for company
      assertThat(rightAfter).containsExactly(1, 0);
      assertThat(await(answer).id()).isNotNull();
    }
    assertThat(b.observe(Registrations::statements)).isEqualTo(3);
    assertThat(b.observe(Registrations::largestBatch)).isEqualTo(1);
    assertThat(transactions("alone-%")).isEqualTo(3);
    assertThat(b.batchSizes().max()).isEqualTo(1);
    assertThat(outbox("alone-%")).hasSize(3);
  }

  @Test
  void registrationsBeyondTheBatchLimitWaitForTheNextFreeSlot() {
    Batching b = new Batching(1, 16);
    List<ProcurementRequest> requests = IntStream.range(0, 50).mapToObj(i -> request("cap-" + i, "t")).toList();

    List<ProcurementRequest> registered = awaitAll(b.registerAtOnce(requests));

    // 1 alone, then 16, 16, 16 and the last 1, each when the statement before it finished
    assertThat(b.observe(Registrations::statements)).isEqualTo(5);
    assertThat(transactions("cap-%")).isEqualTo(5);
    assertThat(b.batchSizes().count()).isEqualTo(5);
    assertThat(b.batchSizes().totalAmount()).isEqualTo(50);
    assertThat(b.batchSizes().max()).isEqualTo(16);
    assertThat(b.observe(Registrations::inFlight)).isZero();
    assertThat(b.observe(Registrations::waiting)).isZero();
    assertThat(registered).extracting(ProcurementRequest::id).doesNotContainNull().doesNotHaveDuplicates();
    assertThat(outbox("cap-%")).hasSize(50);
  }

  @Test
  void aDuplicateProcNoInABatchFailsOnlyThatRegistration() {
    ProcurementRequest existing = request("dupb-old", "registered before");
    long existingId = await(store.insertWithEvent(pool, existing, RequestEvents.posted(existing.withId(0)))).id();

    Batching b = new Batching(1, 64);
    List<ProcurementRequest> requests = List.of(
        request("dupb-0", "goes alone, the rest waits for it"),
        request("dupb-old", "exists already"),
        request("dupb-x", "first"),
        request("dupb-y", "y"),
        request("dupb-x", "second"),
        request("dupb-z", "z"));
    List<Future<ProcurementRequest>> answers = b.registerAtOnce(requests);
    awaitSettled(answers);

    assertThat(b.observe(Registrations::statements)).isEqualTo(2);
    assertThat(b.observe(Registrations::largestBatch)).isEqualTo(5);
    assertThat(b.observe(Registrations::batchesRetriedOneByOne)).isZero();
    assertThat(answers.get(0).succeeded()).isTrue();
    assertRefusedAsDuplicate(answers.get(1), "dupb-old");
    assertThat(answers.get(2).succeeded()).isTrue();
    assertThat(answers.get(3).succeeded()).isTrue();
    assertRefusedAsDuplicate(answers.get(4), "dupb-x");
    assertThat(answers.get(5).succeeded()).isTrue();

    // the first registration of dupb-x won, with its own values and its own event
    ProcurementRequest x = await(store.findByProcNo(pool, "dupb-x"));
    assertThat(x.id()).isEqualTo(answers.get(2).result().id());
    assertThat(x.details().procTitle()).isEqualTo("first");
    assertThat(await(store.findByProcNo(pool, "dupb-old")).id()).isEqualTo(existingId);
    assertThat(await(store.findByProcNo(pool, "dupb-old")).details().procTitle()).isEqualTo("registered before");

    List<Row> outbox = outbox("dupb-%");
    assertThat(outbox).extracting(r -> r.getString("proc_no"))
        .containsExactlyInAnyOrder("dupb-old", "dupb-0", "dupb-x", "dupb-y", "dupb-z");
    for (Row row : outbox) {
      JsonObject payload = new JsonObject(row.getString("payload"));
      assertThat(payload.getLong("id")).isEqualTo(row.getLong("request_id"));
      if (row.getString("proc_no").equals("dupb-x")) {
        assertThat(payload.getString("procTitle")).isEqualTo("first");
      }
    }
  }

  @Test
  void aRowPostgresRefusesFailsOnlyItsOwnRegistration() {
    // The API refuses NUL in text already; here it stands for any value PostgreSQL refuses that got past it.
    ProcurementRequest refusedAlone = request("nul-alone", "a\u0000b");
    Throwable today = failureOf(store.insertWithEvent(pool, refusedAlone,
        RequestEvents.posted(refusedAlone.withId(0))));
    assertThat(today).isInstanceOf(PgException.class);

    Batching b = new Batching(1, 64);
    List<ProcurementRequest> requests = List.of(
        request("nul-0", "goes alone, the rest waits for it"),
        request("nul-1", "fine"),
        request("nul-bad", "x\u0000y"),
        request("nul-2", "fine too"));
    List<Future<ProcurementRequest>> answers = b.registerAtOnce(requests);
    awaitSettled(answers);

    // the batch of three was refused as a whole, then each was written on its own
    assertThat(b.observe(Registrations::largestBatch)).isEqualTo(3);
    assertThat(b.observe(Registrations::batchesRetriedOneByOne)).isEqualTo(1);
    assertThat(b.observe(Registrations::statements)).isEqualTo(1 + 1 + 3);
    assertThat(answers.get(0).succeeded()).isTrue();
    assertThat(answers.get(1).succeeded()).isTrue();
    assertThat(answers.get(3).succeeded()).isTrue();
    Throwable refused = answers.get(2).cause();
    assertThat(refused).isInstanceOf(PgException.class);
    assertThat(((PgException) refused).getSqlState()).isEqualTo(((PgException) today).getSqlState());
    assertThat(refused.getMessage()).isEqualTo(today.getMessage());

    assertThat(await(store.findByProcNo(pool, "nul-bad"))).isNull();
    List<Row> outbox = outbox("nul-%");
    assertThat(outbox).extracting(r -> r.getString("proc_no")).containsExactlyInAnyOrder("nul-0", "nul-1", "nul-2");
    for (Row row : outbox) {
      assertThat(new JsonObject(row.getString("payload")).getLong("id")).isEqualTo(row.getLong("request_id"));
    }
  }

  @Test
  void aBatchThatFailsWithoutPostgresRefusingItFailsEveryRegistrationWithoutRetrying() {
    // A refused connection stands for a broken one: whether such a batch committed is unknown, so writing its
    // registrations again one by one could answer 409 for requests that did register. They get the failure.
    Pool unreachable = PgPools.pool(vertx, PgConfig.fromEnv(new Env(java.util.Map.of("PG_HOST", "127.0.0.1",
        "PG_PORT", "1")), "request"));
    Batching b = new Batching(unreachable, 1, 64);
    List<Future<ProcurementRequest>> answers = b.registerAtOnce(IntStream.range(0, 5)
        .mapToObj(i -> request("broken-" + i, "t")).toList());
    awaitSettled(answers);

    assertThat(answers).allMatch(Future::failed);
    assertThat(answers.get(4).cause()).isNotInstanceOf(PgException.class).isNotInstanceOf(RuleViolation.class);
    assertThat(b.observe(Registrations::statements)).as("one alone, one batch of four, no retries").isEqualTo(2);
    assertThat(b.observe(Registrations::batchesRetriedOneByOne)).isZero();
    await(unreachable.close());
  }

  @Test
  void registrationsBeyondTheWaitLimitAreRefusedAtOnceAsTransient() {
    Batching b = new Batching(1, 64);
    int count = Registrations.MAX_WAITING + 2;
    List<Future<ProcurementRequest>> answers = b.registerAtOnce(IntStream.range(0, count)
        .mapToObj(i -> request("wait-" + i, "t")).toList());
    awaitSettled(answers);

    // one goes at once, MAX_WAITING wait their turn, the last finds the queue full
    assertThat(answers.subList(0, count - 1)).allMatch(Future::succeeded);
    assertThat(answers.get(count - 1).cause()).isInstanceOf(Failures.TransientFailure.class);
    assertThat(Failures.isTransient(answers.get(count - 1).cause())).isTrue();
    assertThat(await(store.findByProcNo(pool, "wait-" + (count - 1)))).isNull();
  }

  @Test
  void theMultiRowStatementWritesNullOptionalValuesAndThePayloadByteForByte() {
    // straight through the store: no single-row fallback could hide a broken array parameter here
    String title = "{\"id\":0, \"procNo\":\"x\"} 의자 — \"quoted\" \\ back";
    List<ProcurementRequest> fresh = List.of(
        ProcurementRequest.register("multi-1", new RequestDetails(title, null, null, null, null), Timestamps.now()),
        ProcurementRequest.register("multi-2", new RequestDetails("t", "내용", 9_007_199_254_740_991L, "조달청",
            0.25), Timestamps.now()));
    List<EventEnvelope> events = fresh.stream().map(r -> RequestEvents.posted(r.withId(0))).toList();

    List<Long> ids = await(store.insertAllWithEvents(pool, fresh, events));

    assertThat(ids).hasSize(2).doesNotContainNull();
    List<Row> outbox = outbox("multi-%");
    assertThat(outbox).hasSize(2);
    for (int i = 0; i < fresh.size(); i++) {
      ProcurementRequest stored = await(store.findById(pool, ids.get(i)));
      assertThat(stored.procNo()).isEqualTo(fresh.get(i).procNo());
      assertThat(stored.details()).isEqualTo(fresh.get(i).details());
      Row row = outbox.stream().filter(o -> o.getString("proc_no").equals(stored.procNo())).findFirst().orElseThrow();
      assertThat(row.getUUID("event_id")).isEqualTo(events.get(i).eventId());
      // exactly the single-row statement's splice: the real id in the head, the rest as encoded
      assertThat(row.getString("payload"))
          .isEqualTo("{\"id\":" + ids.get(i) + "," + events.get(i).encode().substring("{\"id\":0,".length()));
    }
  }

  @Test
  void theBatchSettingsMustBePositive() {
    assertThatThrownBy(() -> new Registrations.Options(0, 64)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Registrations.Options(8, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- helpers ----

  /** A Registrations of its own (own context, own meters), so each test sees only its own statements. */
  private final class Batching {
    final Context context = vertx.getOrCreateContext();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final Registrations registrations;

    Batching(int maxInFlight, int maxBatch) {
      this(pool, maxInFlight, maxBatch);
    }

    Batching(Pool client, int maxInFlight, int maxBatch) {
      registrations = new Registrations(context, client, store, new Registrations.Options(maxInFlight, maxBatch),
          meters);
    }

    /** Registers all of them in one event-loop turn, so none can have finished before the last one arrives. */
    List<Future<ProcurementRequest>> registerAtOnce(List<ProcurementRequest> requests) {
      CompletableFuture<List<Future<ProcurementRequest>>> fired = new CompletableFuture<>();
      context.runOnContext(v -> {
        try {
          fired.complete(requests.stream().map(r -> registrations.register(r, RequestEvents.posted(r.withId(0))))
              .toList());
        } catch (RuntimeException e) {
          fired.completeExceptionally(e);
        }
      });
      return fired.orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** Reads the state on the context that owns it, after everything the context was doing finished. */
    <T> T observe(java.util.function.Function<Registrations, T> read) {
      CompletableFuture<T> value = new CompletableFuture<>();
      context.runOnContext(v -> value.complete(read.apply(registrations)));
      return value.orTimeout(30, TimeUnit.SECONDS).join();
    }

    DistributionSummary batchSizes() {
      return meters.get("registrations_batch_size").summary();
    }
  }

  private static ProcurementRequest request(String procNo, String title) {
    return ProcurementRequest.register(procNo, new RequestDetails(title, "contents of " + procNo, 1_000L, "조달청",
        3.5), Timestamps.now());
  }

  private static List<ProcurementRequest> awaitAll(List<Future<ProcurementRequest>> answers) {
    return answers.stream().map(f -> await(f)).toList();
  }

  private static void awaitSettled(List<Future<ProcurementRequest>> answers) {
    answers.forEach(RegistrationsTest::failureOf);
  }

  private static Throwable failureOf(Future<?> future) {
    try {
      await(future);
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  private static void assertRefusedAsDuplicate(Future<ProcurementRequest> answer, String procNo) {
    assertThat(answer.failed()).isTrue();
    assertThat(answer.cause()).isInstanceOf(RuleViolation.class)
        .hasMessage("A procurement request with procNo " + procNo + " already exists.");
  }

  /**
   * The outbox rows of these procNos in outbox id order, each with the id of the request of its procNo, which must
   * have committed in the same transaction.
   */
  private List<Row> outbox(String procNoLike) {
    List<Row> rows = new ArrayList<>();
    await(pool.preparedQuery("SELECT o.id, o.event_id, o.proc_no, o.event_type, o.payload, r.id AS request_id, "
            + "o.xmin::text = r.xmin::text AS same_transaction FROM outbox o "
            + "JOIN procurement_request r USING (proc_no) WHERE o.proc_no LIKE $1 ORDER BY o.id")
        .execute(Tuple.of(procNoLike))).forEach(rows::add);
    assertThat(new HashSet<>(rows.stream().map(r -> r.getLong("id")).toList())).hasSize(rows.size());
    assertThat(rows).allMatch(r -> r.getBoolean("same_transaction"));
    return rows;
  }

  /** How many transactions wrote the requests of these procNos (rows one statement wrote share its xmin). */
  private long transactions(String procNoLike) {
    return await(pool.preparedQuery("SELECT count(DISTINCT xmin::text) AS n FROM procurement_request "
            + "WHERE proc_no LIKE $1").execute(Tuple.of(procNoLike))).iterator().next().getLong("n");
  }
}
