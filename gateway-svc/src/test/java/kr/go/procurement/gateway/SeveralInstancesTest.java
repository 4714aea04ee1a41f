package kr.go.procurement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import kr.go.procurement.testsupport.Eventually;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A service with two instances ({@code STATUS_VIEW_URL=http://a,http://b}): the gateway spreads requests over the
 * ready ones with Vert.x's load balancer, leaves out an instance that refuses connections or says it is not ready
 * (draining), sends a refused request to the other instance instead of failing it, and takes an instance back once
 * it is ready again.
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeveralInstancesTest {

  private static final String ADMIN = TestTokens.token("admin", null, "admin");

  private final GatewaySystem system = GatewaySystem.shared();
  private final Instance a = new Instance("a");
  private final Instance b = new Instance("b");
  private GatewaySystem.Gateway gateway;
  private Http http;

  /** A stand-in status-view instance that says which one answered, with a readiness the test switches. */
  private final class Instance {
    final String name;
    final AtomicInteger served = new AtomicInteger();
    volatile boolean ready = true;
    HttpServer server;
    int port;

    Instance(String name) {
      this.name = name;
    }

    void start() {
      server = system.vertx.createHttpServer().requestHandler(req -> {
        if (req.path().equals("/health/ready")) {
          req.response().setStatusCode(ready ? 200 : 503).end();
          return;
        }
        served.incrementAndGet();
        req.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("instance", name).encode());
      }).listen(port, "127.0.0.1").await();
      port = server.actualPort();
    }

    void stop() {
      server.close().await();
    }
  }

  @BeforeAll
  void start() {
    a.start();
    b.start();
    Map<String, String> settings = new HashMap<>();
    settings.put("STATUS_VIEW_URL", "http://127.0.0.1:" + a.port + ", http://127.0.0.1:" + b.port);
    gateway = system.startGateway(settings);
    http = gateway.http();
  }

  @AfterAll
  void stop() {
    system.stop(gateway);
    a.stop();
    b.stop();
  }

  @Test
  void requestsAreSpreadOverTheReadyInstancesAndADrainingOrStoppedOneIsLeftOutWithoutAFailedRequest() {
    // Both ready: both serve.
    Eventually.until(() -> {
      get();
      assertThat(a.served.get()).isPositive();
      assertThat(b.served.get()).isPositive();
    });

    // a says it is draining: soon only b serves, and no request fails meanwhile.
    a.ready = false;
    Eventually.until(() -> {
      int before = a.served.get();
      for (int i = 0; i < 4; i++) {
        get();
      }
      assertThat(a.served.get()).as("a draining instance gets no new requests").isEqualTo(before);
    });

    // a stops altogether: every request is still answered (a refused connection goes to b).
    a.stop();
    for (int i = 0; i < 20; i++) {
      assertThat(get().getString("instance")).isEqualTo("b");
    }
    // A POST, too: a refused connection carried nothing.
    Http.Response post = http.call("POST", "/deliveryStatusInquiries/rebuild").token(ADMIN).send();
    assertThat(post.status()).as(post.body()).isEqualTo(200);

    // a comes back, ready: it is taken back.
    a.ready = true;
    a.start();
    Eventually.until(() -> {
      int before = a.served.get();
      for (int i = 0; i < 4; i++) {
        get();
      }
      assertThat(a.served.get()).as("a serves again").isGreaterThan(before);
    });
  }

  @Test
  void whenEveryInstanceIsDownTheAnswerIs503WithRetryAfter() {
    Instance c = new Instance("c");
    Instance d = new Instance("d");
    c.start();
    d.start();
    c.stop();
    d.stop();
    GatewaySystem.Gateway alone = system.startGateway(Map.of("STATUS_VIEW_URL",
        "http://127.0.0.1:" + c.port + ",http://127.0.0.1:" + d.port));
    try {
      Http.Response r = alone.http().get("/deliveryStatusInquiries", ADMIN);
      assertThat(r.status()).as(r.body()).isEqualTo(503);
      assertThat(r.header("Retry-After")).isEqualTo("5");
      assertThat(r.json().getString("detail")).contains("status-view").doesNotContain("127.0.0.1");
    } finally {
      system.stop(alone);
    }
  }

  private JsonObject get() {
    Http.Response r = http.get("/deliveryStatusInquiries", ADMIN);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }
}
