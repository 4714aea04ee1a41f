package kr.go.procurement.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kr.go.procurement.platform.health.Readiness;
import kr.go.procurement.platform.http.HttpServers;
import org.junit.jupiter.api.Test;

class ServiceMainTest {

  /** A minimal service: health routes on a free port, ready once listening. */
  static final class TinyVerticle extends VerticleBase {
    static volatile int port;
    private HttpServer server;

    @Override
    public Future<?> start() {
      Readiness readiness = Readiness.create(vertx);
      Router router = HttpServers.router(vertx, readiness);
      return HttpServers.listen(vertx, router, 0).onSuccess(s -> {
        server = s;
        port = s.actualPort();
        readiness.markStarted();
      });
    }

    @Override
    public Future<?> stop() {
      return Lifecycle.shutdownGracefully(server);
    }
  }

  private static int get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
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

  @Test
  void failedDeploymentExitsWithStatus1() {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    ServiceMain.start("broken-svc", () -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return Future.failedFuture(new IllegalStateException("database is not reachable"));
      }
    }, Map.of(), exit::complete);
    assertThat(exit).isCompletedWithValue(1);
  }

  @Test
  void startedServiceShutsDownGracefullyWhenItsParentIsGone() throws Exception {
    Process parent = new ProcessBuilder("sleep", "60").start();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    GracefulShutdown shutdown = ServiceMain.start("tiny-svc", TinyVerticle::new,
        Map.of("PARENT_PID", Long.toString(parent.pid())), exit::complete);
    try {
      int port = TinyVerticle.port;
      assertThat(get(port, "/health/ready")).isEqualTo(200);
      assertThat(exit).isNotDone();

      parent.destroyForcibly().waitFor();
      assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
      assertThat(refusesConnections(port)).isTrue();
    } finally {
      parent.destroyForcibly();
      shutdown.run();
    }
  }

  @Test
  void malformedParentPidIsIgnored() throws Exception {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    GracefulShutdown shutdown = ServiceMain.start("tiny-svc", TinyVerticle::new,
        Map.of("PARENT_PID", "not-a-pid", "SHUTDOWN_DRAIN_MS", "soon"), exit::complete);
    try {
      assertThat(get(TinyVerticle.port, "/health/live")).isEqualTo(200);
      assertThat(exit).isNotDone();
    } finally {
      assertThat(shutdown.run()).isTrue();
    }
  }
}
