package kr.go.procurement.platform.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import kr.go.procurement.platform.config.KafkaConfig;
import kr.go.procurement.platform.config.PgConfig;
import kr.go.procurement.platform.consumer.EventConsumer;
import kr.go.procurement.platform.consumer.EventHandler;
import kr.go.procurement.platform.consumer.PgIdempotentHandler;
import kr.go.procurement.platform.events.KafkaReachability;
import kr.go.procurement.platform.health.Readiness;
import kr.go.procurement.platform.http.HttpServers;
import kr.go.procurement.platform.metrics.Metrics;
import kr.go.procurement.platform.outbox.OutboxRelay;
import kr.go.procurement.platform.store.Migrations;
import kr.go.procurement.platform.store.PgPools;

/**
 * What every PostgreSQL-backed service runs around its own API and event handlers: migrations, the connection pool,
 * the outbox relay, the event consumer, readiness (PostgreSQL, and Kafka reached once) and the HTTP server. A
 * service's verticle starts one in {@code start()} and stops it in {@code stop()}.
 */
public final class PgServiceRuntime {

  private final Pool pool;
  private final OutboxRelay relay;
  private final EventConsumer consumer;
  private final KafkaReachability kafka;
  private HttpServer server;

  private PgServiceRuntime(Pool pool, OutboxRelay relay, EventConsumer consumer, KafkaReachability kafka) {
    this.pool = pool;
    this.relay = relay;
    this.consumer = consumer;
    this.kafka = kafka;
  }

  /**
   * Starts the service: readiness turns UP only once everything here has started.
   *
   * @param handlers the service's event handlers, given its pool
   * @param routes   mounts the service's API on the router (after health, metrics and the body limit), given its pool
   */
  public static Future<PgServiceRuntime> start(Vertx vertx, PgConfig pg, KafkaConfig kafka, int httpPort,
                                               Function<Pool, Map<String, EventHandler>> handlers,
                                               BiConsumer<Pool, Router> routes) {
    Readiness readiness = Readiness.create(vertx);
    MeterRegistry registry = Metrics.registry();
    Pool pool = PgPools.pool(vertx, pg);
    Map<String, EventHandler> eventHandlers = handlers.apply(pool);
    PgServiceRuntime runtime = new PgServiceRuntime(pool,
        new OutboxRelay(vertx, pool, PgPools.connectOptions(pg), kafka, OutboxRelay.Options.defaults(), registry),
        new EventConsumer(vertx, kafka, eventHandlers, PgIdempotentHandler.inOneTransaction(pool, eventHandlers),
            registry),
        new KafkaReachability(vertx, kafka));
    readiness.register("postgres", () -> runtime.pool.query("SELECT 1").execute());
    readiness.register("kafka", runtime.kafka::probe);
    Router router = HttpServers.router(vertx, readiness);
    routes.accept(runtime.pool, router);
    // The Kafka clients are built on worker threads while the migrations run (both mostly class loading); nothing
    // is published or consumed before the schema is migrated.
    Future<Integer> migrated = Migrations.migrate(vertx, pg, pool);
    Future<Void> kafkaClients = Future.all(runtime.relay.prepare(), runtime.consumer.prepare()).mapEmpty();
    return Future.all(migrated, kafkaClients)
        .compose(v -> runtime.relay.start())
        .compose(v -> runtime.consumer.start())
        .compose(v -> HttpServers.listen(vertx, router, httpPort))
        .map(server -> {
          runtime.server = server;
          readiness.markStarted();
          return runtime;
        })
        .onFailure(e -> runtime.stop());
  }

  /** In-flight requests finish first; then the consumer commits what it applied; the relay finishes its batch. */
  public Future<Void> stop() {
    return Lifecycle.shutdownGracefully(server)
        .eventually(consumer::stop)
        .eventually(relay::stop)
        .eventually(kafka::close)
        .eventually(pool::close);
  }

  public int actualPort() {
    return server.actualPort();
  }

  public Pool pool() {
    return pool;
  }
}
