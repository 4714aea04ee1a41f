package kr.go.procurement.delivery;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.function.Function;
import kr.go.procurement.delivery.domain.GoodsDelivery;
import kr.go.procurement.delivery.domain.InspectionRequest;
import kr.go.procurement.delivery.events.DeliveryEvents;
import kr.go.procurement.delivery.store.GoodsDeliveryStore;
import kr.go.procurement.platform.domain.NotFound;
import kr.go.procurement.platform.domain.ProcNoMismatch;
import kr.go.procurement.platform.domain.StaleVersion;
import kr.go.procurement.platform.domain.Timestamps;
import kr.go.procurement.platform.outbox.Outbox;
import kr.go.procurement.platform.store.OptimisticRetry;
import kr.go.procurement.platform.store.PageQuery;

/**
 * The commands of delivery-svc. Each is one transaction that changes the delivery and writes its event to the
 * outbox; a lost race against another command or event (the version moved) is retried on the fresh state, never
 * silently overwritten.
 *
 * <p>Every method takes the caller's company scope: null for a caller who may see everything, else the company
 * whose deliveries alone the caller may see and act on (a supplier). Another company's delivery does not exist for
 * reads (404); acting on it is forbidden (403).
 */
public final class DeliveryWorkflow {

  /** The delivery belongs to another supplier than the caller's company. */
  public static final class NotYours extends RuntimeException {
    public NotYours(String message) {
      super(message, null, false, false);
    }
  }

  private final Pool pool;
  private final GoodsDeliveryStore store;

  public DeliveryWorkflow(Pool pool, GoodsDeliveryStore store) {
    this.pool = pool;
    this.store = store;
  }

  public Future<GoodsDelivery> find(long id, String companyScope) {
    return store.findById(pool, id).map(d -> {
      if (d == null || !visible(d, companyScope)) {
        throw new NotFound("No goods delivery has id " + id + ".");
      }
      return d;
    });
  }

  /** The delivery of {@code procNo}, or null if there is none the caller may see. */
  public Future<GoodsDelivery> findByProcNo(String procNo, String companyScope) {
    return store.findByProcNo(pool, procNo).map(d -> d != null && visible(d, companyScope) ? d : null);
  }

  public Future<PageQuery.Page<GoodsDelivery>> page(String companyScope, String sort, boolean asc, long offset,
                                              int limit) {
    return store.page(pool, companyScope, sort, asc, offset, limit);
  }

  /**
   * Registers (or corrects) the inspection request (검사검수요청서) and publishes {@code InspectionRequestPatched}.
   * Sending the same request again answers the delivery unchanged and publishes nothing.
   *
   * @param procNo  the procNo the client named, which must be this record's, or null
   * @param request builds the request from the current delivery (a PATCH keeps the fields it does not name)
   */
  public Future<GoodsDelivery> requestInspection(long id, String procNo, String companyScope, Integer ifMatch,
                                                 Function<GoodsDelivery, InspectionRequest> request) {
    return OptimisticRetry.withRetry(() -> pool.withTransaction(tx -> load(tx, id, companyScope, ifMatch)
        .compose(current -> {
          if (procNo != null && !procNo.equals(current.procNo())) {
            throw new ProcNoMismatch(current.procNo());
          }
          GoodsDelivery next = current.requestInspection(request.apply(current), Timestamps.now());
          if (next == current) {
            return Future.succeededFuture(current);
          }
          return save(tx, next)
              .compose(saved -> Outbox.append(tx, DeliveryEvents.inspectionRequestPatched(saved)).map(saved));
        })));
  }

  /** Loads for a command: unknown → 404, another company's → 403, then the If-Match check (which needs access). */
  private Future<GoodsDelivery> load(SqlClient client, long id, String companyScope, Integer ifMatch) {
    return store.findById(client, id).map(d -> {
      if (d == null) {
        throw new NotFound("No goods delivery has id " + id + ".");
      }
      if (!visible(d, companyScope)) {
        throw new NotYours("Goods delivery " + id + " belongs to another supplier; you can only request inspection "
            + "of your own company's deliveries.");
      }
      if (ifMatch != null && ifMatch != d.version()) {
        throw new StaleVersion(d.version(), ifMatch);
      }
      return d;
    });
  }

  private static boolean visible(GoodsDelivery d, String companyScope) {
    return companyScope == null || companyScope.equals(d.supplier().companyNo());
  }

  private Future<GoodsDelivery> save(SqlClient client, GoodsDelivery next) {
    return store.update(client, next).compose(updated -> OptimisticRetry.wrote(updated, next));
  }
}
