package kr.go.procurement.management;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import kr.go.procurement.management.api.ManagementApi;
import kr.go.procurement.management.events.ManagementEventHandlers;
import kr.go.procurement.management.store.DeliveryManagementStore;
import kr.go.procurement.platform.consumer.EventConsumer;
import kr.go.procurement.platform.events.KafkaReachability;
import kr.go.procurement.platform.health.Readiness;
import kr.go.procurement.platform.http.HttpServers;
import kr.go.procurement.platform.metrics.Metrics;
import kr.go.procurement.platform.outbox.OutboxRelay;
import kr.go.procurement.platform.runtime.Lifecycle;
import kr.go.procurement.platform.store.Migrations;
import kr.go.procurement.platform.store.PgPools;

/** management-svc (납품관리): migrations, then the outbox relay, the event consumer and the HTTP API. */
public final class ManagementVerticle extends VerticleBase {

  private final ManagementConfig config;
  private Pool pool;
  private OutboxRelay relay;
  private EventConsumer consumer;
  private KafkaReachability kafka;
  private HttpServer server;

  public ManagementVerticle(ManagementConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    Readiness readiness = Readiness.create(vertx);
    MeterRegistry registry = Metrics.registry();
    return Migrations.migrate(vertx, config.pg()).compose(applied -> {
      pool = PgPools.pool(vertx, config.pg());
      DeliveryManagementStore store = new DeliveryManagementStore();
      relay = new OutboxRelay(vertx, pool, PgPools.connectOptions(config.pg()), config.kafka(),
          OutboxRelay.Options.defaults(), registry);
      consumer = new EventConsumer(vertx, config.kafka(), new ManagementEventHandlers(pool, store).handlers(),
          registry);
      kafka = new KafkaReachability(vertx, config.kafka());
      readiness.register("postgres", () -> pool.query("SELECT 1").execute());
      readiness.register("kafka", kafka::probe);

      Router router = HttpServers.router(vertx, readiness);
      new ManagementApi(new ManagementWorkflow(pool, store)).mount(router);
      return relay.start()
          .compose(v -> consumer.start())
          .compose(v -> HttpServers.listen(vertx, router, config.httpPort()));
    }).onSuccess(s -> {
      server = s;
      readiness.markStarted();
    });
  }

  @Override
  public Future<?> stop() {
    // In-flight requests finish first; then the consumer commits what it applied; the relay finishes its batch.
    Future<Void> http = Lifecycle.shutdownGracefully(server);
    return http
        .eventually(() -> consumer == null ? Future.succeededFuture() : consumer.stop())
        .eventually(() -> relay == null ? Future.succeededFuture() : relay.stop())
        .eventually(() -> kafka == null ? Future.succeededFuture() : kafka.close())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }

  public int actualPort() {
    return server.actualPort();
  }
}
