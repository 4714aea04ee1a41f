package kr.go.procurement.management;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import kr.go.procurement.management.api.ManagementApi;
import kr.go.procurement.management.events.ManagementEventHandlers;
import kr.go.procurement.management.faults.FaultInjection;
import kr.go.procurement.management.store.DeliveryManagementStore;
import kr.go.procurement.platform.runtime.PgServiceRuntime;

/** management-svc (납품관리): the platform's PostgreSQL service runtime around this service's API and event handlers. */
public final class ManagementVerticle extends VerticleBase {

  private final ManagementConfig config;
  private final DeliveryManagementStore store = new DeliveryManagementStore();
  private PgServiceRuntime runtime;

  public ManagementVerticle(ManagementConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    return PgServiceRuntime.start(vertx, config.pg(), config.kafka(), config.httpPort(),
            pool -> new ManagementEventHandlers(pool, store).handlers(),
            (pool, router) -> {
              if (config.faultInjection()) {
                new FaultInjection(vertx).mount(router);
              }
              new ManagementApi(new ManagementWorkflow(pool, store)).mount(router);
            })
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
