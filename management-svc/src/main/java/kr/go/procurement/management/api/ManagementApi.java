package kr.go.procurement.management.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;
import kr.go.procurement.management.ManagementWorkflow;
import kr.go.procurement.management.domain.DeliveryManagement;
import kr.go.procurement.management.domain.Supplier;
import kr.go.procurement.management.store.DeliveryManagementStore;
import kr.go.procurement.platform.domain.ProcNo;
import kr.go.procurement.platform.http.Hal;
import kr.go.procurement.platform.http.JsonBody;
import kr.go.procurement.platform.http.PageRequest;
import kr.go.procurement.platform.http.Problem.FieldError;
import kr.go.procurement.platform.http.Problem;
import kr.go.procurement.platform.http.RequestParams;
import kr.go.procurement.platform.http.Responses;
import kr.go.procurement.platform.http.Validator;

/**
 * The HTTP API of management-svc: {@code /deliverymanagements} (납품관리), where the procurement-service officer
 * issues the delivery order, and the internal {@code PUT /deliverymanagements/inspection-results/{procNo}} that
 * request-svc calls synchronously (the gateway never routes it).
 */
public final class ManagementApi {

  /** Company numbers are identifiers (they end up in ownership checks and filters), so they get the procNo alphabet. */
  private static final String COMPANY_NO_RULE = "must be 1 to 50 letters, digits, '-' or '_'";

  private final ManagementWorkflow workflow;

  public ManagementApi(ManagementWorkflow workflow) {
    this.workflow = workflow;
  }

  public void mount(Router router) {
    router.get("/deliverymanagements").handler(this::list);
    router.get("/deliverymanagements/search").handler(this::searches);
    router.get("/deliverymanagements/search/findByProcNo").handler(this::findByProcNo);
    router.put("/deliverymanagements/inspection-results/:procNo").handler(this::recordInspectionResult);
    router.get("/deliverymanagements/:id").handler(this::get);
    router.patch("/deliverymanagements/:id").handler(this::issueDeliveryOrder);
  }

  private void list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx, DeliveryManagementStore.SORTABLE.keySet(), "id");
    answer(ctx, workflow.page(page.sortField(), page.ascending(), page.offset(), page.limit()),
        result -> Responses.ok(ctx, Hal.collection(ctx, "deliverymanagements", result.items().stream()
            .map(m -> Representations.deliveryManagement(ctx, m)).toList(), page, result.total())));
  }

  private void searches(RoutingContext ctx) {
    String base = Hal.baseUrl(ctx);
    Responses.ok(ctx, new JsonObject().put("_links", new JsonObject()
        .put("findByProcNo", Hal.link(Hal.absolute(base, "/deliverymanagements/search/findByProcNo{?procNo}"))
            .put("templated", true))
        .put("self", Hal.link(Hal.absolute(base, "/deliverymanagements/search")))));
  }

  private void findByProcNo(RoutingContext ctx) {
    String procNo = procNo(ctx.queryParams().get("procNo"));
    answer(ctx, workflow.findByProcNo(procNo), m -> {
      if (m == null) {
        throw Problem.notFound("No delivery management record has procNo " + procNo + ".");
      }
      return ok(ctx, m);
    });
  }

  private void get(RoutingContext ctx) {
    answer(ctx, workflow.find(RequestParams.id(ctx)), m -> ok(ctx, m));
  }

  /** {@code PATCH /deliverymanagements/{id}} {@code {procNo?, companyNo, companyNm}}: issues the delivery order. */
  private void issueDeliveryOrder(RoutingContext ctx) {
    long id = RequestParams.id(ctx);
    Integer ifMatch = RequestParams.ifMatch(ctx);
    JsonObject body = Validator.of(JsonBody.object(ctx))
        .optionalString("procNo", 50, ProcNo.PATTERN, ProcNo.RULE)
        .requiredString("companyNo", 50, ProcNo.PATTERN, COMPANY_NO_RULE)
        .requiredString("companyNm", 100)
        .validate();
    Supplier supplier = new Supplier(body.getString("companyNo"), body.getString("companyNm"));
    answer(ctx, workflow.issueDeliveryOrder(id, body.getString("procNo"), supplier, ifMatch), m -> ok(ctx, m));
  }

  /**
   * {@code PUT /deliverymanagements/inspection-results/{procNo}} {@code {companyNo?, companyNm?, inspectionSuccFlag}}:
   * request-svc announces the inspection result. Idempotent; 404 unknown procNo, 409 when the status forbids it.
   */
  private void recordInspectionResult(RoutingContext ctx) {
    String procNo = procNo(ctx.pathParam("procNo"));
    JsonObject body = Validator.of(JsonBody.object(ctx))
        .optionalString("companyNo", 50, ProcNo.PATTERN, COMPANY_NO_RULE)
        .optionalString("companyNm", 100)
        .requiredBoolean("inspectionSuccFlag")
        .validate();
    Supplier announced = new Supplier(body.getString("companyNo"), body.getString("companyNm"));
    answer(ctx, workflow.recordInspectionResult(procNo, body.getBoolean("inspectionSuccFlag"), announced),
        m -> ok(ctx, m));
  }

  private static String procNo(String value) {
    if (value == null || !ProcNo.PATTERN.matcher(value).matches()) {
      throw Problem.validation(List.of(new FieldError("procNo", ProcNo.RULE)));
    }
    return value;
  }

  private static Future<Void> ok(RoutingContext ctx, DeliveryManagement m) {
    ctx.response().putHeader("ETag", RequestParams.etag(m.version()));
    return Responses.ok(ctx, Representations.deliveryManagement(ctx, m));
  }

  /** Sends the result, or the failure as its problem (rule → 409, unknown id → 404, stale If-Match → 412, ...). */
  private static <T> void answer(RoutingContext ctx, Future<T> result, Function<T, Future<Void>> ok) {
    result.compose(ok::apply).onFailure(e -> ctx.fail(toProblem(e)));
  }

  static Throwable toProblem(Throwable e) {
    return e;
  }
}
