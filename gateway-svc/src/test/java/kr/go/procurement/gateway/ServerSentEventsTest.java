package kr.go.procurement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.Test;

/**
 * Server-Sent Events pass through the gateway as they are sent, and only to the callers the service lets see them:
 * from the real status-view, and from a stand-in whose events the test sends at chosen moments.
 */
@RealInfra
class ServerSentEventsTest {

  private static final String C01 = TestTokens.token("supplier-c01", "c01", "supplier");
  private static final String C02 = TestTokens.token("supplier-c02", "c02", "supplier");

  private final GatewaySystem system = GatewaySystem.shared();

  @Test
  void statusViewChangesReachTheirSupplierLiveAndNoOtherSupplier() throws Exception {
    Http gateway = system.gateway.http();
    try (Http.Stream c01 = gateway.call("GET", "/deliveryStatusInquiries/stream").token(C01)
        .header("Accept", "text/event-stream").stream();
         Http.Stream c02 = gateway.call("GET", "/deliveryStatusInquiries/stream").token(C02)
             .header("Accept", "text/event-stream").stream()) {
      assertThat(c01.response.statusCode()).isEqualTo(200);
      assertThat(c01.response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
      assertThat(c02.response.statusCode()).isEqualTo(200);

      // The workflow runs on the services directly; its changes reach status-view by Kafka, then the streams.
      String procNo = "sse-" + Long.toString(System.nanoTime() % 1_000_000, 36);
      Workflow workflow = new Workflow(system);
      List<Long> ids = workflow.register(List.of(procNo));
      workflow.awaitPosted(ids);
      workflow.orderAndAwait(ids, List.of(procNo), "c01");

      String event = c01.next("data:", Duration.ofSeconds(20));
      while (event != null && !(event.contains(procNo) && event.contains("DELIVERY_REQUESTED"))) {
        event = c01.next("data:", Duration.ofSeconds(20));
      }
      assertThat(event).as("c01's stream shows its delivery order").isNotNull().contains("\"companyNo\":\"c01\"");

      // A later procurement ordered to c02 is the marker: status-view writes each change to every stream when it
      // applies it, so c01's change, had it leaked, would be on c02's stream before anything of the later one.
      String marker = procNo + "-c02";
      List<Long> markerIds = workflow.register(List.of(marker));
      workflow.awaitPosted(markerIds);
      workflow.orderAndAwait(markerIds, List.of(marker), "c02");
      String leaked = null;
      String seen = c02.next("data:", Duration.ofSeconds(20));
      while (seen != null && !seen.contains(marker)) {
        leaked = seen.contains(procNo) ? seen : leaked;
        seen = c02.next("data:", Duration.ofSeconds(20));
      }
      assertThat(seen).as("c02's stream shows its own later procurement").isNotNull();
      assertThat(leaked).as("c02's stream never shows c01's procurement").isNull();
    }
  }

  @Test
  void eachEventCrossesTheGatewayWhenItIsSent() throws Exception {
    try (Http.Stream stream = openEchoStream()) {
      assertThat(stream.response.statusCode()).isEqualTo(200);
      // The stand-in greets with the subject it was told: the identity travels with the stream too.
      assertThat(stream.next("data:", Duration.ofSeconds(5))).isEqualTo("data: supplier-c01");

      system.standIn.emit("first");
      long sent = System.nanoTime();
      assertThat(stream.next("data:", Duration.ofSeconds(5))).isEqualTo("data: first");
      System.out.printf("an event crossed the gateway in %.1f ms%n", (System.nanoTime() - sent) / 1e6);

      // The stream must outlive the gateway's 1.5 s upstream timeout. A call started now that the service never
      // answers in time gets its 504 only once that timeout has passed, and the stream's began earlier.
      Http.Response late = system.echoGateway().http().call("GET", "/smsHistories")
          .token(TestTokens.token("sse-admin", null, "admin")).header("X-Test-Delay-Ms", "30000").send();
      assertThat(late.status()).as("a later call has timed out").isEqualTo(504);
      system.standIn.emit("second");
      assertThat(stream.next("data:", Duration.ofSeconds(5))).isEqualTo("data: second");
    }
    // Closing the client's side closes the service's stream too.
    Workflow.eventually(system.standIn::openStreams, n -> n == 0);
    assertThat(system.standIn.openStreams()).isZero();
  }

  /**
   * The stand-in's stream through the echo gateway, opened again while the gateway answers 504: its 1.5 s upstream
   * timeout is short on purpose (the test lets a silence outlast it), so on a busy machine the stand-in's headers can
   * miss it. What the test proves starts once a stream is open.
   */
  private Http.Stream openEchoStream() throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Http.Stream stream = system.echoGateway().http().call("GET", "/deliveryStatusInquiries/stream")
          .token(C01).header("Accept", "text/event-stream").stream();
      if (stream.response.statusCode() != 504 || System.nanoTime() > deadline) {
        return stream;
      }
      stream.close();
    }
  }
}
