package kr.go.procurement.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.net.ServerSocket;
import kr.go.procurement.platform.config.MongoConfig;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RealInfra
class MongoStoresTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void pingSucceedsAgainstARunningServer(Infra infra) {
    MongoClient client = MongoStores.client(vertx, new MongoConfig(infra.mongoUri(), infra.newMongoDatabase()));
    try {
      MongoStores.ping(client).await();
    } finally {
      client.close().await();
    }
  }

  @Test
  void startUpWaitsForAServerThatComesLate() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    MongoClient real = MongoClient.create(vertx, new MongoConfig("mongodb://127.0.0.1:" + port, "late")
        .clientConfig().put("serverSelectionTimeoutMS", 300));
    // Counts the pings that failed, so the test knows the start-up has already been refused and tried again.
    java.util.concurrent.atomic.AtomicInteger failedPings = new java.util.concurrent.atomic.AtomicInteger();
    MongoClient client = (MongoClient) java.lang.reflect.Proxy.newProxyInstance(MongoClient.class.getClassLoader(),
        new Class<?>[] {MongoClient.class}, (proxy, method, args) -> {
          Object result = method.invoke(real, args);
          if (method.getName().equals("runCommand") && result instanceof io.vertx.core.Future<?> f) {
            return f.onFailure(e -> failedPings.incrementAndGet());
          }
          return result;
        });
    kr.go.procurement.localstack.EmbeddedMongoServer late = new kr.go.procurement.localstack.EmbeddedMongoServer(null, port);
    try {
      var reachable = MongoStores.whenReachable(vertx, client, java.time.Duration.ofSeconds(60));
      kr.go.procurement.testsupport.Eventually.until(() -> assertThat(failedPings.get()).isGreaterThanOrEqualTo(2));
      assertThat(reachable.isComplete()).as("still waiting after two refused pings").isFalse();
      late.start();
      reachable.await();
      assertThat(reachable.succeeded()).isTrue();
    } finally {
      client.close().await();
      late.close();
    }
  }

  @Test
  void startUpGivesUpWhenTheServerNeverComes() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    MongoClient client = MongoClient.create(vertx, new MongoConfig("mongodb://127.0.0.1:" + port, "never")
        .clientConfig().put("serverSelectionTimeoutMS", 200));
    try {
      assertThat(catchThrowable(() -> MongoStores.whenReachable(vertx, client, java.time.Duration.ofSeconds(1))
          .await())).isNotNull();
    } finally {
      client.close().await();
    }
  }

  @Test
  void pingFailsWhenNothingListens() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    // A short server-selection timeout so the probe gives up quickly; the service's own is 5 s.
    MongoClient client = MongoClient.create(vertx, new MongoConfig("mongodb://127.0.0.1:" + port, "none")
        .clientConfig().put("serverSelectionTimeoutMS", 300));
    try {
      assertThat(catchThrowable(() -> MongoStores.ping(client).await())).isNotNull();
    } finally {
      client.close().await();
    }
  }

  @Test
  void aUniqueIndexViolationIsADuplicateKeyAndOtherFailuresAreNot(Infra infra) {
    MongoClient client = MongoStores.client(vertx, new MongoConfig(infra.mongoUri(), infra.newMongoDatabase()));
    try {
      client.createIndexWithOptions("things", new JsonObject().put("eventId", 1), new IndexOptions().unique(true))
          .await();
      client.insert("things", new JsonObject().put("_id", 1).put("eventId", "e1")).await();

      Throwable sameId = catchThrowable(() -> client.insert("things", new JsonObject().put("_id", 1)).await());
      Throwable sameEventId = catchThrowable(() ->
          client.insert("things", new JsonObject().put("_id", 2).put("eventId", "e1")).await());
      Throwable badUpdate = catchThrowable(() -> client.updateCollection("things", new JsonObject().put("_id", 1),
          new JsonObject().put("$inc", new JsonObject().put("eventId", 1))).await());

      assertThat(MongoStores.isDuplicateKey(sameId)).as(String.valueOf(sameId)).isTrue();
      assertThat(MongoStores.isDuplicateKey(sameEventId)).as(String.valueOf(sameEventId)).isTrue();
      assertThat(badUpdate).isNotNull();
      assertThat(MongoStores.isDuplicateKey(badUpdate)).isFalse();
      assertThat(MongoStores.isDuplicateKey(new IllegalStateException("E11000 in a message only"))).isFalse();
    } finally {
      client.close().await();
    }
  }
}
