package kr.go.procurement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import kr.go.procurement.gateway.limit.RateLimiter;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A gateway with a small limit (2 per second, burst 4) and CORS for one origin; the local-token switch off. */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitTest {

  private static final int RATE = 2;
  private static final int BURST = 4;

  private final GatewaySystem system = GatewaySystem.shared();
  private GatewaySystem.Gateway gateway;
  private Http http;

  /** The buckets' clock: time passes only when a test says so, however busy the machine is. */
  private final AtomicLong nanos = new AtomicLong();

  @BeforeAll
  void start() {
    gateway = system.startGateway(Map.of("RATE_LIMIT_PER_SECOND", Integer.toString(RATE), "RATE_LIMIT_BURST",
            Integer.toString(BURST), "CORS_ALLOWED_ORIGINS", "http://console.example", "GATEWAY_LOCAL_TOKENS", "false"),
        new RateLimiter(RATE, BURST, nanos::get));
    http = gateway.http();
  }

  @AfterAll
  void stop() {
    system.stop(gateway);
  }

  @Test
  void theBurstPassesThen429AtTheConfiguredRateThenItClears() {
    String viewer = TestTokens.token("rl-viewer", null, "viewer");
    String other = TestTokens.token("rl-other", null, "viewer");

    // The burst passes, then 429.
    for (int i = 0; i < BURST; i++) {
      assertThat(http.get("/goodsdeliveries?size=1", viewer).status()).as("request %d of the burst", i).isEqualTo(200);
    }
    Http.Response limited = http.get("/goodsdeliveries?size=1", viewer);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(limited.header("Retry-After")).isEqualTo("1");
    assertThat(limited.json().getString("type")).endsWith("/too-many-requests");

    // Another caller has a bucket of its own.
    assertThat(http.get("/goodsdeliveries?size=1", other).status()).isEqualTo(200);

    // Sustained: RATE per second get through, the rest is refused.
    for (int second = 1; second <= 3; second++) {
      nanos.addAndGet(1_000_000_000L);
      for (int i = 0; i < RATE; i++) {
        assertThat(http.get("/goodsdeliveries?size=1", viewer).status()).as("second %d, request %d", second, i)
            .isEqualTo(200);
      }
      assertThat(http.get("/goodsdeliveries?size=1", viewer).status()).as("second %d, over the rate", second)
          .isEqualTo(429);
    }

    // After the window (BURST / RATE seconds) the bucket is full again, and no fuller.
    nanos.addAndGet(BURST * 1_000_000_000L / RATE);
    for (int i = 0; i < BURST; i++) {
      assertThat(http.get("/goodsdeliveries?size=1", viewer).status()).isEqualTo(200);
    }
    assertThat(http.get("/goodsdeliveries?size=1", viewer).status()).isEqualTo(429);
  }

  @Test
  void callersWithoutAValidTokenAreLimitedByAddress() {
    Http anonymous = new Http(gateway.port());
    int unauthorized = 0;
    int limited = 0;
    for (int i = 0; i < BURST + 3; i++) {
      int status = anonymous.get("/goodsdeliveries", "not-a-token").status();
      unauthorized += status == 401 ? 1 : 0;
      limited += status == 429 ? 1 : 0;
    }
    assertThat(unauthorized + limited).isEqualTo(BURST + 3);
    assertThat(limited).isPositive();
    // Health checks are not counted.
    assertThat(anonymous.get("/health/ready", null).status()).isEqualTo(200);
  }

  @Test
  void corsPreflightForTheConfiguredOriginOnly() {
    Http.Response preflight = http.call("OPTIONS", "/deliveryrequests").header("Origin", "http://console.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization,content-type").send();
    assertThat(preflight.status()).isIn(200, 204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("http://console.example");
    assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST");

    Http.Response foreign = http.call("OPTIONS", "/deliveryrequests").header("Origin", "http://evil.example")
        .header("Access-Control-Request-Method", "POST").send();
    assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
    assertThat(system.gateway.http().call("OPTIONS", "/deliveryrequests").header("Origin", "http://console.example")
        .header("Access-Control-Request-Method", "POST").send().header("Access-Control-Allow-Origin"))
        .as("CORS is off by default").isNull();
  }

  @Test
  void theTokenEndpointDoesNotExistUnlessSwitchedOn() {
    // With a token, so that the anonymous budget other tests use up does not matter.
    Http.Response r = http.call("POST", "/local/tokens").token(TestTokens.token("rl-local", null, "viewer"))
        .json(new JsonObject().put("sub", "x").put("roles", new JsonArray().add("admin"))).send();
    assertThat(r.status()).isEqualTo(404);
  }
}
