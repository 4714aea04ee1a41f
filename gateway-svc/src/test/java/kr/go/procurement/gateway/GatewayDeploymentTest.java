package kr.go.procurement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import kr.go.procurement.platform.config.Env;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What {@code java -jar gateway-svc.jar} deploys: several gateway instances on one port, in front of a stand-in
 * service. Each request below comes on a connection of its own, so Vert.x spreads them over the instances; the
 * rate limit must hold for the caller as a whole, not once per instance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayDeploymentTest {

  private static final int RATE = 1;
  private static final int BURST = 3;
  private static final int INSTANCES = 3;

  private final Vertx vertx = Vertx.vertx();
  private TestUpstream upstream;
  private int port;
  /** The rate limit's clock: frozen, so no bucket refills however long the machine takes for the requests below. */
  private final AtomicLong nanos = new AtomicLong();

  @BeforeAll
  void start() {
    upstream = TestUpstream.start(vertx);
    port = GatewaySystem.freePort();
    Map<String, String> settings = new HashMap<>();
    settings.put("HTTP_PORT", Integer.toString(port));
    for (String url : new String[] {"REQUEST_URL", "MANAGEMENT_URL", "DELIVERY_URL", "STATUS_VIEW_URL",
        "NOTIFICATION_URL"}) {
      settings.put(url, upstream.url());
    }
    settings.put("JWT_HS256_SECRET", TestTokens.SECRET);
    settings.put("RATE_LIMIT_PER_SECOND", Integer.toString(RATE));
    settings.put("RATE_LIMIT_BURST", Integer.toString(BURST));
    settings.put("ACCESS_LOG", "false");
    settings.put("SSE_MAX_STREAMS", Integer.toString(INSTANCES));
    GatewayDeployment gateways = new GatewayDeployment(GatewayConfig.fromEnv(new Env(settings)), INSTANCES,
        nanos::get);
    assertThat(gateways.instances()).isEqualTo(INSTANCES);
    vertx.deployVerticle(gateways).await();
  }

  @AfterAll
  void stop() {
    vertx.close().await();
  }

  @Test
  void theInstancesShareOnePortAndOneRateLimit() throws IOException {
    String token = TestTokens.token("instances-1", null, "viewer");
    long start = System.nanoTime();
    int passed = 0;
    int limited = 0;
    for (int i = 0; i < 4 * BURST; i++) {
      int status = statusOnNewConnection("/deliveryStatusInquiries?size=1", token);
      passed += status == 200 ? 1 : 0;
      limited += status == 429 ? 1 : 0;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(passed + limited).isEqualTo(4 * BURST);
    // One bucket: the burst plus what it refilled meanwhile. A bucket per instance would let INSTANCES * BURST pass.
    // With the clock frozen nothing refilled: exactly the burst.
    assertThat(passed).isBetween(BURST, BURST + (int) Math.ceil(seconds * RATE)).isEqualTo(BURST);
    assertThat(limited).isEqualTo(3 * BURST);
    assertThat(upstream.requests()).isGreaterThanOrEqualTo(passed);
  }

  /** SSE_MAX_STREAMS is the gateway's, not each instance's: the instances split it. */
  @Test
  void theStreamLimitHoldsForAllInstancesTogether() throws IOException {
    List<Socket> open = new ArrayList<>();
    try {
      int streaming = 0;
      int refused = 0;
      for (int i = 0; i <= INSTANCES; i++) {
        Socket socket = new Socket("127.0.0.1", port);
        open.add(socket);
        // A caller each, so that the rate limit (burst 3) does not come into it.
        String token = TestTokens.token("instances-stream-" + i, null, "viewer");
        int status = status(socket, "/deliveryStatusInquiries/stream", token, "Accept: text/event-stream\r\n");
        streaming += status == 200 ? 1 : 0;
        refused += status == 503 ? 1 : 0;
      }
      // Connections go to the instances in turn: the last one lands on an instance whose share is taken.
      assertThat(streaming).isEqualTo(INSTANCES);
      assertThat(refused).isEqualTo(1);
    } finally {
      for (Socket socket : open) {
        socket.close();
      }
    }
    assertThat(GatewayVerticle.share(256, 2)).isEqualTo(128);
    assertThat(GatewayVerticle.share(64, 3)).isEqualTo(21);
    assertThat(GatewayVerticle.share(1, 4)).isEqualTo(1);
  }

  @Test
  void onePerProcessorButOneOnAFreePort() {
    GatewayConfig onItsPort = GatewayConfig.fromEnv(new Env(Map.of("JWT_HS256_SECRET", TestTokens.SECRET)));
    assertThat(new GatewayDeployment(onItsPort).instances()).isEqualTo(Runtime.getRuntime().availableProcessors());
    GatewayConfig onAFreePort = GatewayConfig.fromEnv(new Env(Map.of("HTTP_PORT", "0",
        "JWT_HS256_SECRET", TestTokens.SECRET)));
    assertThat(new GatewayDeployment(onAFreePort, 4).instances()).isEqualTo(1);
  }

  /** A GET on a connection of its own (closed after the answer); the status code. */
  private int statusOnNewConnection(String path, String token) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return status(socket, path, token, "Connection: close\r\n");
    }
  }

  /** Sends a GET on {@code socket} and reads the status line of the answer. */
  private int status(Socket socket, String path, String token, String moreHeaders) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token
        + "\r\n" + moreHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    socket.setSoTimeout(10_000);
    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    String statusLine = in.readLine();
    assertThat(statusLine).startsWith("HTTP/1.1 ");
    return Integer.parseInt(statusLine.substring(9, 12));
  }
}
