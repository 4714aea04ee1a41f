package kr.go.procurement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The role matrix, cell by cell: every caller (anonymous and each role) × every route and method, through the
 * gateway to the real services. The expectations are written out here, independently of the gateway's own table:
 * a permitted call must reach the service and succeed (each write gets a row in the right state), a refused one
 * gets the gateway's 401 or 403 and changes nothing.
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleMatrixTest {

  enum Who {
    ANONYMOUS(null), VIEWER("viewer"), AGENCY("agency"), PPS("pps"), SUPPLIER("supplier"), ADMIN("admin");

    final String role;

    Who(String role) {
      this.role = role;
    }

    String token() {
      return role == null ? null : role.equals("supplier") ? TestTokens.token("supplier-c01", "c01", "supplier")
          : TestTokens.token(role + "-1", null, role);
    }
  }

  private static final Set<Who> STAFF = EnumSet.of(Who.VIEWER, Who.AGENCY, Who.PPS, Who.ADMIN);
  private static final Set<Who> EVERYONE = EnumSet.of(Who.VIEWER, Who.AGENCY, Who.PPS, Who.SUPPLIER, Who.ADMIN);

  /** What to send. */
  record Req(String method, String path, JsonObject body) {
  }

  /**
   * One route and method: who may call it, the service's status when they do, and how to build the request (for
   * the caller, from the rows prepared for it). {@code fixedStatus} ≠ 0: every caller gets it (never routed).
   */
  record Call(String name, Set<Who> allowed, int okStatus, int fixedStatus, BiFunction<Rows, Who, Req> request) {
  }

  /** Rows in the states the writes need: one per permitted caller where a write consumes its row. */
  static final class Rows {
    final Map<Who, Long> toCancel = new EnumMap<>(Who.class);
    final Map<Who, Long> toOrder = new EnumMap<>(Who.class);
    final Map<Who, Long> toInspect = new EnumMap<>(Who.class);
    final Map<Who, Long> toJudge = new EnumMap<>(Who.class);
    final Map<Long, String> procNo = new LinkedHashMap<>();
    long edit;
    long read;

    long of(Map<Who, Long> rows, Who who) {
      return rows.getOrDefault(who, read);
    }
  }

  private final GatewaySystem system = GatewaySystem.shared();
  private final Rows rows = new Rows();
  private Http gateway;

  static List<Call> calls() {
    return List.of(
        new Call("GET /deliveryrequests", STAFF, 200, 0, (r, w) -> new Req("GET", "/deliveryrequests", null)),
        new Call("GET /deliveryrequests/{id}", STAFF, 200, 0,
            (r, w) -> new Req("GET", "/deliveryrequests/" + r.read, null)),
        new Call("GET /deliveryrequests/search/findByProcNo", STAFF, 200, 0,
            (r, w) -> new Req("GET", "/deliveryrequests/search/findByProcNo?procNo=" + r.procNo.get(r.read), null)),
        new Call("POST /deliveryrequests", EnumSet.of(Who.AGENCY, Who.ADMIN), 201, 0,
            (r, w) -> new Req("POST", "/deliveryrequests", new JsonObject().put("procNo", "rm-post-" + w)
                .put("procTitle", "책상").put("procQty", 3))),
        new Call("PATCH /deliveryrequests/{id}", EnumSet.of(Who.AGENCY, Who.ADMIN), 200, 0,
            (r, w) -> new Req("PATCH", "/deliveryrequests/" + r.edit,
                new JsonObject().put("procTitle", "수정 " + w))),
        new Call("DELETE /deliveryrequests/{id}", EnumSet.of(Who.AGENCY, Who.ADMIN), 204, 0,
            (r, w) -> new Req("DELETE", "/deliveryrequests/" + r.of(r.toCancel, w), null)),
        new Call("GET /inspectionResults", STAFF, 200, 0, (r, w) -> new Req("GET", "/inspectionResults", null)),
        new Call("PATCH /inspectionResults/{id}", EnumSet.of(Who.AGENCY, Who.ADMIN), 200, 0, (r, w) -> {
          long id = r.of(r.toJudge, w);
          return new Req("PATCH", "/inspectionResults/" + id,
              new JsonObject().put("procNo", r.procNo.get(id)).put("inspectionSuccFlag", true));
        }),
        new Call("GET /deliverymanagements", STAFF, 200, 0, (r, w) -> new Req("GET", "/deliverymanagements", null)),
        new Call("GET /deliverymanagements/{id}", STAFF, 200, 0,
            (r, w) -> new Req("GET", "/deliverymanagements/" + r.read, null)),
        new Call("PATCH /deliverymanagements/{id}", EnumSet.of(Who.PPS, Who.ADMIN), 200, 0, (r, w) -> {
          long id = r.of(r.toOrder, w);
          return new Req("PATCH", "/deliverymanagements/" + id, new JsonObject().put("procNo", r.procNo.get(id))
              .put("companyNo", "c01").put("companyNm", "레드불"));
        }),
        new Call("GET /goodsdeliveries", EVERYONE, 200, 0, (r, w) -> new Req("GET", "/goodsdeliveries", null)),
        new Call("GET /goodsdeliveries/{id}", EVERYONE, 200, 0,
            (r, w) -> new Req("GET", "/goodsdeliveries/" + r.read, null)),
        new Call("PATCH /goodsdeliveries/{id}", EnumSet.of(Who.SUPPLIER, Who.ADMIN), 200, 0, (r, w) -> {
          long id = r.of(r.toInspect, w);
          return new Req("PATCH", "/goodsdeliveries/" + id, new JsonObject().put("procNo", r.procNo.get(id))
              .put("companyPhoneNo", "010-1234-1234").put("inspectionContents", "납품 완료"));
        }),
        new Call("GET /smsHistories", EnumSet.of(Who.AGENCY, Who.PPS, Who.ADMIN), 200, 0,
            (r, w) -> new Req("GET", "/smsHistories", null)),
        new Call("GET /deliveryStatusInquiries", EVERYONE, 200, 0,
            (r, w) -> new Req("GET", "/deliveryStatusInquiries?status=POSTED", null)),
        new Call("POST /deliveryStatusInquiries/rebuild", EnumSet.of(Who.ADMIN), 202, 0,
            (r, w) -> new Req("POST", "/deliveryStatusInquiries/rebuild", null)),
        new Call("GET /deliveryStatusInquiries/rebuild", EnumSet.of(Who.ADMIN), 200, 0,
            (r, w) -> new Req("GET", "/deliveryStatusInquiries/rebuild", null)),
        new Call("PUT /deliverymanagements/inspection-results/{procNo}", Set.of(), 0, 404,
            (r, w) -> new Req("PUT", "/deliverymanagements/inspection-results/" + r.procNo.get(r.read),
                new JsonObject().put("companyNo", "c01").put("companyNm", "x").put("inspectionSuccFlag", true))),
        new Call("GET /deliverymanagements/inspection-results/{procNo}", Set.of(), 0, 404,
            (r, w) -> new Req("GET", "/deliverymanagements/inspection-results/" + r.procNo.get(r.read), null)),
        new Call("PUT /deliveryrequests/{id}", Set.of(), 0, 405,
            (r, w) -> new Req("PUT", "/deliveryrequests/" + r.read, new JsonObject().put("procTitle", "x"))),
        new Call("DELETE /goodsdeliveries/{id}", Set.of(), 0, 405,
            (r, w) -> new Req("DELETE", "/goodsdeliveries/" + r.read, null)),
        new Call("GET /outbox", Set.of(), 0, 404, (r, w) -> new Req("GET", "/outbox", null)));
  }

  /** One row per cell: (route, caller, expected status). */
  static Stream<Arguments> cells() {
    List<Arguments> cells = new ArrayList<>();
    for (Call call : calls()) {
      for (Who who : Who.values()) {
        int expected = call.fixedStatus() != 0 ? call.fixedStatus()
            : who == Who.ANONYMOUS ? 401
            : call.allowed().contains(who) ? call.okStatus() : 403;
        cells.add(Arguments.of(call.name(), who, expected));
      }
    }
    return cells.stream();
  }

  @BeforeAll
  void prepareRows() {
    gateway = system.gateway.http();
    Workflow workflow = new Workflow(system);
    String run = Long.toString(System.nanoTime() % 1_000_000, 36);
    List<String> procNos = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      procNos.add("rm-" + run + "-" + i);
    }
    List<Long> ids = workflow.register(procNos);
    for (int i = 0; i < ids.size(); i++) {
      rows.procNo.put(ids.get(i), procNos.get(i));
    }
    rows.toCancel.put(Who.AGENCY, ids.get(0));
    rows.toCancel.put(Who.ADMIN, ids.get(1));
    rows.toOrder.put(Who.PPS, ids.get(2));
    rows.toOrder.put(Who.ADMIN, ids.get(3));
    rows.edit = ids.get(4);
    rows.toInspect.put(Who.SUPPLIER, ids.get(5));
    rows.toInspect.put(Who.ADMIN, ids.get(6));
    rows.toJudge.put(Who.AGENCY, ids.get(7));
    rows.toJudge.put(Who.ADMIN, ids.get(8));
    rows.read = ids.get(9);

    workflow.awaitPosted(ids);
    List<Long> ordered = ids.subList(5, 10);
    workflow.orderAndAwait(ordered, procNos.subList(5, 10), "c01");
    workflow.requestInspectionAndAwait(ids.subList(7, 9), procNos.subList(7, 9));
  }

  @ParameterizedTest(name = "{0} as {1} → {2}")
  @MethodSource("cells")
  void roleMatrix(String callName, Who who, int expected) {
    Call call = calls().stream().filter(c -> c.name().equals(callName)).findFirst().orElseThrow();
    Req req = call.request().apply(rows, who);
    Http.Call http = gateway.call(req.method(), req.path()).token(who.token());
    if (req.body() != null) {
      http.json(req.body());
    }
    Http.Response response = http.send();

    assertThat(response.status()).as(response.body()).isEqualTo(expected);
    if (expected >= 400) {
      assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
    }
    if (expected == 401) {
      assertThat(response.header("WWW-Authenticate")).startsWith("Bearer realm=\"procurement\"");
    }
    if (expected == 403) {
      assertThat(response.json().getString("type")).endsWith("/forbidden");
    }
  }
}
