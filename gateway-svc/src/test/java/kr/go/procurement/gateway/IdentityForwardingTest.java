package kr.go.procurement.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import kr.go.procurement.gateway.auth.TokenRejected;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who the services are told is calling: only what the token says, whatever headers the client adds; ownership
 * enforced with it (supplier c02 and c01's deliveries); links and ids that point at the gateway.
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityForwardingTest {

  private static final String AGENCY = TestTokens.token("agency-officer", null, "agency");
  private static final String ADMIN = TestTokens.token("admin", null, "admin");
  private static final String C01 = TestTokens.token("supplier-c01", "c01", "supplier");
  private static final String C02 = TestTokens.token("supplier-c02", "c02", "supplier");

  private final GatewaySystem system = GatewaySystem.shared();
  private Http gateway;
  private long c01Delivery;
  private String c01ProcNo;

  @BeforeAll
  void prepare() {
    gateway = system.gateway.http();
    Workflow workflow = new Workflow(system);
    c01ProcNo = "idf-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    List<Long> ids = workflow.register(List.of(c01ProcNo));
    workflow.awaitPosted(ids);
    workflow.orderAndAwait(ids, List.of(c01ProcNo), "c01");
    c01Delivery = ids.get(0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kr.go.procurement.gateway.ForgedTokens#all")
  void everyForgedTokenIsAnswered401WithAChallenge(String kind, String token, TokenRejected.Reason reason) {
    Http.Response r = gateway.get("/goodsdeliveries", token);
    if (kind.equals("oversized")) {
      // Vert.x's HTTP server refuses a header block over 8 KiB before any handler runs.
      assertThat(r.status()).isEqualTo(431);
      return;
    }
    assertThat(r.status()).as(r.body()).isEqualTo(401);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.header("WWW-Authenticate")).startsWith("Bearer realm=\"procurement\", error=\"invalid_token\"");
    assertThat(r.json().getString("type")).endsWith("/unauthorized");
  }

  @Test
  void noTokenOrAnotherSchemeIsAChallengeWithoutError() {
    for (Http.Call call : List.of(gateway.call("GET", "/goodsdeliveries"),
        gateway.call("GET", "/goodsdeliveries").header("Authorization", "Basic YWRtaW46YWRtaW4="))) {
      Http.Response r = call.send();
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"procurement\"");
    }
  }

  @Test
  void identityHeadersFromTheClientAreReplacedByTheTokens() {
    Http echo = system.echoGateway().http();
    Http.Response r = echo.call("GET", "/smsHistories?page=0").token(AGENCY)
        .header("X-User-Id", "admin")
        .header("X-User-Roles", "admin")
        .header("X-User-Company", "c01")
        .header("X-User-Extra", "anything")
        .header("X-Forwarded-Host", "evil.example")
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Prefix", "/evil")
        .header("X-Forwarded-Port", "666")
        .header("Forwarded", "host=evil.example;proto=https")
        .send();
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonObject seen = system.standIn.last().getJsonObject("headers");
    assertThat(seen.getString("x-user-id")).isEqualTo("agency-officer");
    assertThat(seen.getString("x-user-roles")).isEqualTo("agency");
    assertThat(seen.containsKey("x-user-company")).isFalse();
    assertThat(seen.containsKey("x-user-extra")).isFalse();
    assertThat(seen.getString("x-forwarded-host")).isEqualTo("127.0.0.1:" + system.echoGateway().port());
    assertThat(seen.getString("x-forwarded-proto")).isEqualTo("http");
    assertThat(seen.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(seen.containsKey("x-forwarded-prefix")).isFalse();
    assertThat(seen.containsKey("x-forwarded-port")).isFalse();
    assertThat(seen.containsKey("forwarded")).isFalse();
    assertThat(seen.containsKey("authorization")).as("the token stays at the gateway").isFalse();
    assertThat(system.standIn.last().getString("uri")).isEqualTo("/smsHistories?page=0");
  }

  @Test
  void aSupplierTokenForwardsItsCompany() {
    assertThat(system.echoGateway().http().get("/deliveryStatusInquiries", C02).status()).isEqualTo(200);
    JsonObject seen = system.standIn.last().getJsonObject("headers");
    assertThat(seen.getString("x-user-id")).isEqualTo("supplier-c02");
    assertThat(seen.getString("x-user-roles")).isEqualTo("supplier");
    assertThat(seen.getString("x-user-company")).isEqualTo("c02");
  }

  @Test
  void spoofedHeadersWithoutATokenGetNowhere() {
    Http.Response r = gateway.call("GET", "/goodsdeliveries").header("X-User-Id", "admin")
        .header("X-User-Roles", "admin").send();
    assertThat(r.status()).isEqualTo(401);
  }

  @Test
  void supplierC02CannotSeeOrTouchC01sDelivery() {
    Http.Response own = gateway.get("/goodsdeliveries/" + c01Delivery, C01);
    assertThat(own.status()).as(own.body()).isEqualTo(200);

    Http.Response read = gateway.call("GET", "/goodsdeliveries/" + c01Delivery).token(C02)
        .header("X-User-Company", "c01").send();
    // delivery-svc answers as if another company's row did not exist.
    assertThat(read.status()).as(read.body()).isEqualTo(404);

    Http.Response found = gateway.get("/goodsdeliveries/search/findByProcNo?procNo=" + c01ProcNo, C02);
    assertThat(found.status()).as(found.body()).isEqualTo(404);

    JsonArray listed = gateway.get("/goodsdeliveries?size=1000", C02).json().getJsonObject("_embedded")
        .getJsonArray("goodsdeliveries");
    assertThat(listed.stream().map(o -> ((JsonObject) o).getString("companyNo"))).doesNotContain("c01");
    JsonArray c01Listed = gateway.get("/goodsdeliveries?size=1000", C01).json().getJsonObject("_embedded")
        .getJsonArray("goodsdeliveries");
    assertThat(c01Listed.stream().map(o -> ((JsonObject) o).getLong("id"))).contains(c01Delivery);

    Http.Response patch = gateway.call("PATCH", "/goodsdeliveries/" + c01Delivery).token(C02)
        .header("X-User-Company", "c01").header("X-User-Roles", "admin")
        .json(new JsonObject().put("procNo", c01ProcNo).put("companyPhoneNo", "010-0000-0000")).send();
    assertThat(patch.status()).as(patch.body()).isEqualTo(403);
    JsonObject after = gateway.get("/goodsdeliveries/" + c01Delivery, ADMIN).json();
    assertThat(after.getString("status")).isEqualTo("DELIVERY_REQUESTED");
    assertThat(after.getString("companyPhoneNo")).isNull();
  }

  @Test
  void theStatusBoardShowsASupplierOnlyItsOwnRows() {
    String byProcNo = "/deliveryStatusInquiries/search/findByProcNo?procNo=" + c01ProcNo;
    Http.Response own = Workflow.eventually(() -> gateway.get(byProcNo, C01),
        r -> r.status() == 200 && "DELIVERY_REQUESTED".equals(r.json().getString("status")));
    assertThat(own.status()).as(own.body()).isEqualTo(200);
    assertThat(own.json().getString("companyNo")).isEqualTo("c01");

    assertThat(gateway.call("GET", byProcNo).token(C02).header("X-User-Company", "c01").send().status())
        .isEqualTo(404);
    JsonArray listed = gateway.get("/deliveryStatusInquiries?size=1000", C02).json().getJsonObject("_embedded")
        .getJsonArray("deliveryStatusInquiries");
    assertThat(listed.stream().map(o -> ((JsonObject) o).getString("procNo"))).doesNotContain(c01ProcNo);
    JsonArray all = gateway.get("/deliveryStatusInquiries?size=1000", TestTokens.token("v", null, "viewer")).json()
        .getJsonObject("_embedded").getJsonArray("deliveryStatusInquiries");
    assertThat(all.stream().map(o -> ((JsonObject) o).getString("procNo"))).contains(c01ProcNo);
  }

  @Test
  void locationAndLinksPointAtTheGateway() {
    String base = "http://127.0.0.1:" + system.gateway.port();
    Http.Response created = gateway.call("POST", "/deliveryrequests").token(AGENCY)
        .json(new JsonObject().put("procNo", "idf-link-" + System.nanoTime() % 100_000).put("procTitle", "의자"))
        .send();
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    long id = created.json().getLong("id");
    assertThat(created.header("Location")).isEqualTo(base + "/deliveryrequests/" + id);
    assertThat(created.json().getJsonObject("_links").getJsonObject("self").getString("href"))
        .isEqualTo(base + "/deliveryrequests/" + id);

    JsonObject page = gateway.get("/deliveryrequests?size=1&sort=id,desc", AGENCY).json();
    assertThat(page.getJsonObject("_links").getJsonObject("self").getString("href"))
        .startsWith(base + "/deliveryrequests?");
    assertThat(page.getJsonObject("_links").getJsonObject("search").getString("href"))
        .isEqualTo(base + "/deliveryrequests/search");
  }

  @Test
  void theRequestIdIsKeptForwardedAndReturnedOnce() {
    Http echo = system.echoGateway().http();
    Http.Response given = echo.call("GET", "/smsHistories").token(AGENCY).header("X-Request-Id", "trace-123").send();
    assertThat(given.headers().allValues("X-Request-Id")).containsExactly("trace-123");
    assertThat(system.standIn.last().getJsonObject("headers").getString("x-request-id")).isEqualTo("trace-123");

    Http.Response generated = echo.get("/smsHistories", AGENCY);
    String id = generated.header("X-Request-Id");
    assertThat(id).matches("[0-9a-f-]{36}");
    assertThat(generated.headers().allValues("X-Request-Id")).hasSize(1);
    assertThat(system.standIn.last().getJsonObject("headers").getString("x-request-id")).isEqualTo(id);

    Http.Response refused = echo.call("GET", "/smsHistories").header("X-Request-Id", "bad id with spaces").send();
    assertThat(refused.json().getString("requestId")).isEqualTo(refused.header("X-Request-Id"))
        .isNotEqualTo("bad id with spaces");
  }

  @Test
  void healthMetricsAndTheConsolePageAreOpen() {
    assertThat(gateway.get("/health/live", null).status()).isEqualTo(200);
    assertThat(gateway.get("/health/ready", null).json().getString("status")).isEqualTo("UP");
    Http.Response metrics = gateway.get("/metrics", null);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("gateway_auth_failures_total");
    Http.Response console = gateway.get("/", null);
    assertThat(console.status()).isEqualTo(200);
    assertThat(console.header("Content-Type")).startsWith("text/html");
    assertThat(console.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(console.header("Content-Security-Policy")).contains("script-src 'self'");
    assertThat(console.body()).contains("<script type=\"module\" src=\"/console/app.js\">");
    Http.Response script = gateway.get("/console/app.js", null);
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.header("Content-Type")).startsWith("text/javascript");
    assertThat(script.header("Cache-Control")).isEqualTo("public, max-age=300");
    assertThat(script.header("Last-Modified")).isNotNull();
    assertThat(gateway.get("/console/app.css", null).header("Content-Type")).startsWith("text/css");
    // Only the console's own files are open: a missing one, and the API, still answer as before.
    assertThat(gateway.get("/console/nothing.js", null).status()).isEqualTo(404);
    assertThat(gateway.get("/deliveryStatusInquiries", null).status()).isEqualTo(401);
  }

  @Test
  void localTokensAreMintedForThisMachineOnly() {
    Http.Response minted = gateway.call("POST", "/local/tokens").json(new JsonObject().put("sub", "kim")
        .put("roles", new JsonArray().add("supplier")).put("companyNo", "c01")).send();
    assertThat(minted.status()).as(minted.body()).isEqualTo(200);
    String token = minted.json().getString("token");
    assertThat(gateway.get("/goodsdeliveries/" + c01Delivery, token).status()).isEqualTo(200);

    Http.Response relayed = gateway.call("POST", "/local/tokens").header("X-Forwarded-For", "203.0.113.9")
        .json(new JsonObject().put("sub", "kim").put("roles", new JsonArray().add("admin"))).send();
    assertThat(relayed.status()).isEqualTo(404);

    Http.Response invalid = gateway.call("POST", "/local/tokens").json(new JsonObject().put("sub", "kim")
        .put("roles", new JsonArray().add("root"))).send();
    assertThat(invalid.status()).isEqualTo(400);
    Http.Response supplierWithoutCompany = gateway.call("POST", "/local/tokens").json(new JsonObject()
        .put("sub", "kim").put("roles", new JsonArray().add("supplier"))).send();
    assertThat(supplierWithoutCompany.status()).isEqualTo(400);
  }

  /** The gateway listens on every interface; a caller reaching it over the network gets no token endpoint. */
  @Test
  void localTokensAreNotMintedForCallersFromTheNetwork() throws Exception {
    InetAddress external = Collections.list(NetworkInterface.getNetworkInterfaces())
        .stream().filter(i -> {
          try {
            return i.isUp() && !i.isLoopback();
          } catch (SocketException e) {
            return false;
          }
        })
        .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
        .filter(a -> a instanceof Inet4Address).findFirst().orElse(null);
    assumeTrue(external != null, "this machine has no network interface");
    Http fromNetwork = new Http("http://" + external.getHostAddress() + ":" + system.gateway.port());
    Http.Response r = fromNetwork.call("POST", "/local/tokens").json(new JsonObject().put("sub", "kim")
        .put("roles", new JsonArray().add("admin"))).send();
    assertThat(r.status()).as(r.body()).isEqualTo(404);
    assertThat(fromNetwork.get("/health/live", null).status()).as("the same gateway, reachable").isEqualTo(200);
  }

  @Test
  void aSupplierTokenWithoutACompanyIsRefusedAtTheGateway() {
    Http.Response r = gateway.get("/goodsdeliveries", TestTokens.token("supplier-x", null, "supplier"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().getString("detail")).contains("not bound to a company");
  }
}
