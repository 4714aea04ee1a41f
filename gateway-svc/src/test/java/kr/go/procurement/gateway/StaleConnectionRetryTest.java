package kr.go.procurement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import kr.go.procurement.platform.metrics.Metrics;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A keep-alive connection the service closed while it sat in the gateway's pool (a restart, an idle timeout) is no
 * outage: an idempotent request that meets it is sent once more on a fresh connection, a POST that may have
 * reached the service is not. Reproduced deterministically by a service that closes a connection, without an
 * answer, when its N-th request arrives.
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaleConnectionRetryTest {

  private static final String ADMIN = TestTokens.token("admin", null, "admin");

  private final GatewaySystem system = GatewaySystem.shared();
  /** The request number, per connection, on which the service closes that connection instead of answering. */
  private volatile int closeOnRequest = 2;
  private final AtomicInteger received = new AtomicInteger();
  private final AtomicInteger postsReceived = new AtomicInteger();
  private final Map<HttpConnection, AtomicInteger> perConnection = new ConcurrentHashMap<>();
  private HttpServer closingService;
  private GatewaySystem.Gateway gateway;
  private Http http;

  @BeforeAll
  void start() {
    closingService = system.vertx.createHttpServer().requestHandler(req -> {
      received.incrementAndGet();
      if (req.method().name().equals("POST")) {
        postsReceived.incrementAndGet();
      }
      int n = perConnection.computeIfAbsent(req.connection(), c -> new AtomicInteger()).incrementAndGet();
      if (n >= closeOnRequest) {
        req.connection().close();
        return;
      }
      req.response().putHeader("Content-Type", "application/json").end("{\"answer\":" + n + "}");
    }).listen(0, "127.0.0.1").await();
    gateway = system.startGateway(Map.of("STATUS_VIEW_URL", "http://127.0.0.1:" + closingService.actualPort()));
    http = gateway.http();
  }

  @BeforeEach
  void reset() {
    closeOnRequest = 2;
  }

  @AfterAll
  void stop() {
    system.stop(gateway);
    closingService.close().await();
  }

  @Test
  void anIdempotentRequestOnAConnectionTheServiceClosedIsSentOnceMoreOnAFreshOne() {
    // A GET leaves a pooled keep-alive connection behind; the service closes it when the next request arrives.
    assertThat(http.get("/deliveryStatusInquiries", ADMIN).status()).isEqualTo(200);
    int before = received.get();
    double retriesBefore = retries();

    Http.Response r = http.get("/deliveryStatusInquiries", ADMIN);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getInteger("answer")).as("answered on the fresh connection's first request").isEqualTo(1);
    assertThat(received.get() - before).as("the closed attempt and the retry").isEqualTo(2);
    assertThat(retries() - retriesBefore).isEqualTo(1.0);
  }

  @Test
  void aPostThatMayHaveReachedTheServiceIsNotRetried() {
    assertThat(http.get("/deliveryStatusInquiries", ADMIN).status()).isEqualTo(200);
    int postsBefore = postsReceived.get();
    double retriesBefore = retries();

    Http.Response r = http.call("POST", "/deliveryStatusInquiries/rebuild").token(ADMIN).send();

    assertThat(r.status()).as(r.body()).isEqualTo(502);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(postsReceived.get() - postsBefore).as("the POST reached the service exactly once").isEqualTo(1);
    assertThat(retries() - retriesBefore).isZero();
  }

  @Test
  void aFreshConnectionClosedUnderTheRequestIsARealFailureAndNotRetried() {
    closeOnRequest = 1;
    int before = received.get();
    double retriesBefore = retries();

    Http.Response r = http.get("/deliveryStatusInquiries?fresh", ADMIN);

    assertThat(r.status()).as(r.body()).isEqualTo(502);
    assertThat(received.get() - before).isEqualTo(1);
    assertThat(retries() - retriesBefore).isZero();
  }

  @Test
  void whenTheRetrysNewConnectionIsClosedUnansweredTooTheServiceIsStoppingAnd503() {
    assertThat(http.get("/deliveryStatusInquiries", ADMIN).status()).isEqualTo(200);
    closeOnRequest = 1; // from now on every connection is closed when a request arrives: the service is stopping
    int before = received.get();

    Http.Response r = http.get("/deliveryStatusInquiries", ADMIN);

    assertThat(r.status()).as(r.body()).isEqualTo(503);
    assertThat(r.header("Retry-After")).isEqualTo("5");
    assertThat(r.json().getString("detail")).contains("status-view").doesNotContain("127.0.0.1");
    assertThat(received.get() - before).as("the pooled attempt and the retry").isEqualTo(2);
  }

  private static double retries() {
    Counter counter = Metrics.registry().find("gateway.upstream.retries").tag("upstream", "status-view")
        .tag("reason", "stale-connection").counter();
    return counter == null ? 0 : counter.count();
  }
}
