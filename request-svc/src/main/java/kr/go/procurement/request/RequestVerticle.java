package kr.go.procurement.request;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import kr.go.procurement.platform.metrics.Metrics;
import kr.go.procurement.platform.runtime.PgServiceRuntime;
import kr.go.procurement.request.api.RequestApi;
import kr.go.procurement.request.client.ManagementClient;
import kr.go.procurement.request.events.RequestEventHandlers;
import kr.go.procurement.request.store.ProcurementRequestStore;
import kr.go.procurement.request.store.Registrations;

/**
 * request-svc (납품요구): the platform's PostgreSQL service runtime around this service's API, its event handlers
 * and the circuit-broken client of management. The breaker is deliberately not a readiness check: an open circuit
 * must not take request-svc out of rotation, or a management outage would become a request outage too.
 */
public final class RequestVerticle extends VerticleBase {

  private final RequestConfig config;
  private final ProcurementRequestStore store = new ProcurementRequestStore();
  private ManagementClient management;
  private PgServiceRuntime runtime;

  public RequestVerticle(RequestConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    management = new ManagementClient(vertx, config.management(), Metrics.registry());
    return PgServiceRuntime.start(vertx, config.pg(), config.kafka(), config.httpPort(),
            pool -> new RequestEventHandlers(pool, store).handlers(),
            (pool, router) -> new RequestApi(new RequestWorkflow(pool, store,
                new Registrations(context, pool, store, config.registrations(), Metrics.registry()), management),
                config.management().resetTimeout().toSeconds()).mount(router))
        .onSuccess(started -> runtime = started);
  }

  @Override
  public Future<?> stop() {
    Future<Void> stopped = runtime == null ? Future.succeededFuture() : runtime.stop();
    return stopped.eventually(() -> {
      management.close();
      return Future.succeededFuture();
    });
  }

  public int actualPort() {
    return runtime.actualPort();
  }
}
