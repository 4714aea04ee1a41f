package kr.go.procurement.request.store;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.SqlClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import kr.go.procurement.platform.consumer.Failures;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.store.PgPools;
import kr.go.procurement.request.domain.ProcurementRequest;

/**
 * New procurement requests on their way to PostgreSQL, written together when they arrive faster than they commit
 * (group commit). Most of a registration's database cost is its transaction (the commit and its WAL flush, the
 * outbox trigger's NOTIFY, the round trip), so under load one statement for many registrations is much cheaper.
 *
 * <p>Nothing ever waits for company: a registration that finds fewer than {@code maxInFlight} statements running
 * is sent at once, alone, with the single-row statement. Only while all of them are running do registrations queue;
 * as soon as one finishes, everything queued (up to {@code maxBatch}) goes in one multi-row statement. So the batch
 * size follows the load by itself, with no timer.
 *
 * <p>Each answer still comes only after its own row committed, with its own id or its own failure: a procNo that
 * exists already (or earlier in the batch) fails only that registration; if PostgreSQL refuses the statement as a
 * whole (a value it rejects), each registration of that batch is written again on its own, so only the bad one fails,
 * with the error it would have got alone.
 *
 * <p>Confined to one Vert.x context (the verticle's event loop): no locks, and the statements' results come back on
 * the same context. A call from elsewhere is handed over to it.
 */
public final class Registrations {

  /**
   * @param maxInFlight registration statements running at once; more wait and are written together
   * @param maxBatch    registrations one statement writes at most
   */
  public record Options(int maxInFlight, int maxBatch) {
    public Options {
      if (maxInFlight < 1 || maxBatch < 1) {
        throw new IllegalArgumentException("maxInFlight and maxBatch must be at least 1, got " + maxInFlight
            + " and " + maxBatch);
      }
    }
  }

  /** As long as the pool's wait queue: beyond it, a registration is refused at once as a transient failure (503). */
  static final int MAX_WAITING = PgPools.MAX_WAIT_QUEUE;

  private record Pending(ProcurementRequest request, EventEnvelope event, Promise<ProcurementRequest> answer) {
  }

  private final Context context;
  private final SqlClient client;
  private final ProcurementRequestStore store;
  private final Options options;
  private final DistributionSummary batchSizes;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private int inFlight;
  // what the tests observe: counting here is free, the context is single-threaded
  private long statements;
  private int largestBatch;
  private long retriedOneByOne;

  public Registrations(Context context, SqlClient client, ProcurementRequestStore store, Options options,
                       MeterRegistry registry) {
    this.context = context;
    this.client = client;
    this.store = store;
    this.options = options;
    this.batchSizes = DistributionSummary.builder("registrations_batch_size")
        .description("Registrations sent together in one statement (1 = alone; a refused batch's one-by-one retries "
            + "are not counted again)")
        .register(registry);
  }

  /**
   * Inserts the request and its event, alone or together with others.
   *
   * @param event the request's event, built for the request with id 0 (see
   *              {@link ProcurementRequestStore#insertWithEvent})
   * @return the request with its id, once its row committed
   */
  public Future<ProcurementRequest> register(ProcurementRequest request, EventEnvelope event) {
    Promise<ProcurementRequest> answer = Promise.promise();
    Pending pending = new Pending(request, event, answer);
    if (Vertx.currentContext() == context) {
      enqueue(pending);
    } else {
      context.runOnContext(v -> enqueue(pending));
    }
    return answer.future();
  }

  private void enqueue(Pending pending) {
    if (waiting.size() >= MAX_WAITING) {
      pending.answer().fail(new Failures.TransientFailure("too many registrations are waiting for the database"));
      return;
    }
    waiting.add(pending);
    sendWhileSlotsAreFree();
  }

  private void sendWhileSlotsAreFree() {
    while (inFlight < options.maxInFlight() && !waiting.isEmpty()) {
      List<Pending> batch = new ArrayList<>(Math.min(waiting.size(), options.maxBatch()));
      while (batch.size() < options.maxBatch() && !waiting.isEmpty()) {
        batch.add(waiting.poll());
      }
      inFlight++;
      batchSizes.record(batch.size());
      write(batch).onComplete((v, e) -> {
        inFlight--;
        sendWhileSlotsAreFree();
      });
    }
  }

  /** Completes every answer of the batch; never fails itself. */
  private Future<Void> write(List<Pending> batch) {
    if (batch.size() == 1) {
      return alone(batch.get(0));
    }
    statements++;
    largestBatch = Math.max(largestBatch, batch.size());
    Future<List<Long>> written;
    try {
      written = store.insertAllWithEvents(client, batch.stream().map(Pending::request).toList(),
          batch.stream().map(Pending::event).toList());
    } catch (RuntimeException e) {
      written = Future.failedFuture(e);
    }
    return written.transform((ids, failure) -> {
      if (failure != null && (!(failure instanceof PgException) || Failures.isTransient(failure))) {
        // Not a refusal of the statement (the connection broke, the database is restarting): whether it committed
        // is unknown, so every registration of the batch gets the failure, as it would have alone.
        batch.forEach(p -> p.answer().fail(failure));
        return Future.succeededFuture();
      }
      if (failure != null) {
        // One registration's bad value must not fail the others: each gets the outcome it would have had alone.
        retriedOneByOne++;
        return Future.join(batch.stream().map(this::alone).toList()).mapEmpty();
      }
      for (int i = 0; i < batch.size(); i++) {
        Pending p = batch.get(i);
        Long id = ids.get(i);
        if (id == null) {
          p.answer().fail(ProcurementRequestStore.alreadyExists(p.request().procNo()));
        } else {
          p.answer().complete(p.request().withId(id));
        }
      }
      return Future.succeededFuture();
    });
  }

  private Future<Void> alone(Pending p) {
    statements++;
    largestBatch = Math.max(largestBatch, 1);
    Future<ProcurementRequest> written;
    try {
      written = store.insertWithEvent(client, p.request(), p.event());
    } catch (RuntimeException e) {
      written = Future.failedFuture(e);
    }
    return written.onComplete(p.answer()).transform((r, e) -> Future.succeededFuture());
  }

  int inFlight() {
    return inFlight;
  }

  int waiting() {
    return waiting.size();
  }

  /** Statements sent to PostgreSQL so far: single-row ones (alone or retried) and multi-row ones. */
  long statements() {
    return statements;
  }

  /** The most registrations one statement sent so far carried. */
  int largestBatch() {
    return largestBatch;
  }

  /** Multi-row statements PostgreSQL refused as a whole, whose registrations were then written one by one. */
  long batchesRetriedOneByOne() {
    return retriedOneByOne;
  }
}
