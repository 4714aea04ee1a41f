package kr.go.procurement.statusview;

import java.time.Duration;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Router;
import kr.go.procurement.platform.consumer.EventConsumer;
import kr.go.procurement.platform.events.KafkaReachability;
import kr.go.procurement.platform.health.Readiness;
import kr.go.procurement.platform.http.HttpServers;
import kr.go.procurement.platform.metrics.Metrics;
import kr.go.procurement.platform.mongo.MongoStores;
import kr.go.procurement.platform.runtime.Lifecycle;
import kr.go.procurement.statusview.api.ChangeFeed;
import kr.go.procurement.statusview.api.StatusApi;
import kr.go.procurement.statusview.events.StatusEventHandlers;
import kr.go.procurement.statusview.store.DeliveryStatusStore;
import kr.go.procurement.statusview.store.PageCache;
import kr.go.procurement.statusview.store.ViewGeneration;

/** status-view (납품현황조회): the indexes, then the event consumer, the change stream and the HTTP API. */
public final class StatusViewVerticle extends VerticleBase {

  private final StatusViewConfig config;
  private MongoClient mongo;
  private ChangeFeed feed;
  private EventConsumer consumer;
  private ViewRebuild rebuild;
  private KafkaReachability kafka;
  private HttpServer server;

  public StatusViewVerticle(StatusViewConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    Readiness readiness = Readiness.create(vertx);
    MeterRegistry registry = Metrics.registry();
    mongo = MongoStores.client(vertx, config.mongo());
    DeliveryStatusStore store = new DeliveryStatusStore(mongo);
    return MongoStores.whenReachable(vertx, mongo, Duration.ofSeconds(60))
        .compose(reachable -> store.ensureIndexes(DeliveryStatusStore.COLLECTION)).compose(v -> {
      feed = new ChangeFeed(vertx, config.sseBufferSize(), config.sseHeartbeat(), registry);
      ViewGeneration generation = new ViewGeneration();
      StatusProjection projection = new StatusProjection(store, feed, generation, registry);
      rebuild = new ViewRebuild(vertx, config.kafka(), store, projection, feed, generation, registry);
      // A poll's events in one bulk write; one at a time (with retries and dead-lettering) if that fails.
      consumer = new EventConsumer(vertx, config.kafka(), new StatusEventHandlers(projection).handlers(),
          projection::applyAll, registry);
      kafka = new KafkaReachability(vertx, config.kafka());
      readiness.register("mongo", () -> MongoStores.ping(mongo));
      readiness.register("kafka", kafka::probe);

      Router router = HttpServers.router(vertx, readiness);
      PageCache pages = new PageCache(store, generation, config.listCacheMaxAge(), config.listCacheSize(),
          registry);
      new StatusApi(pages, store, feed, rebuild).mount(router);
      return consumer.start().compose(c -> HttpServers.listen(vertx, router, config.httpPort()));
    }).onSuccess(s -> {
      server = s;
      readiness.markStarted();
    });
  }

  @Override
  public Future<?> stop() {
    // Streams never end by themselves: end them first, or the graceful shutdown would wait its whole grace time.
    if (feed != null) {
      feed.close();
    }
    if (rebuild != null) {
      rebuild.stop();
    }
    return Lifecycle.shutdownGracefully(server)
        .eventually(() -> consumer == null ? Future.succeededFuture() : consumer.stop())
        .eventually(() -> kafka == null ? Future.succeededFuture() : kafka.close())
        .eventually(() -> mongo == null ? Future.succeededFuture() : mongo.close());
  }

  public int actualPort() {
    return server.actualPort();
  }
}
