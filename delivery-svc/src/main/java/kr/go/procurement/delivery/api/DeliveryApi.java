package kr.go.procurement.delivery.api;

import kr.go.procurement.platform.identity.Identity;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import kr.go.procurement.delivery.DeliveryWorkflow;
import kr.go.procurement.delivery.domain.GoodsDelivery;
import kr.go.procurement.delivery.domain.InspectionRequest;
import kr.go.procurement.delivery.store.GoodsDeliveryStore;
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
 * The HTTP API of delivery-svc: {@code /goodsdeliveries} (물품납품), where the supplier registers the inspection
 * request (검사검수요청서). A supplier sees and acts on its own company's deliveries only ({@link Caller}).
 */
public final class DeliveryApi {

  /** Digits with optional dashes or spaces and a leading '+': 010-1234-1234, +82 10 1234 1234. */
  public static final Pattern PHONE_NO = Pattern.compile("[0-9+][0-9 -]{7,18}[0-9]");
  private static final String PHONE_NO_RULE = "must be a phone number: 9 to 20 digits, optionally with '-', spaces "
      + "or a leading '+'";

  private final DeliveryWorkflow workflow;

  public DeliveryApi(DeliveryWorkflow workflow) {
    this.workflow = workflow;
  }

  public void mount(Router router) {
    router.get("/goodsdeliveries").handler(this::list);
    router.get("/goodsdeliveries/search").handler(this::searches);
    router.get("/goodsdeliveries/search/findByProcNo").handler(this::findByProcNo);
    router.get("/goodsdeliveries/:id").handler(this::get);
    router.patch("/goodsdeliveries/:id").handler(this::requestInspection);
  }

  private void list(RoutingContext ctx) {
    String scope = Identity.of(ctx).companyScope();
    PageRequest page = PageRequest.from(ctx, GoodsDeliveryStore.SORTABLE.keySet(), "id");
    answer(ctx, workflow.page(scope, page.sortField(), page.ascending(), page.offset(), page.limit()),
        result -> Responses.ok(ctx, Hal.collection(ctx, "goodsdeliveries", result.items().stream()
            .map(d -> Representations.goodsDelivery(ctx, d)).toList(), page, result.total())));
  }

  private void searches(RoutingContext ctx) {
    String base = Hal.baseUrl(ctx);
    Responses.ok(ctx, new JsonObject().put("_links", new JsonObject()
        .put("findByProcNo", Hal.link(Hal.absolute(base, "/goodsdeliveries/search/findByProcNo{?procNo}"))
            .put("templated", true))
        .put("self", Hal.link(Hal.absolute(base, "/goodsdeliveries/search")))));
  }

  private void findByProcNo(RoutingContext ctx) {
    String scope = Identity.of(ctx).companyScope();
    String procNo = ctx.queryParams().get("procNo");
    if (procNo == null || !ProcNo.PATTERN.matcher(procNo).matches()) {
      throw Problem.validation(List.of(new FieldError("procNo", ProcNo.RULE)));
    }
    answer(ctx, workflow.findByProcNo(procNo, scope), d -> {
      if (d == null) {
        throw Problem.notFound("No goods delivery has procNo " + procNo + ".");
      }
      return ok(ctx, d);
    });
  }

  private void get(RoutingContext ctx) {
    String scope = Identity.of(ctx).companyScope();
    answer(ctx, workflow.find(RequestParams.id(ctx), scope), d -> ok(ctx, d));
  }

  /**
   * {@code PATCH /goodsdeliveries/{id}} {@code {procNo?, companyPhoneNo, inspectionContents?}}: registers (or
   * corrects) the inspection request. Fields left out keep their values.
   */
  private void requestInspection(RoutingContext ctx) {
    String scope = Identity.of(ctx).companyScope();
    long id = RequestParams.id(ctx);
    Integer ifMatch = RequestParams.ifMatch(ctx);
    JsonObject body = Validator.of(JsonBody.object(ctx))
        .optionalString("procNo", 50, ProcNo.PATTERN, ProcNo.RULE)
        .requiredString("companyPhoneNo", 20, PHONE_NO, PHONE_NO_RULE)
        .optionalString("inspectionContents", 4000)
        .validate();
    answer(ctx, workflow.requestInspection(id, body.getString("procNo"), scope, ifMatch,
        current -> new InspectionRequest(body.getString("companyPhoneNo"),
            body.containsKey("inspectionContents") ? body.getString("inspectionContents")
                : current.inspectionContents())), d -> ok(ctx, d));
  }

  private static Future<Void> ok(RoutingContext ctx, GoodsDelivery d) {
    ctx.response().putHeader("ETag", RequestParams.etag(d.version()));
    return Responses.ok(ctx, Representations.goodsDelivery(ctx, d));
  }

  /** Sends the result, or the failure as its problem (rule → 409, unknown id → 404, not yours → 403, ...). */
  private static <T> void answer(RoutingContext ctx, Future<T> result, Function<T, Future<Void>> ok) {
    result.compose(ok::apply).onFailure(e -> ctx.fail(toProblem(e)));
  }

  static Throwable toProblem(Throwable e) {
    if (e instanceof DeliveryWorkflow.NotYours) {
      return Problem.forbidden(e.getMessage());
    }
    return e;
  }
}
