package kr.go.procurement.management;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import kr.go.procurement.management.domain.DeliveryManagement;
import kr.go.procurement.management.domain.Supplier;
import kr.go.procurement.management.events.ManagementEvents;
import kr.go.procurement.management.store.DeliveryManagementStore;
import kr.go.procurement.platform.domain.NotFound;
import kr.go.procurement.platform.domain.ProcNoMismatch;
import kr.go.procurement.platform.domain.StaleVersion;
import kr.go.procurement.platform.domain.Timestamps;
import kr.go.procurement.platform.outbox.Outbox;
import kr.go.procurement.platform.store.OptimisticRetry;
import kr.go.procurement.platform.store.PageQuery;

/**
 * The commands of management-svc. Each is one transaction that changes the record and writes its event (if any) to
 * the outbox; a lost race against another command or event (the version moved) is retried on the fresh state, never
 * silently overwritten.
 */
public final class ManagementWorkflow {

  private final Pool pool;
  private final DeliveryManagementStore store;

  public ManagementWorkflow(Pool pool, DeliveryManagementStore store) {
    this.pool = pool;
    this.store = store;
  }

  public Future<DeliveryManagement> find(long id) {
    return store.findById(pool, id).map(m -> require(m, id));
  }

  public Future<DeliveryManagement> findByProcNo(String procNo) {
    return store.findByProcNo(pool, procNo);
  }

  public Future<PageQuery.Page<DeliveryManagement>> page(String sort, boolean asc, long offset, int limit) {
    return store.page(pool, sort, asc, offset, limit);
  }

  /**
   * Issues the delivery order (납품요구서) and publishes {@code DeliveryRequestPatched}. Issuing it again to the same
   * supplier answers the record unchanged and publishes nothing.
   *
   * @param procNo the procNo the client named, which must be this record's, or null
   */
  public Future<DeliveryManagement> issueDeliveryOrder(long id, String procNo, Supplier supplier,
                                                       Integer ifMatch) {
    return OptimisticRetry.withRetry(() -> pool.withTransaction(tx -> load(tx, id, ifMatch).compose(current -> {
      if (procNo != null && !procNo.equals(current.procNo())) {
        throw new ProcNoMismatch(current.procNo());
      }
      DeliveryManagement next = current.issueDeliveryOrder(supplier, Timestamps.now());
      if (next == current) {
        return Future.succeededFuture(current);
      }
      return save(tx, next)
          .compose(saved -> Outbox.append(tx, ManagementEvents.deliveryRequestPatched(saved)).map(saved));
    })));
  }

  /**
   * Records the inspection result that request-svc announces synchronously (검사결과 공지). It publishes nothing, so
   * it needs no transaction: one read and one version-checked write keep it fast on the caller's 1 s budget.
   */
  public Future<DeliveryManagement> recordInspectionResult(String procNo, boolean succeeded, Supplier announced) {
    return OptimisticRetry.withRetry(() -> store.findByProcNo(pool, procNo).compose(current -> {
      if (current == null) {
        throw new NotFound("No delivery management record has procNo " + procNo + ".");
      }
      DeliveryManagement next = current.recordInspectionResult(succeeded, announced, Timestamps.now());
      if (next == current) {
        return Future.succeededFuture(current);
      }
      return save(pool, next);
    }));
  }

  private Future<DeliveryManagement> load(SqlClient client, long id, Integer ifMatch) {
    return store.findById(client, id).map(m -> {
      require(m, id);
      if (ifMatch != null && ifMatch != m.version()) {
        throw new StaleVersion(m.version(), ifMatch);
      }
      return m;
    });
  }

  private Future<DeliveryManagement> save(SqlClient client, DeliveryManagement next) {
    return store.update(client, next).compose(updated -> OptimisticRetry.wrote(updated, next));
  }

  private static DeliveryManagement require(DeliveryManagement m, long id) {
    if (m == null) {
      throw new NotFound("No delivery management record has id " + id + ".");
    }
    return m;
  }
}
