package kr.go.procurement.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kr.go.procurement.platform.health.Readiness;
import kr.go.procurement.platform.http.HttpServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {

  /**
   * How long the in-flight request may take to finish: far more than the test needs, so that the grace (not a
   * timer racing the test on a busy machine) is never what ends it.
   */
  private static final Duration GRACE = Duration.ofSeconds(60);

  /** A service verticle with one slow route that answers only when the test says so. */
  static final class SlowVerticle extends VerticleBase {
    final CompletableFuture<RoutingContext> arrived = new CompletableFuture<>();
    Readiness readiness;
    HttpServer server;

    @Override
    public Future<?> start() {
      readiness = Readiness.create(vertx);
      Router router = HttpServers.router(vertx, readiness);
      router.get("/slow").handler(arrived::complete);
      return HttpServers.listen(vertx, router, 0).onSuccess(s -> {
        server = s;
        readiness.markStarted();
      });
    }

    @Override
    public Future<?> stop() {
      return Lifecycle.shutdownGracefully(server, GRACE);
    }
  }

  private Vertx vertx;

  @AfterEach
  void closeVertx() {
    if (vertx != null) {
      vertx.close();
    }
  }

  private static boolean refusesConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("localhost", port), 1000);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits for a condition that becomes true asynchronously; fails the test after a generous bound. */
  private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached");
      }
      Thread.sleep(20);
    }
  }

  @Test
  void inFlightRequestCompletesWhileNewConnectionsAreRefused() throws Exception {
    vertx = Vertx.vertx();
    SlowVerticle verticle = new SlowVerticle();
    vertx.deployVerticle(verticle).await();
    int port = verticle.server.actualPort();

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/slow")).build(),
        HttpResponse.BodyHandlers.ofString());
    RoutingContext slow = verticle.arrived.get(10, TimeUnit.SECONDS);

    GracefulShutdown shutdown = new GracefulShutdown(vertx, Duration.ZERO, GRACE.multipliedBy(2));
    CompletableFuture<Boolean> result = CompletableFuture.supplyAsync(shutdown::run);

    eventually(() -> refusesConnections(port));
    assertThat(verticle.readiness.isDraining()).isTrue();
    assertThat(result).isNotDone();

    slow.response().end("finished");
    HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("finished");

    assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  @Test
  void secondRunWaitsForTheFirstAndReportsTheSameOutcome() throws Exception {
    vertx = Vertx.vertx();
    GracefulShutdown shutdown = new GracefulShutdown(vertx, Duration.ZERO, Duration.ofSeconds(10));
    assertThat(shutdown.run()).isTrue();
    assertThat(shutdown.run()).isTrue();
  }

  @Test
  void drainingMarksReadinessDownBeforeVertxCloses() {
    vertx = Vertx.vertx();
    Readiness readiness = Readiness.create(vertx);
    readiness.markStarted();
    new GracefulShutdown(vertx, Duration.ofMillis(1), Duration.ofSeconds(10)).run();
    assertThat(readiness.isDraining()).isTrue();
  }

  @Test
  void drainTimeIsCappedToLeaveTimeForClosing() {
    vertx = Vertx.vertx();
    assertThat(new GracefulShutdown(vertx, Duration.ofSeconds(60), Duration.ofSeconds(10)).drain())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(new GracefulShutdown(vertx, Duration.ofMillis(-5), Duration.ofSeconds(10)).drain())
        .isEqualTo(Duration.ZERO);
    assertThat(new GracefulShutdown(vertx, Duration.ofMillis(300), Duration.ofSeconds(10)).drain())
        .isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void shutdownOfNoServerSucceeds() {
    vertx = Vertx.vertx();
    assertThat(Lifecycle.shutdownGracefully(null).succeeded()).isTrue();
  }

  @Test
  void reasonIsOneLineWithTheRootCause() {
    Exception e = new RuntimeException("Migration failed", new java.net.ConnectException("Connection refused\nlocalhost:5432"));
    assertThat(ServiceMain.reason(e)).isEqualTo("Migration failed (ConnectException: Connection refused localhost:5432)");
    assertThat(ServiceMain.reason(new IllegalStateException())).isEqualTo("IllegalStateException");
  }
}
