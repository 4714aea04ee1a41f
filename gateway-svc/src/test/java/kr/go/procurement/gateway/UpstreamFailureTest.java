package kr.go.procurement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import kr.go.procurement.testsupport.Eventually;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A gateway (1 s upstream timeout) whose status-view is a service the test stops and whose notification-svc
 * answers only after {@code X-Test-Delay-Ms}: failures become problems naming the service, never its address, in
 * the configured time, while other routes keep answering.
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamFailureTest {

  private static final String ADMIN = TestTokens.token("admin", null, "admin");
  private static final long TIMEOUT_MS = 1000;

  private final GatewaySystem system = GatewaySystem.shared();
  private TestUpstream statusView;
  private TestUpstream slowNotification;
  private GatewaySystem.Gateway gateway;
  private Http http;

  @BeforeAll
  void start() {
    statusView = TestUpstream.start(system.vertx);
    slowNotification = TestUpstream.start(system.vertx);
    gateway = system.startGateway(Map.of("UPSTREAM_TIMEOUT_MS", Long.toString(TIMEOUT_MS),
        "STATUS_VIEW_URL", statusView.url(), "NOTIFICATION_URL", slowNotification.url()));
    http = gateway.http();
  }

  @AfterAll
  void stop() {
    system.stop(gateway);
    slowNotification.close();
  }

  @Test
  void aMalformedPercentEscapeIsA400ProblemNotA500() throws Exception {
    // Written by hand: Java's own HTTP client refuses to send such a path, but any client on the internet may.
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
      socket.getOutputStream().write(("GET /deliveryrequests/%zz HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
          + ADMIN + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/problem+json");
    }
  }

  @Test
  void aStoppedServiceIs503WithRetryAfterAndNoAddress() {
    assertThat(http.get("/deliveryStatusInquiries", ADMIN).status()).isEqualTo(200);
    statusView.close();

    Http.Response r = http.get("/deliveryStatusInquiries", ADMIN);
    assertThat(r.status()).as(r.body()).isEqualTo(503);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.header("Retry-After")).isEqualTo("5");
    assertThat(r.json().getString("detail")).contains("status-view")
        .doesNotContain("127.0.0.1").doesNotContain(statusView.url().substring(statusView.url().lastIndexOf(':') + 1));
    assertThat(r.millis()).isLessThan(TIMEOUT_MS);
    // The other services are still there.
    assertThat(http.get("/deliveryrequests?size=1", ADMIN).status()).isEqualTo(200);
  }

  @Test
  void aSlowServiceIs504InTheConfiguredTime() throws Exception {
    // The service would answer after 30 s: a 504 can only be the gateway's own timeout.
    Http.Response r = http.call("GET", "/smsHistories").token(ADMIN).header("X-Test-Delay-Ms", "30000").send();
    assertThat(r.status()).as(r.body()).isEqualTo(504);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.json().getString("detail")).isEqualTo("notification-svc did not answer within 1000 ms.");
    assertThat(r.millis()).as("not before the timeout").isGreaterThanOrEqualTo(TIMEOUT_MS - 50);
  }

  @Test
  void aSlowCallDoesNotHoldUpOtherRoutes() {
    // A gateway with a long timeout, so that the slow call is still waiting however slow this machine is.
    GatewaySystem.Gateway patient = system.startGateway(Map.of("UPSTREAM_TIMEOUT_MS", "60000",
        "STATUS_VIEW_URL", statusView.url(), "NOTIFICATION_URL", slowNotification.url()));
    try {
      int arrived = slowNotification.requests();
      CompletableFuture<Http.Response> slow = patient.http().call("GET", "/smsHistories").token(ADMIN)
          .header("X-Test-Delay-Ms", "50000").sendAsync();
      Eventually.until(() -> assertThat(slowNotification.requests()).as("the slow call reached the service")
          .isGreaterThan(arrived));

      assertThat(patient.http().get("/deliveryrequests?size=1", ADMIN).status()).isEqualTo(200);
      assertThat(patient.http().get("/smsHistories?other", ADMIN).status()).as("the same service, too")
          .isEqualTo(200);
      assertThat(slow).as("the fast calls were not queued behind the slow one").isNotDone();
      slow.cancel(true);
    } finally {
      system.stop(patient);
    }
  }

  @Test
  void aServiceThatAnswersWithinTheTimeoutIsNotCut() {
    // Half of a 5 s budget: the answer comes well after the request was sent, well before the deadline.
    GatewaySystem.Gateway gateway5s = system.startGateway(Map.of("UPSTREAM_TIMEOUT_MS", "5000",
        "STATUS_VIEW_URL", statusView.url(), "NOTIFICATION_URL", slowNotification.url()));
    try {
      Http.Response r = gateway5s.http().call("GET", "/smsHistories").token(ADMIN)
          .header("X-Test-Delay-Ms", "2500").send();
      assertThat(r.status()).isEqualTo(200);
    } finally {
      system.stop(gateway5s);
    }
  }

  @Test
  void bodiesOver64KiBAre413AndNeverReachTheService() {
    int before = slowNotification.requests() + statusView.requests();
    byte[] big = new byte[64 * 1024 + 1];
    java.util.Arrays.fill(big, (byte) 'x');
    Http.Response declared = http.call("POST", "/deliveryrequests").token(ADMIN)
        .header("Content-Type", "application/json").body(HttpRequest.BodyPublishers.ofByteArray(big)).send();
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.header("Content-Type")).isEqualTo("application/problem+json");

    // Chunked, so the size is only known while reading.
    Http.Response chunked = http.call("POST", "/deliveryrequests").token(ADMIN)
        .header("Content-Type", "application/json")
        .body(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).send();
    assertThat(chunked.status()).isEqualTo(413);
    assertThat(slowNotification.requests() + statusView.requests()).isEqualTo(before);

    byte[] fits = "{\"procNo\":\"uf-fits\",\"procTitle\":\"의자\",\"procContents\":\"%s\"}"
        .formatted("가".repeat(3000)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    // Through the shared gateway (10 s budget): a real registration may take over this class's 1 s when busy.
    Http.Response ok = system.gateway.http().call("POST", "/deliveryrequests").token(ADMIN).header("Content-Type", "application/json")
        .body(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(fits))).send();
    assertThat(ok.status()).as(ok.body()).isEqualTo(201);
  }
}
