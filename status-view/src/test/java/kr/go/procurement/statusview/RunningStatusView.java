package kr.go.procurement.statusview;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.config.MongoConfig;
import kr.go.procurement.platform.mongo.MongoStores;
import kr.go.procurement.statusview.store.DeliveryStatusStore;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.TopicProbe;

/** One status-view verticle on its own topic, MongoDB database and consumer group, with an HTTP client. */
final class RunningStatusView implements AutoCloseable {

  final Vertx vertx;
  final String topic;
  final String group;
  final TopicProbe kafka;
  final WebClient http;
  final MongoClient mongo;
  final int port;

  private RunningStatusView(Vertx vertx, String topic, String group, TopicProbe kafka, WebClient http,
                            MongoClient mongo, int port) {
    this.vertx = vertx;
    this.topic = topic;
    this.group = group;
    this.kafka = kafka;
    this.http = http;
    this.mongo = mongo;
    this.port = port;
  }

  static RunningStatusView start(Infra infra, Map<String, String> extraEnv) {
    String topic = infra.newTopic(3);
    String mongoDb = infra.newMongoDatabase();
    String group = "status-view-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> overrides = new HashMap<>(Map.of("HTTP_PORT", "0", "KAFKA_GROUP_ID", group,
        "CONSUMER_RETRY_BACKOFF_MS", "20"));
    overrides.putAll(extraEnv);
    Env env = new Env(infra.env(null, topic, mongoDb)).with(overrides);
    Vertx vertx = Vertx.vertx();
    StatusViewVerticle verticle = new StatusViewVerticle(StatusViewConfig.fromEnv(env));
    await(vertx.deployVerticle(verticle));
    WebClient http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(verticle.actualPort()));
    MongoClient mongo = MongoStores.client(vertx, new MongoConfig(infra.mongoUri(), mongoDb));
    return new RunningStatusView(vertx, topic, group, new TopicProbe(infra.kafkaBootstrapServers(), topic), http,
        mongo, verticle.actualPort());
  }

  /** Waits until everything published so far is applied. */
  void awaitConsumed() {
    kafka.awaitConsumed(group);
  }

  /** The active collection exactly as stored, in procNo order. */
  List<JsonObject> documents() {
    return await(new DeliveryStatusStore(mongo).all(DeliveryStatusStore.COLLECTION));
  }

  HttpResponse<Buffer> get(String path, String... headers) {
    return send(HttpMethod.GET, path, headers);
  }

  HttpResponse<Buffer> send(HttpMethod method, String path, String... headers) {
    var request = http.request(method, path);
    MultiMap map = request.headers();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      map.add(headers[i], headers[i + 1]);
    }
    return await(request.send());
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
    kafka.close();
    await(vertx.close());
  }
}
