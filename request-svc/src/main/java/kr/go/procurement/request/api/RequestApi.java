package kr.go.procurement.request.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import kr.go.procurement.platform.domain.ProcNo;
import kr.go.procurement.platform.domain.ProcNoMismatch;
import kr.go.procurement.platform.http.Hal;
import kr.go.procurement.platform.http.JsonBody;
import kr.go.procurement.platform.http.PageRequest;
import kr.go.procurement.platform.http.Problem.FieldError;
import kr.go.procurement.platform.http.Problem;
import kr.go.procurement.platform.http.RequestParams;
import kr.go.procurement.platform.http.Responses;
import kr.go.procurement.platform.http.Validator;
import kr.go.procurement.request.RequestWorkflow;
import kr.go.procurement.request.client.ManagementClient;
import kr.go.procurement.request.domain.ProcurementRequest;
import kr.go.procurement.request.domain.RequestDetails;
import kr.go.procurement.request.store.ProcurementRequestStore;

/**
 * The HTTP API of request-svc: {@code /deliveryrequests} (조달요청서) and {@code /inspectionResults} (검사결과), the
 * inspection view of the same records.
 */
public final class RequestApi {

  private static final Pattern PROC_NO = ProcNo.PATTERN;
  private static final String PROC_NO_RULE = ProcNo.RULE;
  /** The largest integer a JSON client (JavaScript) represents exactly. */
  private static final long MAX_PRICE = 9_007_199_254_740_991L;
  private static final Set<String> EDITABLE = Set.of("procTitle", "procContents", "procPrice", "procAgency", "procQty");

  private final RequestWorkflow workflow;
  private final long retryAfterSeconds;

  /** @param retryAfterSeconds what a 503 tells the client to wait: the breaker's reset time */
  public RequestApi(RequestWorkflow workflow, long retryAfterSeconds) {
    this.workflow = workflow;
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  public void mount(Router router) {
    router.post("/deliveryrequests").handler(this::register);
    router.get("/deliveryrequests").handler(ctx -> list(ctx, false));
    router.get("/deliveryrequests/search").handler(ctx -> searches(ctx, "/deliveryrequests"));
    router.get("/deliveryrequests/search/findByProcNo").handler(ctx -> findByProcNo(ctx, false));
    router.get("/deliveryrequests/:id").handler(ctx -> get(ctx, false));
    router.patch("/deliveryrequests/:id").handler(this::patchDeliveryRequest);
    router.delete("/deliveryrequests/:id").handler(this::cancel);

    // The original's scripts also write the collection in lower case (http PATCH .../inspectionresults/2).
    for (String base : List.of("/inspectionResults", "/inspectionresults")) {
      router.get(base).handler(ctx -> list(ctx, true));
      router.get(base + "/search").handler(ctx -> searches(ctx, base));
      router.get(base + "/search/findByProcNo").handler(ctx -> findByProcNo(ctx, true));
      router.get(base + "/:id").handler(ctx -> get(ctx, true));
      router.patch(base + "/:id").handler(this::patchInspectionResult);
    }
  }

  private void register(RoutingContext ctx) {
    JsonObject body = Validator.of(JsonBody.object(ctx))
        .requiredString("procNo", 50, PROC_NO, PROC_NO_RULE)
        .requiredString("procTitle", 200)
        .optionalString("procContents", 4000)
        .optionalInteger("procPrice", 0, MAX_PRICE)
        .optionalString("procAgency", 100)
        .optionalNumber("procQty", 0)
        .validate();
    RequestDetails details = new RequestDetails(body.getString("procTitle"), body.getString("procContents"),
        body.getLong("procPrice"), body.getString("procAgency"), body.getDouble("procQty"));
    answer(ctx, workflow.register(body.getString("procNo"), details), r -> {
      ctx.response().putHeader("ETag", RequestParams.etag(r.version()));
      return Responses.created(ctx, "/deliveryrequests/" + r.id(), Representations.deliveryRequest(ctx, r));
    });
  }

  private void list(RoutingContext ctx, boolean inspectionOnly) {
    PageRequest page = PageRequest.from(ctx, ProcurementRequestStore.SORTABLE.keySet(), "id");
    String collection = inspectionOnly ? "inspectionResults" : "deliveryrequests";
    answer(ctx, workflow.page(inspectionOnly, page.sortField(), page.ascending(), page.offset(), page.limit()),
        result -> Responses.ok(ctx, Hal.collection(ctx, collection, result.items().stream()
            .map(r -> inspectionOnly ? Representations.inspectionResult(ctx, r)
                : Representations.deliveryRequest(ctx, r))
            .toList(), page, result.total())));
  }

  private void searches(RoutingContext ctx, String base) {
    String href = Hal.absolute(Hal.baseUrl(ctx), base + "/search/findByProcNo{?procNo}");
    Responses.ok(ctx, new JsonObject().put("_links", new JsonObject()
        .put("findByProcNo", Hal.link(href).put("templated", true))
        .put("self", Hal.link(Hal.absolute(Hal.baseUrl(ctx), base + "/search")))));
  }

  private void findByProcNo(RoutingContext ctx, boolean inspectionOnly) {
    String procNo = ctx.queryParams().get("procNo");
    if (procNo == null || !PROC_NO.matcher(procNo).matches()) {
      throw Problem.validation(List.of(new FieldError("procNo", PROC_NO_RULE)));
    }
    answer(ctx, workflow.findByProcNo(procNo), r -> {
      if (r == null || inspectionOnly && r.inspectionRequestedAt() == null) {
        throw Problem.notFound("No procurement request has procNo " + procNo + ".");
      }
      return ok(ctx, r, inspectionOnly);
    });
  }

  private void get(RoutingContext ctx, boolean inspectionOnly) {
    long id = RequestParams.id(ctx);
    answer(ctx, workflow.find(id), r -> {
      if (inspectionOnly && r.inspectionRequestedAt() == null) {
        throw Problem.notFound("No inspection has been requested for procurement request " + id + ".");
      }
      return ok(ctx, r, inspectionOnly);
    });
  }

  /**
   * {@code PATCH /deliveryrequests/{id}}: with {@code inspectionSuccFlag} it registers the inspection result (as
   * the original allowed); otherwise it edits the request's own fields while the request is still POSTED.
   */
  private void patchDeliveryRequest(RoutingContext ctx) {
    long id = RequestParams.id(ctx);
    Integer ifMatch = RequestParams.ifMatch(ctx);
    JsonObject raw = JsonBody.object(ctx);
    if (raw.containsKey("inspectionSuccFlag")) {
      registerInspectionResult(ctx, id, ifMatch, raw, false);
      return;
    }
    JsonObject body = Validator.of(raw)
        .optionalString("procNo", 50, PROC_NO, PROC_NO_RULE)
        .check(!raw.containsKey("procTitle") || raw.getValue("procTitle") != null, "procTitle", "must not be null")
        .optionalString("procTitle", 200)
        .optionalString("procContents", 4000)
        .optionalInteger("procPrice", 0, MAX_PRICE)
        .optionalString("procAgency", 100)
        .optionalNumber("procQty", 0)
        .validate();
    answer(ctx, workflow.edit(id, ifMatch, current -> {
      ProcNoMismatch.check(body.getString("procNo"), current.procNo());
      RequestDetails d = current.details();
      return new RequestDetails(
          body.containsKey("procTitle") ? body.getString("procTitle") : d.procTitle(),
          body.containsKey("procContents") ? body.getString("procContents") : d.procContents(),
          body.containsKey("procPrice") ? body.getLong("procPrice") : d.procPrice(),
          body.containsKey("procAgency") ? body.getString("procAgency") : d.procAgency(),
          body.containsKey("procQty") ? body.getDouble("procQty") : d.procQty());
    }), r -> ok(ctx, r, false));
  }

  /** {@code PATCH /inspectionResults/{id}} {@code {procNo, inspectionSuccFlag, inspectionContents?}}. */
  private void patchInspectionResult(RoutingContext ctx) {
    registerInspectionResult(ctx, RequestParams.id(ctx), RequestParams.ifMatch(ctx), JsonBody.object(ctx), true);
  }

  private void registerInspectionResult(RoutingContext ctx, long id, Integer ifMatch, JsonObject raw,
                                        boolean inspectionView) {
    Validator validator = Validator.of(raw);
    if (inspectionView) {
      validator.requiredString("procNo", 50, PROC_NO, PROC_NO_RULE);
    } else {
      validator.optionalString("procNo", 50, PROC_NO, PROC_NO_RULE);
      for (String field : EDITABLE) {
        validator.check(!raw.containsKey(field), field,
            "cannot be changed together with the inspection result; send it in a separate PATCH");
      }
    }
    JsonObject body = validator
        .requiredBoolean("inspectionSuccFlag")
        .optionalString("inspectionContents", 4000)
        .validate();
    answer(ctx, workflow.registerInspectionResult(id, body.getString("procNo"), body.getBoolean("inspectionSuccFlag"),
        body.getString("inspectionContents"), ifMatch), r -> ok(ctx, r, inspectionView));
  }

  private void cancel(RoutingContext ctx) {
    answer(ctx, workflow.cancel(RequestParams.id(ctx), RequestParams.ifMatch(ctx)), r -> Responses.noContent(ctx));
  }

  private static Future<Void> ok(RoutingContext ctx, ProcurementRequest r, boolean inspectionView) {
    ctx.response().putHeader("ETag", RequestParams.etag(r.version()));
    return Responses.ok(ctx, inspectionView ? Representations.inspectionResult(ctx, r)
        : Representations.deliveryRequest(ctx, r));
  }

  /**
   * Sends the result, or the failure as its problem: the platform maps the domain's refusals (409, 404, 412, 400);
   * management being unreachable is this service's own 503.
   */
  private <T> void answer(RoutingContext ctx, Future<T> result, java.util.function.Function<T, Future<Void>> ok) {
    result.compose(ok::apply).onFailure(e -> ctx.fail(toProblem(e)));
  }

  private Throwable toProblem(Throwable e) {
    if (e instanceof ManagementClient.Unavailable u) {
      return Problem.unavailable(u.getMessage() + " Nothing was changed; please try again later.",
          retryAfterSeconds);
    }
    return e;
  }
}
