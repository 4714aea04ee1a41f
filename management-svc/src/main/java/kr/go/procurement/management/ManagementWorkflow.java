package kr.go.procurement.management;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;
import kr.go.procurement.management.domain.DeliveryManagement;
import kr.go.procurement.management.domain.Supplier;
import kr.go.procurement.management.events.ManagementEvents;
import kr.go.procurement.management.store.DeliveryManagementStore;
import kr.go.procurement.platform.domain.RuleViolation;
import kr.go.procurement.platform.outbox.Outbox;

/**
 * The commands of management-svc. Each is one transaction that changes the record and writes its event (if any) to
 * the outbox; a lost race against another command or event (the version moved) is retried on the fresh state, never
 * silently overwritten.
 */
public final class ManagementWorkflow {

  /** No record has this id or procNo. */
  public static final class NotFound extends RuntimeException {
    public NotFound(String message) {
      super(message, null, false, false);
    }
  }

  /** The client's {@code If-Match} names an older version than the stored one. */
  public static final class StaleVersion extends RuntimeException {
    public StaleVersion(String message) {
      super(message, null, false, false);
    }
  }

  /** The procNo in the body is not the record's. */
  public static final class ProcNoMismatch extends RuntimeException {
    public ProcNoMismatch(String actual) {
      super("procNo does not match this record (" + actual + ")", null, false, false);
    }
  }

  /** Another command changed the record between our read and our write. */
  private static final class LostRace extends RuntimeException {
    LostRace() {
      super(null, null, false, false);
    }
  }

  private static final int ATTEMPTS = 5;

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

  public Future<DeliveryManagementStore.Page> page(String sort, boolean asc, long offset, int limit) {
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
    return withRetry(ATTEMPTS, () -> pool.withTransaction(tx -> load(tx, id, ifMatch).compose(current -> {
      if (procNo != null && !procNo.equals(current.procNo())) {
        throw new ProcNoMismatch(current.procNo());
      }
      DeliveryManagement next = current.issueDeliveryOrder(supplier, Instant.now());
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
    return withRetry(ATTEMPTS, () -> store.findByProcNo(pool, procNo).compose(current -> {
      if (current == null) {
        throw new NotFound("No delivery management record has procNo " + procNo + ".");
      }
      DeliveryManagement next = current.recordInspectionResult(succeeded, announced, Instant.now());
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
        throw new StaleVersion("The record was changed since you read it (version " + m.version() + ", you sent "
            + ifMatch + "); read it again.");
      }
      return m;
    });
  }

  private Future<DeliveryManagement> save(SqlClient client, DeliveryManagement next) {
    return store.update(client, next).compose(updated -> updated
        ? Future.succeededFuture(next)
        : Future.failedFuture(new LostRace()));
  }

  private static DeliveryManagement require(DeliveryManagement m, long id) {
    if (m == null) {
      throw new NotFound("No delivery management record has id " + id + ".");
    }
    return m;
  }

  private static <T> Future<T> withRetry(int attempts, java.util.function.Supplier<Future<T>> action) {
    return action.get().recover(e -> {
      if (e instanceof LostRace) {
        if (attempts > 1) {
          return withRetry(attempts - 1, action);
        }
        return Future.failedFuture(new RuleViolation("The record is being changed by someone else right now; "
            + "try again."));
      }
      return Future.failedFuture(e);
    });
  }
}
