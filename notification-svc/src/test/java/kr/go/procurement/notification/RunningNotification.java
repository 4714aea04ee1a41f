package kr.go.procurement.notification;

import kr.go.procurement.testsupport.Eventually;
import kr.go.procurement.testsupport.TopicProbe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kr.go.procurement.notification.store.SmsHistoryStore;
import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.config.MongoConfig;
import kr.go.procurement.platform.mongo.MongoStores;
import kr.go.procurement.testsupport.Infra;

/** One notification-svc verticle with the environment a test gives it, an HTTP client and a look into MongoDB. */
final class RunningNotification implements AutoCloseable {

  final Vertx vertx;
  final WebClient http;
  final MongoClient mongo;

  private RunningNotification(Vertx vertx, WebClient http, MongoClient mongo) {
    this.vertx = vertx;
    this.http = http;
    this.mongo = mongo;
  }

  /** The environment pointing at {@code topic} and {@code mongoDb}, with the test's overrides. */
  static Map<String, String> env(Infra infra, String topic, String mongoDb, String group, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(infra.env(null, topic, mongoDb));
    env.put("HTTP_PORT", "0");
    env.put("KAFKA_GROUP_ID", group);
    env.put("CONSUMER_RETRY_BACKOFF_MS", "20");
    env.putAll(extra);
    return env;
  }

  static RunningNotification start(Infra infra, Map<String, String> env) {
    Vertx vertx = Vertx.vertx();
    NotificationVerticle verticle = new NotificationVerticle(NotificationConfig.fromEnv(new Env(env)));
    await(vertx.deployVerticle(verticle));
    WebClient http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(verticle.actualPort()));
    MongoClient mongo = MongoStores.client(vertx, new MongoConfig(infra.mongoUri(), env.get("MONGO_DATABASE")));
    return new RunningNotification(vertx, http, mongo);
  }

  /** Every stored record of one event, as stored: there must never be more than one. */
  List<JsonObject> records(String eventId) {
    return await(mongo.findWithOptions(SmsHistoryStore.COLLECTION, new JsonObject().put("eventId", eventId),
        new FindOptions()));
  }

  /** The one record of {@code eventId} once {@code done} holds for it, or the last one seen. */
  JsonObject awaitRecord(String eventId, java.util.function.Predicate<JsonObject> done) {
    long deadline = System.currentTimeMillis() + 20_000;
    JsonObject last = null;
    while (System.currentTimeMillis() < deadline) {
      List<JsonObject> found = records(eventId);
      if (found.size() > 1) {
        throw new AssertionError("more than one record for event " + eventId + ": " + found);
      }
      last = found.isEmpty() ? null : found.get(0);
      if (last != null && done.test(last)) {
        return last;
      }
      Eventually.sleep(java.time.Duration.ofMillis(20));
    }
    throw new AssertionError("record of " + eventId + " never got there; last seen: " + last);
  }

  HttpResponse<Buffer> get(String path) {
    return await(http.get(path).send());
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
