package kr.go.procurement.platform.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import kr.go.procurement.platform.http.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ReadinessTest {

  private static String status(JsonObject json) {
    return json.getString("status");
  }

  @Test
  void downBeforeMarkStartedAndUpAfter(Vertx vertx) {
    Readiness readiness = Readiness.create(vertx).register("db", () -> Future.succeededFuture());
    JsonObject before = readiness.check().await();
    assertThat(status(before)).isEqualTo("DOWN");
    assertThat(before.getJsonArray("checks").getJsonObject(0).getJsonObject("data").getString("reason"))
        .isEqualTo("starting");

    readiness.markStarted();
    JsonObject after = readiness.check().await();
    assertThat(status(after)).isEqualTo("UP");
    assertThat(after.getJsonArray("checks").getJsonObject(0))
        .isEqualTo(new JsonObject().put("id", "db").put("status", "UP"));
  }

  @Test
  void upWithoutProbesOnceStarted(Vertx vertx) {
    Readiness readiness = Readiness.create(vertx);
    readiness.markStarted();
    assertThat(status(readiness.check().await())).isEqualTo("UP");
  }

  @Test
  void downWhenDraining(Vertx vertx) {
    Readiness readiness = Readiness.create(vertx).register("db", () -> Future.succeededFuture());
    readiness.markStarted();
    readiness.markDraining();
    JsonObject json = readiness.check().await();
    assertThat(status(json)).isEqualTo("DOWN");
    assertThat(json.getJsonArray("checks").getJsonObject(0).getJsonObject("data").getString("reason"))
        .isEqualTo("draining");
  }

  @Test
  void drainAllReachesEveryReadinessOfThatVertxOnly(Vertx vertx) {
    Vertx other = Vertx.vertx();
    try {
      Readiness a = Readiness.create(vertx);
      Readiness b = Readiness.create(vertx);
      Readiness elsewhere = Readiness.create(other);
      Readiness.drainAll(vertx);
      assertThat(a.isDraining()).isTrue();
      assertThat(b.isDraining()).isTrue();
      assertThat(elsewhere.isDraining()).isFalse();
    } finally {
      other.close().await();
    }
  }

  @Test
  void failingProbeIsDownWithAShortReasonAndNoInternals(Vertx vertx) {
    Readiness readiness = Readiness.create(vertx)
        .register("db", () -> Future.failedFuture(new IllegalStateException("password authentication failed for pg.internal")))
        .register("kafka", () -> Future.succeededFuture());
    readiness.markStarted();
    JsonObject json = readiness.check().await();
    assertThat(status(json)).isEqualTo("DOWN");
    assertThat(json.encode()).doesNotContain("pg.internal", "password", "IllegalStateException");
    JsonObject db = json.getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("id").equals("db")).findFirst().orElseThrow();
    assertThat(db.getString("status")).isEqualTo("DOWN");
    assertThat(db.getJsonObject("data").getString("reason")).isEqualTo("failed");
  }

  @Test
  void probeThatThrowsIsDown(Vertx vertx) {
    Readiness readiness = Readiness.create(vertx).register("db", () -> {
      throw new IllegalStateException("boom");
    });
    readiness.markStarted();
    assertThat(status(readiness.check().await())).isEqualTo("DOWN");
  }

  @Test
  void probeThatNeverAnswersIsDownAfterItsTimeout(Vertx vertx) {
    Readiness readiness = Readiness.create(vertx)
        .register("slow", Duration.ofMillis(50), () -> Promise.promise().future());
    readiness.markStarted();
    JsonObject json = readiness.check().await();
    assertThat(status(json)).isEqualTo("DOWN");
    assertThat(json.getJsonArray("checks").getJsonObject(0).getJsonObject("data").getString("reason"))
        .isEqualTo("timed out");
  }

  @Test
  void probeRecoveringMakesReadinessUpAgain(Vertx vertx) {
    AtomicBoolean healthy = new AtomicBoolean(false);
    Readiness readiness = Readiness.create(vertx).register("db",
        () -> healthy.get() ? Future.succeededFuture() : Future.failedFuture("down"));
    readiness.markStarted();
    assertThat(status(readiness.check().await())).isEqualTo("DOWN");
    healthy.set(true);
    assertThat(status(readiness.check().await())).isEqualTo("UP");
  }

  @Test
  void duplicateNamesAreRejected(Vertx vertx) {
    Readiness readiness = Readiness.create(vertx).register("db", () -> Future.succeededFuture());
    assertThatThrownBy(() -> readiness.register("db", () -> Future.succeededFuture()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readyEndpointAnswers503WhileDownAnd200WhenUp(Vertx vertx) {
    Readiness readiness = Readiness.create(vertx);
    int port = TestServers.start(vertx, readiness, router -> { });
    WebClient client = WebClient.create(vertx);

    HttpResponse<Buffer> starting = client.get(port, "localhost", "/health/ready").send().await();
    assertThat(starting.statusCode()).isEqualTo(503);
    assertThat(starting.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");

    readiness.markStarted();
    HttpResponse<Buffer> up = client.get(port, "localhost", "/health/ready").send().await();
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    assertThat(up.getHeader("Content-Type")).isEqualTo("application/json");

    readiness.markDraining();
    assertThat(client.get(port, "localhost", "/health/ready").send().await().statusCode()).isEqualTo(503);
  }

  @Test
  void liveEndpointIsUpEvenWhileNotReady(Vertx vertx) {
    Readiness readiness = Readiness.create(vertx);
    readiness.markDraining();
    int port = TestServers.start(vertx, readiness, router -> { });
    HttpResponse<Buffer> live = WebClient.create(vertx).get(port, "localhost", "/health/live").send().await();
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
  }
}
