package kr.go.procurement.delivery;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import kr.go.procurement.delivery.api.DeliveryApi;
import kr.go.procurement.delivery.events.DeliveryEventHandlers;
import kr.go.procurement.delivery.store.GoodsDeliveryStore;
import kr.go.procurement.platform.runtime.PgServiceRuntime;

/** delivery-svc (물품납품): the platform's PostgreSQL service runtime around this service's API and event handlers. */
public final class DeliveryVerticle extends VerticleBase {

  private final DeliveryConfig config;
  private final GoodsDeliveryStore store = new GoodsDeliveryStore();
  private PgServiceRuntime runtime;

  public DeliveryVerticle(DeliveryConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    return PgServiceRuntime.start(vertx, config.pg(), config.kafka(), config.httpPort(),
            pool -> new DeliveryEventHandlers(pool, store).handlers(),
            (pool, router) -> new DeliveryApi(new DeliveryWorkflow(pool, store)).mount(router))
        .onSuccess(started -> runtime = started);
  }

  @Override
  public Future<?> stop() {
    return runtime == null ? Future.succeededFuture() : runtime.stop();
  }

  public int actualPort() {
    return runtime.actualPort();
  }
}
