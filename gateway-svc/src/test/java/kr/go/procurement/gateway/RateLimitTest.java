package kr.go.procurement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
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

  @BeforeAll
  void start() {
    gateway = system.startGateway(Map.of("RATE_LIMIT_PER_SECOND", Integer.toString(RATE), "RATE_LIMIT_BURST",
        Integer.toString(BURST), "CORS_ALLOWED_ORIGINS", "http://console.example", "GATEWAY_LOCAL_TOKENS", "false"));
    http = gateway.http();
  }

  @AfterAll
  void stop() {
    system.stop(gateway);
  }

  @Test
  void theBurstPassesThen429AtTheConfiguredRateThenItClears() {
    String viewer = TestTokens.token("rl-viewer", null, "viewer");
    // Warm the connections up with another caller, so the burst below takes milliseconds, not a refill period.
    String other = TestTokens.token("rl-other", null, "viewer");
    http.get("/goodsdeliveries?size=1", other);
    // The burst passes, then 429. On a busy machine the burst itself can take long enough for the bucket to refill
    // a token or two; the bucket's own arithmetic bounds how many may pass, whatever the machine's speed.
    long burstStart = System.nanoTime();
    int passedFirst = 0;
    Http.Response limited;
    while ((limited = http.get("/goodsdeliveries?size=1", viewer)).status() == 200 && passedFirst < 100) {
      passedFirst++;
    }
    double burstSeconds = (System.nanoTime() - burstStart) / 1e9;
    assertThat(passedFirst).isBetween(BURST, BURST + (int) Math.ceil(burstSeconds * RATE));
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(limited.header("Retry-After")).isEqualTo("1");
    assertThat(limited.json().getString("type")).endsWith("/too-many-requests");

    // Another caller has a bucket of its own.
    assertThat(http.get("/goodsdeliveries?size=1", other).status()).isEqualTo(200);

    // Sustained: about RATE per second get through, the rest is refused.
    long start = System.nanoTime();
    int passed = 0;
    while (System.nanoTime() - start < 3_000_000_000L) {
      if (http.get("/goodsdeliveries?size=1", viewer).status() == 200) {
        passed++;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("sustained: %d of the requests in %.2f s passed (limit %d/s)%n", passed, seconds, RATE);
    assertThat(passed).isBetween((int) (RATE * seconds) - 2, (int) (RATE * seconds) + 2);

    // After the window (BURST / RATE seconds) the bucket is full again.
    Workflow.sleep(BURST * 1000L / RATE + 100);
    for (int i = 0; i < BURST; i++) {
      assertThat(http.get("/goodsdeliveries?size=1", viewer).status()).isEqualTo(200);
    }
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
