package kr.go.procurement.request;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;
import kr.go.procurement.platform.domain.NotFound;
import kr.go.procurement.platform.domain.ProcNoMismatch;
import kr.go.procurement.platform.domain.StaleVersion;
import kr.go.procurement.platform.domain.Timestamps;
import kr.go.procurement.platform.outbox.Outbox;
import kr.go.procurement.platform.store.OptimisticRetry;
import kr.go.procurement.platform.store.PageQuery;
import kr.go.procurement.request.client.ManagementClient;
import kr.go.procurement.request.domain.ProcurementRequest.ResultDecision;
import kr.go.procurement.request.domain.ProcurementRequest;
import kr.go.procurement.request.domain.RequestDetails;
import kr.go.procurement.request.events.RequestEvents;
import kr.go.procurement.request.store.ProcurementRequestStore;
import kr.go.procurement.request.store.Registrations;

/**
 * The commands of request-svc. Each is one transaction that changes the request and writes its event to the outbox;
 * a lost race against another command (the version moved) is retried on the fresh state ({@link OptimisticRetry}).
 */
public final class RequestWorkflow {

  private final Pool pool;
  private final ProcurementRequestStore store;
  private final Registrations registrations;
  private final ManagementClient management;

  public RequestWorkflow(Pool pool, ProcurementRequestStore store, Registrations registrations,
                         ManagementClient management) {
    this.pool = pool;
    this.store = store;
    this.registrations = registrations;
    this.management = management;
  }

  /**
   * One statement inserts the request and its {@code ProcurementRequestPosted} outbox row (one round trip instead of
   * BEGIN, two INSERTs and COMMIT), together with other registrations when they arrive faster than they commit
   * ({@link Registrations}); the answer comes after its commit, the event is published only after it.
   */
  public Future<ProcurementRequest> register(String procNo, RequestDetails details) {
    ProcurementRequest fresh = ProcurementRequest.register(procNo, details, Timestamps.now());
    return registrations.register(fresh, RequestEvents.posted(fresh.withId(0)));
  }

  public Future<ProcurementRequest> find(long id) {
    return store.findById(pool, id).map(r -> require(r, id));
  }

  public Future<ProcurementRequest> findByProcNo(String procNo) {
    return store.findByProcNo(pool, procNo);
  }

  public Future<PageQuery.Page<ProcurementRequest>> page(boolean inspectionOnly, String sort, boolean asc, long offset,
                                                   int limit) {
    return store.page(pool, inspectionOnly, sort, asc, offset, limit);
  }

  /**
   * Edits a request that is still POSTED. The edit is published again as {@code ProcurementRequestPosted} (the
   * request as posted now), so management and the status board follow it. An edit that changes nothing (an empty
   * PATCH, or the stored values sent again) writes nothing and publishes nothing: the request comes back as it is.
   */
  public Future<ProcurementRequest> edit(long id, Integer ifMatch, Function<ProcurementRequest, RequestDetails> edit) {
    return OptimisticRetry.withRetry(() -> pool.withTransaction(tx -> load(tx, id, ifMatch).compose(current -> {
      ProcurementRequest next = current.edit(edit.apply(current), Timestamps.now());
      if (next == current) {
        return Future.succeededFuture(current);
      }
      return save(tx, next).compose(saved -> Outbox.append(tx, RequestEvents.posted(saved)).map(saved));
    })));
  }

  /** Cancels; cancelling an already cancelled request changes nothing and publishes nothing. */
  public Future<ProcurementRequest> cancel(long id, Integer ifMatch) {
    return OptimisticRetry.withRetry(() -> pool.withTransaction(tx -> load(tx, id, ifMatch).compose(current -> {
      if (current.isCancelled()) {
        return Future.succeededFuture(current);
      }
      ProcurementRequest next = current.cancel(Timestamps.now());
      return save(tx, next).compose(saved -> Outbox.append(tx, RequestEvents.canceled(saved)).map(saved));
    })));
  }

  /**
   * Registers the inspection result (검사결과 등록). Management is told first, synchronously: if it cannot be reached
   * nothing is stored and no event is published. Its side is idempotent, so the commit afterwards may safely be
   * retried on a fresh read if another command moved the version meanwhile.
   *
   * @param procNo the procNo the client named, which must be this request's, or null
   */
  public Future<ProcurementRequest> registerInspectionResult(long id, String procNo, boolean succeeded,
                                                             String contents, Integer ifMatch) {
    return load(pool, id, ifMatch).compose(current -> {
      ProcNoMismatch.check(procNo, current.procNo());
      if (current.decideInspectionResult(succeeded) == ResultDecision.ALREADY_RECORDED) {
        return Future.succeededFuture(current);
      }
      return management.announceInspectionResult(current, succeeded)
          .compose(v -> OptimisticRetry.withRetry(() -> pool.withTransaction(tx -> load(tx, id, null).compose(fresh -> {
            if (fresh.decideInspectionResult(succeeded) == ResultDecision.ALREADY_RECORDED) {
              return Future.succeededFuture(fresh);
            }
            ProcurementRequest next = fresh.recordInspectionResult(succeeded, contents, Timestamps.now());
            return save(tx, next)
                .compose(saved -> Outbox.append(tx, RequestEvents.inspectionResultPatched(saved)).map(saved));
          }))));
    });
  }

  private Future<ProcurementRequest> load(io.vertx.sqlclient.SqlClient client, long id, Integer ifMatch) {
    return store.findById(client, id).map(r -> {
      require(r, id);
      if (ifMatch != null && ifMatch != r.version()) {
        throw new StaleVersion(r.version(), ifMatch);
      }
      return r;
    });
  }

  private Future<ProcurementRequest> save(SqlConnection tx, ProcurementRequest next) {
    return store.update(tx, next).compose(updated -> OptimisticRetry.wrote(updated, next));
  }

  private static ProcurementRequest require(ProcurementRequest r, long id) {
    if (r == null) {
      throw new NotFound("No procurement request has id " + id + ".");
    }
    return r;
  }
}
