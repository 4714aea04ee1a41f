package kr.go.procurement.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.bson.Document;

/**
 * Thousands of malformed, oversized, wrongly typed and hostile requests to every endpoint, through the gateway and
 * straight to each service: never a 5xx or a dropped connection, every error a well-formed problem+json naming its
 * own status and no internals, no write ever accepted, and nothing stored (every table's and collection's count, the
 * outboxes, and a few existing procurements in each state stay exactly as they were).
 *
 * <p>Tries per property: {@code jqwik.tries.default} (the POM sets it from {@code system.badInputTries}).
 */
class BadInputIT {

  static final List<String> HOSTILE = List.of(
      "' OR '1'='1", "'; DROP TABLE request.procurement_request; --", "\" OR \"\"=\"", "1; SELECT pg_sleep(5)",
      "{\"$gt\": \"\"}", "{\"$where\": \"sleep(1000)\"}", "$ne", "<script>alert(1)</script>", "../../../../etc/passwd",
      "..\\..\\windows", "${jndi:ldap://127.0.0.1/a}", "{{7*7}}", "#{7*7}", "`id`", "$(id)", "\r\nX-Injected: 1",
      "\u0000", "nul\u0000byte", "ＡＢＣ１２３", "🙂🙂🙂", "ٱلسَّلَامُ", "\u202Egnp.exe", "\uFEFF", "NaN", "Infinity",
      "-0", "1e400", "0x7fffffff", "%00", "%ff%fe", "p01 p02", "p01\np02", "", " ", "x".repeat(51),
      "가".repeat(300), "A".repeat(5000));
  static final List<Object> HUGE = List.of(
      "1e400", "-1e400", "123456789012345678901234567890", "9223372036854775808", "-9223372036854775809",
      "1.7976931348623157e309", "0.0000000000000000000000000000000000000000001e-400", "-0.0", "1E+2147483648");
  static final List<String> BAD_IDS = List.of(
      "0", "-1", "987654321", "9223372036854775807", "9223372036854775808", "99999999999999999999999", "1.5", "1e3",
      "abc", "%00", "%27%20OR%201=1", "1;DROP", "%ff%fe", "%C3%28", "%ED%A0%80", "１２３", "x".repeat(3000), "+1",
      "0x10", "%2e%2e", "1%2F2");

  /** The procurements that exist before the campaign, one in each state; writes to them must change nothing. */
  static final Map<String, Long> SENTINELS = new LinkedHashMap<>();
  private static Map<String, Object> before;
  private static final AtomicInteger SENT = new AtomicInteger();
  /** Answers that broke a rule, and properties after which the stores had changed. */
  private static final AtomicInteger FAILED = new AtomicInteger();
  private static final AtomicInteger VIA_GATEWAY = new AtomicInteger();

  private static Stack stack;
  private static Http http;

  @BeforeContainer
  static void sentinels() {
    stack = Stack.get();
    http = new Http();
    Ledger ledger = new Ledger();
    Random random = new Random(42);
    String[] names = {"posted", "ordered", "inspectionRequested", "inspected", "cancelled"};
    for (int step = 0; step < names.length; step++) {
      Workflow w = new Workflow(stack, http, ledger, "bad-input-sentinel-" + names[step],
          step < 3 ? step + 1 : step == 3 ? 0 : 2, random);
      if (step < 3) {
        w.stopInsteadOfCancel();
      }
      w.run();
      assertThat(w.gaveUp).as("sentinel " + names[step]).isNull();
      SENTINELS.put(w.procNo, w.id);
    }
    // let the sentinels' events settle everywhere, then remember how everything looks
    Map<String, Object> now = snapshot();
    long deadline = System.currentTimeMillis() + 60_000;
    do {
      before = now;
      Stack.sleep(2_000);
      now = snapshot();
    } while (!now.equals(before) && System.currentTimeMillis() < deadline);
    assertThat(now).as("the stores before the campaign, settled").isEqualTo(before);
  }

  @AfterProperty
  void nothingStored() {
    Stack.sleep(500);
    Map<String, Object> after = snapshot();
    Map<String, String> changed = new LinkedHashMap<>();
    after.forEach((k, v) -> {
      if (!java.util.Objects.equals(v, before.get(k))) {
        changed.put(k, before.get(k) + "  →  " + v);
      }
    });
    if (!changed.isEmpty()) {
      String what = String.join("\n", changed.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
      before = after; // one leak is one failure, not a failure of every property after it
      FAILED.incrementAndGet();
      throw new AssertionError("the property's requests changed the stores:\n" + what);
    }
  }

  @AfterContainer
  static void report() {
    Report.get().campaign(String.format("**bad input** (jqwik): %d hostile requests (%d through the gateway, %d "
        + "straight to the services): %s%s", SENT.get(), VIA_GATEWAY.get(), SENT.get() - VIA_GATEWAY.get(),
        FAILED.get() == 0 ? "no 5xx, every error problem+json, nothing stored"
            : "FAILED (" + FAILED.get() + " failures, see the test report)", ""));
  }

  // ---- the properties ----------------------------------------------------------------------------------------

  @Property
  void writesWithHostileBodies(@ForAll("writes") Hostile request) {
    check(request, true);
  }

  @Property
  void readsWithHostilePathsAndQueries(@ForAll("reads") Hostile request) {
    check(request, false);
  }

  @Property
  void hostileHeadersAndMethods(@ForAll("oddities") Hostile request) {
    check(request, !request.method.equals("GET"));
  }

  @Property
  void structurallyBrokenBodies(@ForAll("broken") Hostile request) {
    check(request, true);
  }

  // ---- what every answer must be -------------------------------------------------------------------------------

  private static void check(Hostile h, boolean write) {
    try {
      checkAnswer(h, write);
    } catch (AssertionError e) {
      FAILED.incrementAndGet();
      throw e;
    }
  }

  private static void checkAnswer(Hostile h, boolean write) {
    String base = h.gateway ? stack.gateway() : stack.url(h.service);
    String token = h.gateway && !h.token.equals("NONE") ? stack.token(h.token) : null;
    Map<String, String> headers = new LinkedHashMap<>(h.headers);
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    Http.Answer a = RawHttp.send(base, h.method, h.path, headers, h.body);
    SENT.incrementAndGet();
    if (h.gateway) {
      VIA_GATEWAY.incrementAndGet();
    }
    String what = h + " → " + a;
    if (h.description.equals("not JSON") && h.body != null && new String(h.body, StandardCharsets.UTF_8).contains("/")
        && a.status() != 404 && a.status() != 401 && a.status() != 403) {
      // comments are not JSON (they once were accepted: Vert.x's parser allows them)
      assertThat(a.body()).as("a comment is not JSON: " + what).contains("not valid JSON");
    }
    if (h.description.equals("invalid UTF-8") && a.status() != 404 && a.status() != 401 && a.status() != 403) {
      // refused, not decoded with U+FFFD (as it once was)
      assertThat(a.status()).as("invalid UTF-8 is refused: " + what).isEqualTo(400);
    }
    assertThat(a.status()).as("an answer, not a dropped connection: " + what).isPositive();
    assertThat(a.status()).as("never a 5xx: " + what).isLessThan(500);
    if (write) {
      assertThat(a.status()).as("a hostile write is refused: " + what).isGreaterThanOrEqualTo(400);
    }
    if (a.status() >= 400) {
      assertThat(a.contentType()).as("problem+json: " + what).startsWith("application/problem+json");
      JsonObject problem = new JsonObject(a.body());
      assertThat(problem.getInteger("status")).as("problem status: " + what).isEqualTo(a.status());
      assertThat(problem.getString("title")).as("problem title: " + what).isNotBlank();
      assertThat(problem.getValue("type")).as("problem type: " + what).isInstanceOf(String.class);
      assertThat(a.body()).as("no internals: " + what)
          .doesNotContain("Exception", "\tat ", "io.vertx", "org.postgresql", "com.mongodb", "kr.go.procurement");
    } else if (a.status() != 204 && h.method.equals("GET") && a.contentType().contains("json")) {
      // (a path whose dot segments lead to "/" gets the gateway's web console, as a browser would)
      assertThat(a.body()).as("JSON: " + what).startsWith("{");
      new JsonObject(a.body());
    }
  }

  // ---- generators --------------------------------------------------------------------------------------------

  /** One request: where it goes (gateway with a token variable, or a service directly), what it sends. */
  record Hostile(boolean gateway, String service, String token, String method, String path, byte[] body,
                 Map<String, String> headers, String description) {
    @Override
    public String toString() {
      String b = body == null ? "" : new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
      return (gateway ? "gateway " : service + " ") + method + " " + abbreviate(path) + " [" + description + "] "
          + b + (body != null && body.length > 200 ? "… (" + body.length + " bytes)" : "");
    }
  }

  /** An endpoint that writes, with the body a valid command would have. */
  record Endpoint(String service, String method, String pathTemplate, String token, JsonObject valid,
                  boolean mayTargetSentinel) {
  }

  static List<Endpoint> writeEndpoints() {
    JsonObject register = new JsonObject().put("procNo", "bad-input-x").put("procTitle", "의자").put("procAgency", "서울시청")
        .put("procPrice", 1000).put("procQty", 1).put("procContents", "내용");
    return List.of(
        new Endpoint("request-svc", "POST", "/deliveryrequests", "AGENCY_TOKEN", register, false),
        new Endpoint("request-svc", "PATCH", "/deliveryrequests/{id}", "AGENCY_TOKEN",
            new JsonObject().put("procNo", "p").put("procTitle", "새 제목").put("procPrice", 5), true),
        new Endpoint("request-svc", "PATCH", "/deliveryrequests/{id}", "AGENCY_TOKEN",
            new JsonObject().put("procNo", "p").put("inspectionSuccFlag", true), true),
        new Endpoint("request-svc", "PATCH", "/inspectionResults/{id}", "AGENCY_TOKEN",
            new JsonObject().put("procNo", "p").put("inspectionSuccFlag", false).put("inspectionContents", "불합격"), true),
        new Endpoint("management-svc", "PATCH", "/deliverymanagements/{id}", "PPS_TOKEN",
            new JsonObject().put("procNo", "p").put("companyNo", "c01").put("companyNm", "레드불"), true),
        new Endpoint("delivery-svc", "PATCH", "/goodsdeliveries/{id}", "SUPPLIER_C01_TOKEN",
            new JsonObject().put("procNo", "p").put("companyPhoneNo", "010-1234-5678").put("inspectionContents", "완료"),
            true),
        new Endpoint("management-svc", "PUT", "/deliverymanagements/inspection-results/{procNo}", "ADMIN_TOKEN",
            new JsonObject().put("companyNo", "c01").put("companyNm", "레드불").put("inspectionSuccFlag", true), true),
        new Endpoint("request-svc", "DELETE", "/deliveryrequests/{id}", "AGENCY_TOKEN", null, false));
  }

  @Provide
  Arbitrary<Hostile> writes() {
    return Combinators.combine(Arbitraries.of(writeEndpoints()), Arbitraries.of(true, false),
            Arbitraries.longs(), Arbitraries.of("ADMIN_TOKEN", "default"))
        .as((endpoint, gateway, seed, token) -> hostileWrite(endpoint, gateway, new Random(seed), token));
  }

  private static Hostile hostileWrite(Endpoint e, boolean gateway, Random r, String tokenChoice) {
    String token = tokenChoice.equals("default") ? e.token() : tokenChoice;
    List<String> sentinelProcNos = new ArrayList<>(SENTINELS.keySet());
    String sentinel = sentinelProcNos.get(r.nextInt(sentinelProcNos.size()));
    // the target: an existing procurement (then the body is always invalid), one that does not exist, or no id
    boolean existing = e.mayTargetSentinel() && r.nextBoolean();
    // ("+1" is id 1 to the services, as to Spring's converters: not an id that can be aimed at nothing)
    String id = existing ? Long.toString(SENTINELS.get(sentinel))
        : pick(r, BAD_IDS.stream().filter(i -> !i.startsWith("+")).toList());
    String procNoInPath = existing ? sentinel : pick(r, List.of("no-such-procurement", "%27%20OR%201=1", "%00",
        "x".repeat(60), "%ff", "..", "p%20q"));
    String path = e.pathTemplate().replace("{id}", id).replace("{procNo}", procNoInPath);
    if (e.valid() == null) {
      return new Hostile(gateway, e.service(), token, e.method(), path, null, Map.of(), "no body, id " + id);
    }
    JsonObject body = e.valid().copy();
    List<String> did = new ArrayList<>();
    int mutations = 1 + r.nextInt(3);
    List<String> fields = new ArrayList<>(body.fieldNames());
    fields.add("unknownField");
    for (int i = 0; i < mutations; i++) {
      String field = pick(r, fields);
      switch (r.nextInt(7)) {
        case 0 -> body.put(field, pick(r, HOSTILE));
        case 1 -> body.put(field, wrongType(r));
        case 2 -> body.put(field, new io.vertx.core.json.JsonArray().add(pick(r, HOSTILE)));
        case 3 -> body.putNull(field);
        case 4 -> body.remove(field);
        case 5 -> body.put(field, "x".repeat(4001 + r.nextInt(3000)));
        default -> body.put(field, nested(r, 2 + r.nextInt(60)));
      }
      did.add(field);
    }
    // always at least one thing no service may accept: a procNo that is not one (or, for the internal call,
    // a procurement that does not exist)
    boolean internal = e.pathTemplate().contains("inspection-results");
    if (!internal || existing) {
      body.put("procNo", surelyInvalid(r));
      if (internal) {
        body.put("inspectionSuccFlag", surelyInvalid(r));
      }
    }
    String json = body.encode();
    // huge numbers are not representable in a JsonObject: splice them into the text
    if (r.nextInt(3) == 0) {
      String field = pick(r, List.of("procPrice", "procQty", "inspectionSuccFlag", "companyNo", "procTitle"));
      json = json.substring(0, json.length() - 1) + (json.length() > 2 ? "," : "") + "\"" + field + "\":"
          + pick(r, HUGE) + "}";
      did.add(field + " huge");
    }
    return new Hostile(gateway, e.service(), token, e.method(), path, json.getBytes(StandardCharsets.UTF_8),
        jsonHeaders(r), "mutated " + did + " id " + id);
  }

  @Provide
  Arbitrary<Hostile> broken() {
    return Combinators.combine(Arbitraries.of(writeEndpoints()), Arbitraries.of(true, false), Arbitraries.longs())
        .as((endpoint, gateway, seed) -> brokenBody(endpoint, gateway, new Random(seed)));
  }

  /** Bodies no JSON parser may accept as a command: truncated, invalid UTF-8, too deep, too big, not objects. */
  private static Hostile brokenBody(Endpoint e, boolean gateway, Random r) {
    List<String> ids = new ArrayList<>();
    SENTINELS.values().forEach(v -> ids.add(Long.toString(v)));
    String id = e.mayTargetSentinel() ? pick(r, ids) : "987654321";
    String path = e.pathTemplate().replace("{id}", id).replace("{procNo}", pick(r, new ArrayList<>(SENTINELS.keySet())));
    String valid = (e.valid() == null ? new JsonObject().put("procNo", "p") : e.valid()).encode();
    byte[] body;
    String what;
    switch (r.nextInt(9)) {
      case 0 -> {
        body = valid.substring(0, r.nextInt(valid.length())).getBytes(StandardCharsets.UTF_8);
        what = "truncated";
      }
      case 1 -> {
        // invalid UTF-8 inside the procNo value
        byte[][] bad = {{(byte) 0xff}, {(byte) 0xfe, (byte) 0xff}, {(byte) 0xc0, (byte) 0xaf},
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0xe2, (byte) 0x28, (byte) 0xa1}, {(byte) 0x80}};
        byte[] b = bad[r.nextInt(bad.length)];
        // (the rest of the command without its own procNo: a later duplicate key would win over this one)
        JsonObject rest = e.valid() == null ? new JsonObject() : e.valid().copy();
        rest.remove("procNo");
        String head = "{\"procNo\":\"p";
        String tail = rest.isEmpty() ? "\"}" : "\"," + rest.encode().substring(1);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(b);
        out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
        body = out.toByteArray();
        what = "invalid UTF-8";
      }
      case 2 -> {
        int depth = 500 + r.nextInt(20_000);
        body = ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
        what = "array nested " + depth + " deep";
      }
      case 3 -> {
        int depth = 500 + r.nextInt(5_000);
        body = ("{\"procNo\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8);
        what = "object nested " + depth + " deep";
      }
      case 4 -> {
        body = ("{\"procNo\":\"p\",\"procTitle\":\"" + "가".repeat(25_000 + r.nextInt(30_000)) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
        what = "over 64 KiB";
      }
      case 5 -> {
        body = pick(r, List.of("[]", "[" + valid + "]", "\"" + valid.replace("\"", "\\\"") + "\"", "123", "null", "true",
            "", " ", "\n")).getBytes(StandardCharsets.UTF_8);
        what = "not an object";
      }
      case 6 -> {
        body = pick(r, List.of("{'procNo':'p'}", "{\"procNo\":\"p\",}", "{\"procNo\" \"p\"}", "{procNo:1}",
            "{\"procNo\":\"p\"}}", "{\"procNo\":NaN}", "{\"procNo\":undefined}", "{\"a\":1}{\"b\":2}",
            "{\"procNo\":\"\\ud800\"}", "{\"procNo\":\"\\x41\"}", "{\"procNo\":01}",
            "/* c */ {}", "// c\n{}", "/* c */ {\"procNo\":\"' x\"}", "// c\n{\"procNo\":\"' x\"}"))
            .getBytes(StandardCharsets.UTF_8);
        what = "not JSON";
      }
      case 7 -> {
        StringBuilder sb = new StringBuilder("{");
        int n = 2_000 + r.nextInt(3_000);
        for (int i = 0; i < n; i++) {
          sb.append("\"procNo\":\"").append(i).append(" x\",");
        }
        body = sb.append("\"procNo\":\"' OR 1=1\"}").toString().getBytes(StandardCharsets.UTF_8);
        what = n + " duplicate keys";
      }
      default -> {
        body = new byte[1 + r.nextInt(2000)];
        r.nextBytes(body);
        what = "random bytes";
      }
    }
    return new Hostile(gateway, e.service(), e.token(), e.method(), path, body, jsonHeaders(r), what);
  }

  @Provide
  Arbitrary<Hostile> reads() {
    return Combinators.combine(Arbitraries.of(true, false), Arbitraries.longs())
        .as((gateway, seed) -> hostileRead(gateway, new Random(seed)));
  }

  private static Hostile hostileRead(boolean gateway, Random r) {
    record Collection(String service, String path, String token) {
    }
    List<Collection> collections = List.of(
        new Collection("request-svc", "/deliveryrequests", "VIEWER_TOKEN"),
        new Collection("request-svc", "/inspectionResults", "AGENCY_TOKEN"),
        new Collection("management-svc", "/deliverymanagements", "PPS_TOKEN"),
        new Collection("delivery-svc", "/goodsdeliveries", "SUPPLIER_C01_TOKEN"),
        new Collection("notification-svc", "/smsHistories", "AGENCY_TOKEN"),
        new Collection("status-view", "/deliveryStatusInquiries", "SUPPLIER_C02_TOKEN"));
    Collection c = pick(r, collections);
    String token = r.nextInt(4) == 0 ? "ADMIN_TOKEN" : c.token();
    String path;
    String what;
    switch (r.nextInt(4)) {
      case 0 -> {
        path = c.path() + "/" + pick(r, BAD_IDS);
        what = "bad id";
      }
      case 1 -> {
        path = c.path() + "/search/findByProcNo?procNo=" + encode(r, pick(r, HOSTILE));
        what = "hostile procNo";
      }
      case 2 -> {
        StringBuilder q = new StringBuilder(c.path()).append('?');
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
          String param = pick(r, List.of("page", "size", "sort", "procNo", "status", "companyNo", "x", "page", "size"));
          String value = pick(r, List.of("-1", "0", "1001", "99999999999999999999", "1e9", "NaN", "abc", "id,sideways",
              "id;drop", "procNo,desc,asc", "..", "", "%ff", "%C3%28", "%00", "1.5", "2147483648", "-2147483649",
              encode(r, pick(r, HOSTILE))));
          q.append(i == 0 ? "" : "&").append(param).append('=').append(value);
        }
        path = q.toString();
        what = "hostile query";
      }
      default -> {
        path = pick(r, List.of(c.path() + "/%2e%2e/%2e%2e/metrics", c.path() + "/1%00", c.path() + "/..;/1",
            "/" + c.path() + "//1", c.path().toUpperCase() + "/1", c.path() + "/1/extra/segments",
            c.path() + "/" + "a/".repeat(500), c.path() + "/search/%ff", c.path() + "/search/findByProcNo",
            c.path() + "/search/findByProcNo?procNo", c.path() + "?" + "a=1&".repeat(2_000), c.path() + "/%",
            c.path() + "/%zz", c.path() + "/stream?lastEventId=" + encode(r, pick(r, HOSTILE))));
        what = "odd path";
      }
    }
    if (path.contains("/stream")) {
      // an event stream never ends: only its first answer matters, and only for errors
      path = c.path() + "/-1";
    }
    return new Hostile(gateway, c.service(), token, "GET", path, null, Map.of(), what);
  }

  @Provide
  Arbitrary<Hostile> oddities() {
    return Combinators.combine(Arbitraries.of(true, false), Arbitraries.longs())
        .as((gateway, seed) -> oddity(gateway, new Random(seed)));
  }

  private static Hostile oddity(boolean gateway, Random r) {
    List<String> services = List.of("request-svc", "management-svc", "delivery-svc", "notification-svc", "status-view");
    String service = pick(r, services);
    String sentinelId = Long.toString(pick(r, new ArrayList<>(SENTINELS.values())));
    String path = pick(r, List.of("/deliveryrequests", "/deliveryrequests/" + sentinelId, "/inspectionResults/" + sentinelId,
        "/deliverymanagements/" + sentinelId, "/goodsdeliveries/" + sentinelId, "/smsHistories/1",
        "/deliveryStatusInquiries/" + sentinelId, "/deliveryStatusInquiries/rebuild", "/health/ready", "/metrics",
        "/deliverymanagements/inspection-results/" + pick(r, new ArrayList<>(SENTINELS.keySet()))));
    Map<String, String> headers = new LinkedHashMap<>();
    String method;
    String what;
    byte[] body = null;
    String token = pick(r, List.of("ADMIN_TOKEN", "AGENCY_TOKEN", "VIEWER_TOKEN", "SUPPLIER_C02_TOKEN", "PPS_TOKEN"));
    switch (r.nextInt(5)) {
      case 0 -> {
        // methods nobody routes
        method = pick(r, List.of("PUT", "POST", "DELETE", "OPTIONS", "PROPFIND", "PATCH"));
        if (!method.equals("OPTIONS") && !method.equals("DELETE") && !method.equals("PROPFIND")) {
          body = ("{\"procNo\":\"" + pick(r, List.of("'--", "x y", "$ne")) + "\"}").getBytes(StandardCharsets.UTF_8);
          headers.put("Content-Type", "application/json");
        }
        if (path.endsWith("/rebuild") || path.startsWith("/deliveryrequests/") && method.equals("DELETE")) {
          // the operator's rebuild and the cancel are real writes: aim them at nothing
          path = "/deliveryrequests/987654321";
        }
        what = "unrouted method";
      }
      case 1 -> {
        // spoofed identity: what a client says about itself never counts
        method = "GET";
        headers.put(pick(r, List.of("X-User-Roles", "X-User-Company", "X-User-Id", "X-Forwarded-For", "Forwarded")),
            pick(r, List.of("supplier", "admin,supplier", "", " , ,", "' OR 1=1", "c01\r", "x".repeat(3000), "공급자")));
        what = "spoofed identity header";
      }
      case 2 -> {
        // a write with garbage preconditions, content types and a body that is never valid
        method = pick(r, List.of("PATCH", "POST"));
        path = method.equals("POST") ? "/deliveryrequests" : pick(r, List.of("/deliveryrequests/", "/goodsdeliveries/",
            "/deliverymanagements/", "/inspectionResults/")) + sentinelId;
        headers.put("Content-Type", pick(r, List.of("text/plain", "application/xml", "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded", "application/json; charset=ISO-8859-1", "application/json; charset=nope",
            "*/*", "application/json;;;", "application/problem+json")));
        if (r.nextBoolean()) {
          headers.put("If-Match", pick(r, List.of("\"abc\"", "W/\"99999999999999999999\"", "*", "W/\"-1\"", "\"\"", "W/")));
        }
        body = ("{\"procNo\":\"" + pick(r, List.of("' OR 1=1", "a b", "$gt")) + "\",\"procTitle\":\"x\"}")
            .getBytes(StandardCharsets.UTF_8);
        what = "odd content type / If-Match";
      }
      case 3 -> {
        // tokens that are not tokens (the gateway) — direct calls carry them too, and ignore them
        method = "GET";
        headers.put("Accept", pick(r, List.of("application/xml", "text/html", "*/*;q=0", "application/json;q=0")));
        what = "odd Accept";
      }
      default -> {
        method = "GET";
        headers.put("Authorization", pick(r, List.of("Bearer ", "Bearer x.y.z", "Basic YWRtaW46YWRtaW4=",
            "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsInJvbGVzIjpbImFkbWluIl19.",
            "Bearer " + "A".repeat(10_000), "bearer\u0000x")));
        what = "bad Authorization";
        token = null;
      }
    }
    if (!gateway && path.contains("/rebuild")) {
      path = "/deliveryStatusInquiries/-1";
    }
    Map<String, String> valid = new LinkedHashMap<>();
    headers.forEach((k, v) -> {
      if (v.chars().allMatch(ch -> ch >= 0x20 && ch != 0x7f || ch == '\t')) {
        valid.put(k, v);
      }
    });
    return new Hostile(gateway, service, token == null ? "NONE" : token, method, path, body, valid, what);
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  private static Map<String, String> jsonHeaders(Random r) {
    return Map.of("Content-Type", pick(r, List.of("application/json", "application/json; charset=utf-8",
        "application/merge-patch+json", "text/plain", "application/json; charset=utf-16")));
  }

  /**
   * A value no field accepts. Not a number or a boolean: like Spring's Jackson, the services take 12345 for the
   * text "12345" (a valid procNo) and "true" for true.
   */
  private static Object surelyInvalid(Random r) {
    return switch (r.nextInt(3)) {
      case 0 -> pick(r, HOSTILE.subList(0, HOSTILE.size() - 3)) + " ";
      case 1 -> new JsonObject().put("$gt", "");
      default -> new io.vertx.core.json.JsonArray().add("p01");
    };
  }

  private static Object wrongType(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> 12345;
      case 1 -> true;
      case 2 -> new JsonObject().put("$gt", "");
      case 3 -> new io.vertx.core.json.JsonArray().add(1).add("x");
      case 4 -> -0.5;
      default -> Long.MAX_VALUE;
    };
  }

  private static Object nested(Random r, int depth) {
    Object v = pick(r, HOSTILE);
    for (int i = 0; i < depth; i++) {
      v = r.nextBoolean() ? new JsonObject().put("a", v) : new io.vertx.core.json.JsonArray().add(v);
    }
    return v;
  }

  private static String encode(Random r, String s) {
    String e = java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    return r.nextInt(4) == 0 ? e.replace("%", "%25") : e;
  }

  private static <T> T pick(Random r, List<T> list) {
    return list.get(r.nextInt(list.size()));
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…(" + s.length() + ")" : s;
  }

  /** Counts of every table and collection, the outboxes, and the sentinels as each service shows them. */
  static Map<String, Object> snapshot() {
    Map<String, Object> s = new LinkedHashMap<>();
    for (String table : List.of("request.procurement_request", "management.delivery_management",
        "delivery.goods_delivery", "request.outbox", "management.outbox", "delivery.outbox",
        "request.processed_events", "management.processed_events", "delivery.processed_events")) {
      s.put(table, stack.db.count("SELECT count(*) FROM " + table));
    }
    for (String collection : List.of("smsHistories", "deliveryStatusInquiries")) {
      s.put(collection, stack.mongo.getCollection(collection).countDocuments());
    }
    for (Map.Entry<String, Long> e : SENTINELS.entrySet()) {
      for (String[] where : new String[][] {{"request-svc", "/deliveryrequests/"}, {"management-svc", "/deliverymanagements/"},
          {"delivery-svc", "/goodsdeliveries/"}, {"status-view", "/deliveryStatusInquiries/"}}) {
        Http.Answer a = http.json(stack.url(where[0]), "GET", where[1] + e.getValue(), null, null);
        // a problem carries the request's own id: only its status says anything here
        s.put(where[0] + " " + e.getKey(), a.status() == 200 ? a.body() : Integer.toString(a.status()));
      }
      Document sms = stack.mongo.getCollection("smsHistories").find(new Document("procNo", e.getKey())).first();
      s.put("sms " + e.getKey(), sms == null ? null : sms.toJson());
    }
    return s;
  }
}
