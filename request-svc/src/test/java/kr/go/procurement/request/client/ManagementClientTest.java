package kr.go.procurement.request.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import kr.go.procurement.request.domain.ProcurementRequest;
import kr.go.procurement.request.domain.RequestDetails;
import kr.go.procurement.request.domain.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * request-svc's call to management when management closes keep-alive connections (a restart, its idle timeout):
 * the PUT is idempotent, so a call that meets a closed pooled connection goes once more on a fresh one, and only
 * its final outcome counts for the circuit breaker. Management is a real HTTP server here that closes a connection,
 * without an answer, when its N-th request arrives.
 */
class ManagementClientTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final AtomicInteger received = new AtomicInteger();
  private final Map<HttpConnection, AtomicInteger> perConnection = new ConcurrentHashMap<>();
  /** The request number, per connection, from which management closes the connection instead of answering. */
  private volatile int closeFromRequest = 2;
  private Vertx vertx;
  private HttpServer management;
  private ManagementClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    management = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      if (req.path().equals("/health/ready")) {
        req.response().end(); // the balancer's readiness probe, not a call
        return;
      }
      received.incrementAndGet();
      int n = perConnection.computeIfAbsent(req.connection(), c -> new AtomicInteger()).incrementAndGet();
      if (n >= closeFromRequest) {
        req.connection().close();
      } else {
        req.response().setStatusCode(204).end();
      }
    })).listen(0, "127.0.0.1").await();
    client = new ManagementClient(vertx, new ManagementClient.Options("http://127.0.0.1:" + management.actualPort(),
        Duration.ofSeconds(5), 2, Duration.ofSeconds(60)), meters);
  }

  @AfterEach
  void stop() {
    client.close();
    vertx.close().await();
  }

  @Test
  void aCallThatMeetsAClosedPooledConnectionIsSentAgainOnAFreshOneAndDoesNotCountForTheBreaker() {
    // Calls 0 and 2 open a pooled connection; calls 1 and 3 find it closed by management and go on a fresh one,
    // which is closed after its answer.
    for (int i = 0; i < 4; i++) {
      assertThat(await(client.announceInspectionResult(inspected("mc-" + i), true))).as("call %d", i).isNull();
    }
    assertThat(received.get()).as("2 × (first + closed attempt + retry)").isEqualTo(6);
    assertThat(meters.counter("management_call_retries_total").count()).isEqualTo(2.0);
    assertThat(client.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void aManagementThatClosesEveryConnectionFailsEachCallOnceForTheBreaker() {
    closeFromRequest = 1;
    Throwable failure = awaitFailure(client.announceInspectionResult(inspected("mc-down"), true));
    assertThat(failure).isInstanceOf(ManagementClient.Unavailable.class);
    assertThat(received.get()).as("the attempt and one retry").isEqualTo(2);
    assertThat(client.state()).as("one failure of two allowed").isEqualTo(CircuitBreakerState.CLOSED);

    awaitFailure(client.announceInspectionResult(inspected("mc-down"), true));
    assertThat(client.state()).as("the second failed call opens it").isEqualTo(CircuitBreakerState.OPEN);
  }

  @Test
  void severalInstancesShareTheCallsAndAStoppedOneIsSteppedOverWithoutAFailure() {
    AtomicInteger second = new AtomicInteger();
    HttpServer other = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      if (req.path().equals("/health/ready")) {
        req.response().end();
        return;
      }
      second.incrementAndGet();
      req.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1").await();
    closeFromRequest = Integer.MAX_VALUE;
    ManagementClient balanced = new ManagementClient(vertx, new ManagementClient.Options(
        "http://127.0.0.1:" + management.actualPort() + ", http://127.0.0.1:" + other.actualPort(),
        Duration.ofSeconds(5), 2, Duration.ofSeconds(60)), new SimpleMeterRegistry());
    try {
      for (int i = 0; i < 4; i++) {
        await(balanced.announceInspectionResult(inspected("mc-lb-" + i), true));
      }
      assertThat(received.get()).as("the first instance").isEqualTo(2);
      assertThat(second.get()).as("the second instance").isEqualTo(2);

      management.close().await();
      for (int i = 0; i < 4; i++) {
        assertThat(await(balanced.announceInspectionResult(inspected("mc-lb-down-" + i), true))).isNull();
      }
      assertThat(second.get()).as("every call reached the running instance").isEqualTo(6);
      assertThat(balanced.state()).isEqualTo(CircuitBreakerState.CLOSED);
    } finally {
      balanced.close();
    }
  }

  private static ProcurementRequest inspected(String procNo) {
    return ProcurementRequest.register(procNo, new RequestDetails("의자", null, 1L, "조달청", 1.0), Instant.now())
        .deliveryOrdered(new Supplier("c01", "레드불"), Instant.now());
  }

  private static <T> T await(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().join();
  }

  private static Throwable awaitFailure(Future<?> future) {
    try {
      await(future);
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }
}
