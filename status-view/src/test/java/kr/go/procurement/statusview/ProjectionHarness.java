package kr.go.procurement.statusview;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Router;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.config.KafkaConfig;
import kr.go.procurement.platform.config.MongoConfig;
import kr.go.procurement.platform.consumer.EventConsumer;
import kr.go.procurement.platform.mongo.MongoStores;
import kr.go.procurement.statusview.api.ChangeFeed;
import kr.go.procurement.statusview.api.StatusApi;
import kr.go.procurement.statusview.events.StatusEventHandlers;
import kr.go.procurement.statusview.store.DeliveryStatusStore;
import kr.go.procurement.statusview.store.PageCache;
import kr.go.procurement.statusview.store.ViewGeneration;
import kr.go.procurement.testsupport.Infra;

/**
 * The write side of status-view (store, projection, change feed, and optionally the Kafka consumer) on one event
 * loop as in the service, plus the read API, over a MongoDB client the test watches: it counts {@code find} and
 * bulk-write calls and can run something just before a bulk write goes out (to lose a race on purpose).
 */
final class ProjectionHarness extends VerticleBase {

  final String database;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final AtomicInteger finds = new AtomicInteger();
  final AtomicInteger bulkWrites = new AtomicInteger();
  /** {@code findWithOptions} calls: list page reads. */
  final AtomicInteger pageReads = new AtomicInteger();
  /** The list page cache's clock (nanoseconds): it moves only when a test moves it, so a page's age is exact. */
  final java.util.concurrent.atomic.AtomicLong cacheNanos = new java.util.concurrent.atomic.AtomicLong();
  /**
   * Sees every bulk write's operations before it is sent; what it returns (null: nothing) runs first, and the write
   * waits for it.
   */
  volatile Function<List<BulkOperation>, Future<?>> beforeBulkWrite = ops -> null;

  private final Infra infra;
  private final long cacheMaxAgeMillis;
  MongoClient real;
  DeliveryStatusStore store;
  /** A store on the unwatched client: "another writer". */
  DeliveryStatusStore otherWriter;
  ChangeFeed feed;
  StatusProjection projection;
  PageCache pages;
  EventConsumer consumer;
  HttpServer server;
  Context loop;

  /** @param cacheMaxAgeMillis the list page cache's {@code LIST_CACHE_MAX_AGE_MS} */
  ProjectionHarness(Infra infra, long cacheMaxAgeMillis) {
    this.infra = infra;
    this.cacheMaxAgeMillis = cacheMaxAgeMillis;
    this.database = infra.newMongoDatabase();
  }

  static KafkaConfig kafka(Infra infra, String topic, String group) {
    return KafkaConfig.fromEnv(new Env(infra.env(null, topic, null))
        .with(Map.of("KAFKA_GROUP_ID", group, "CONSUMER_RETRY_BACKOFF_MS", "20")), group);
  }

  static ProjectionHarness deploy(Vertx vertx, Infra infra, long cacheMaxAgeMillis) {
    ProjectionHarness harness = new ProjectionHarness(infra, cacheMaxAgeMillis);
    RunningStatusView.await(vertx.deployVerticle(harness));
    return harness;
  }

  @Override
  public Future<?> start() {
    loop = context;
    real = MongoStores.client(vertx, new MongoConfig(infra.mongoUri(), database));
    MongoClient watched = (MongoClient) Proxy.newProxyInstance(MongoClient.class.getClassLoader(),
        new Class<?>[] {MongoClient.class}, (proxy, method, args) -> {
          if (method.getName().equals("find")) {
            finds.incrementAndGet();
          }
          if (method.getName().equals("findWithOptions")) {
            pageReads.incrementAndGet();
          }
          if (method.getName().startsWith("bulkWrite")) {
            bulkWrites.incrementAndGet();
            @SuppressWarnings("unchecked")
            Future<?> before = beforeBulkWrite.apply((List<BulkOperation>) args[1]);
            if (before != null) {
              return before.transform(ar -> (Future<?>) invoke(method, args));
            }
          }
          return invoke(method, args);
        });
    store = new DeliveryStatusStore(watched);
    otherWriter = new DeliveryStatusStore(real);
    feed = new ChangeFeed(vertx, 10_000, Duration.ofHours(1), registry);
    ViewGeneration generation = new ViewGeneration();
    projection = new StatusProjection(store, feed, generation, registry);
    pages = new PageCache(store, generation, Duration.ofMillis(cacheMaxAgeMillis), 1000, registry, cacheNanos::get);
    Router router = Router.router(vertx);
    new StatusApi(pages, store, feed, null).mount(router);
    return store.ensureIndexes(DeliveryStatusStore.COLLECTION)
        .compose(v -> vertx.createHttpServer().requestHandler(router).listen(0))
        .onSuccess(s -> server = s);
  }

  /** Starts the live consumer, wired as in the service (batches, falling back to one event at a time). */
  void startConsumer(KafkaConfig kafka) {
    onLoop(() -> {
      consumer = new EventConsumer(vertx, kafka, new StatusEventHandlers(projection).handlers(),
          projection::applyAll, registry);
      return consumer.start();
    });
  }

  @Override
  public Future<?> stop() {
    return (consumer == null ? Future.<Void>succeededFuture() : consumer.stop()).eventually(real::close);
  }

  private Object invoke(java.lang.reflect.Method method, Object[] args) {
    try {
      return method.invoke(real, args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code action} on the harness's event loop and waits for its outcome. */
  <T> T onLoop(Supplier<Future<T>> action) {
    return RunningStatusView.await(Future.<T>future(p -> loop.runOnContext(v -> action.get().onComplete(p))));
  }

  /** Like {@link #onLoop} but returns the failure (or null when it succeeded). */
  Throwable failureOnLoop(Supplier<Future<?>> action) {
    return onLoop(() -> action.get().transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : null)));
  }

  List<JsonObject> documents() {
    return RunningStatusView.await(otherWriter.all(DeliveryStatusStore.COLLECTION));
  }

  double counter(String name) {
    var counter = registry.find(name).counter();
    return counter == null ? 0 : counter.count();
  }

  /** Ages every cached page by {@code millis}. */
  void advanceCacheClock(long millis) {
    cacheNanos.addAndGet(Duration.ofMillis(millis).toNanos());
  }

  int port() {
    return server.actualPort();
  }
}
