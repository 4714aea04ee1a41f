package kr.go.procurement.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import kr.go.procurement.testsupport.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the readiness probes of a service's instances make of their answers. */
@ExtendWith(VertxExtension.class)
class ServiceInstancesTest {

  private static final String DRAINING = "{\"status\":\"DOWN\",\"checks\":[{\"id\":\"lifecycle\",\"status\":\"DOWN\","
      + "\"data\":{\"reason\":\"draining\"}}]}";

  @Test
  void anInstanceThatRefusesWithoutHavingSaidItIsStoppingCrashedAndIsNotStopping(Vertx vertx) {
    HttpServer crashing = server(vertx, req -> req.response().end("{}"));
    SocketAddress a = address(crashing);
    SocketAddress b = address(server(vertx, req -> req.response().end("{}")));
    ServiceInstances instances = new ServiceInstances(vertx, Map.of("svc", List.of(a, b)), Duration.ofMillis(100));
    try {
      crashing.close().await();
      instances.refused("svc", new java.net.ConnectException("Connection refused: /127.0.0.1:" + a.port()));
      assertThat(instances.ready("svc")).containsExactly(b);
      assertThat(instances.stopping("svc", a))
          .as("a POST it dropped may have been done: never retried on that ground").isFalse();
    } finally {
      instances.close();
    }
  }

  @Test
  void anInstanceThatSaidItIsStoppingStaysLeftOutWhenALaterProbeGetsNoAnswerInTime(Vertx vertx) {
    AtomicInteger unanswered = new AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean hang = new java.util.concurrent.atomic.AtomicBoolean();
    // First it says it is draining; then, busy stopping, it answers no probe at all.
    HttpServer stopping = server(vertx, req -> {
      if (!hang.get()) {
        req.response().setStatusCode(503).end(DRAINING);
      } else {
        unanswered.incrementAndGet();
      }
    });
    SocketAddress a = address(stopping);
    SocketAddress b = address(server(vertx, req -> req.response().end("{\"status\":\"UP\"}")));
    ServiceInstances instances = new ServiceInstances(vertx, Map.of("svc", List.of(a, b)), Duration.ofMillis(100));
    try {
      Eventually.until(() -> assertThat(instances.stopping("svc", a)).isTrue());
      assertThat(instances.ready("svc")).containsExactly(b);

      hang.set(true);
      // A probe is sent only once the one before it has ended: two unanswered ones mean the first timed out and
      // its outcome was applied.
      Eventually.until(() -> assertThat(unanswered.get()).isGreaterThanOrEqualTo(2));
      assertThat(instances.stopping("svc", a)).as("still known to be stopping").isTrue();
      assertThat(instances.ready("svc")).containsExactly(b);
    } finally {
      instances.close();
    }
  }

  private static HttpServer server(Vertx vertx, io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler) {
    return vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1").await();
  }

  private static SocketAddress address(HttpServer server) {
    return SocketAddress.inetSocketAddress(server.actualPort(), "127.0.0.1");
  }
}
