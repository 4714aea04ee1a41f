package kr.go.procurement.notification;

import java.time.Duration;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Router;
import java.time.Clock;
import kr.go.procurement.notification.api.SmsHistoryApi;
import kr.go.procurement.notification.client.HttpSmsProvider;
import kr.go.procurement.notification.client.LoggingSmsProvider;
import kr.go.procurement.notification.client.SmsProvider;
import kr.go.procurement.notification.events.NotificationEventHandlers;
import kr.go.procurement.notification.store.SmsHistoryStore;
import kr.go.procurement.platform.consumer.EventConsumer;
import kr.go.procurement.platform.events.KafkaReachability;
import kr.go.procurement.platform.health.Readiness;
import kr.go.procurement.platform.http.HttpServers;
import kr.go.procurement.platform.metrics.Metrics;
import kr.go.procurement.platform.mongo.MongoStores;
import kr.go.procurement.platform.runtime.Lifecycle;

/**
 * notification-svc (문자알림): the indexes, a first reconciliation (sends cut short by a crash), then the event
 * consumer, the periodic reconciliation and the HTTP API.
 */
public final class NotificationVerticle extends VerticleBase {

  private final NotificationConfig config;
  private MongoClient mongo;
  private SmsProvider provider;
  private EventConsumer consumer;
  private KafkaReachability kafka;
  private HttpServer server;
  private long reconcileTimer = -1;

  public NotificationVerticle(NotificationConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    Readiness readiness = Readiness.create(vertx);
    MeterRegistry registry = Metrics.registry();
    mongo = MongoStores.client(vertx, config.mongo());
    SmsHistoryStore store = new SmsHistoryStore(mongo);
    // The provider is not a readiness check: an SMS outage must not take the history API down; sends wait.
    provider = config.provider().equals("http")
        ? new HttpSmsProvider(vertx, config.http(), registry)
        : new LoggingSmsProvider();
    SmsDispatcher dispatcher = new SmsDispatcher(store, provider, config.policy(), Clock.systemUTC(), registry);
    return MongoStores.whenReachable(vertx, mongo, Duration.ofSeconds(60))
        .compose(reachable -> store.ensureIndexes()).compose(v -> {
      consumer = new EventConsumer(vertx, config.kafka(), new NotificationEventHandlers(dispatcher).handlers(),
          registry);
      kafka = new KafkaReachability(vertx, config.kafka());
      readiness.register("mongo", () -> MongoStores.ping(mongo));
      readiness.register("kafka", kafka::probe);

      Router router = HttpServers.router(vertx, readiness);
      new SmsHistoryApi(store).mount(router);
      // Not awaited: a slow provider must not hold up start-up; the records stay claimed meanwhile.
      dispatcher.reconcile();
      reconcileTimer = vertx.setPeriodic(config.reconcileInterval().toMillis(), t -> dispatcher.reconcile());
      return consumer.start().compose(c -> HttpServers.listen(vertx, router, config.httpPort()));
    }).onSuccess(s -> {
      server = s;
      readiness.markStarted();
    });
  }

  @Override
  public Future<?> stop() {
    if (reconcileTimer >= 0) {
      vertx.cancelTimer(reconcileTimer);
    }
    return Lifecycle.shutdownGracefully(server)
        .eventually(() -> consumer == null ? Future.succeededFuture() : consumer.stop())
        .eventually(() -> kafka == null ? Future.succeededFuture() : kafka.close())
        .eventually(() -> provider == null ? Future.succeededFuture() : provider.close())
        .eventually(() -> mongo == null ? Future.succeededFuture() : mongo.close());
  }

  public int actualPort() {
    return server.actualPort();
  }
}
