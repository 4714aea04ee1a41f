package kr.go.procurement.notification.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;
import kr.go.procurement.notification.domain.PhoneNumber;
import kr.go.procurement.notification.store.SmsHistoryStore;
import kr.go.procurement.platform.domain.ProcNo;
import kr.go.procurement.platform.http.Hal;
import kr.go.procurement.platform.http.PageRequest;
import kr.go.procurement.platform.http.Problem;
import kr.go.procurement.platform.http.Problem.FieldError;
import kr.go.procurement.platform.http.RequestParams;
import kr.go.procurement.platform.http.Responses;

/**
 * {@code /smsHistories} (문자알림 이력), read only: the list with filters {@code procNo} and {@code phoneNo} (any
 * way of writing the number finds it), paging and sorting; one record by id; {@code search/findByProcNo}.
 */
public final class SmsHistoryApi {

  private static final int MAX_PHONE_FILTER = 30;

  private final SmsHistoryStore store;

  public SmsHistoryApi(SmsHistoryStore store) {
    this.store = store;
  }

  public void mount(Router router) {
    String base = Representations.PATH;
    router.get(base).handler(this::list);
    router.get(base + "/search").handler(this::searches);
    router.get(base + "/search/findByProcNo").handler(this::findByProcNo);
    router.get(base + "/:id").handler(this::get);
  }

  private void list(RoutingContext ctx) {
    JsonObject filter = new JsonObject();
    String procNo = blankToNull(ctx.queryParams().get("procNo"));
    if (procNo != null) {
      if (!ProcNo.isValid(procNo)) {
        throw Problem.validation(List.of(new FieldError("procNo", ProcNo.RULE)));
      }
      filter.put("procNo", procNo);
    }
    String phoneNo = blankToNull(ctx.queryParams().get("phoneNo"));
    if (phoneNo != null) {
      if (phoneNo.length() > MAX_PHONE_FILTER) {
        throw Problem.validation(List.of(new FieldError("phoneNo", "must be at most " + MAX_PHONE_FILTER
            + " characters")));
      }
      // Stored normalised; an invalid number is stored as written, so it is looked up that way.
      filter.put("phoneNo", PhoneNumber.normalize(phoneNo).orElse(phoneNo));
    }
    PageRequest page = PageRequest.from(ctx, SmsHistoryStore.SORTABLE.keySet(), "id");
    answer(ctx, store.page(filter, page.sortField(), page.ascending(), page.offset(), page.limit()),
        result -> Responses.ok(ctx, Hal.collection(ctx, Representations.COLLECTION, result.items().stream()
            .map(doc -> Representations.smsHistory(ctx, doc)).toList(), page, result.total())));
  }

  private void searches(RoutingContext ctx) {
    String baseUrl = Hal.baseUrl(ctx);
    Responses.ok(ctx, new JsonObject().put("_links", new JsonObject()
        .put("findByProcNo", Hal.link(Hal.absolute(baseUrl, Representations.PATH + "/search/findByProcNo{?procNo}"))
            .put("templated", true))
        .put("self", Hal.link(Hal.absolute(baseUrl, Representations.PATH + "/search")))));
  }

  /** The procurement's latest SMS (a procurement normally has exactly one), or 404. */
  private void findByProcNo(RoutingContext ctx) {
    String procNo = ctx.queryParams().get("procNo");
    if (!ProcNo.isValid(procNo)) {
      throw Problem.validation(List.of(new FieldError("procNo", ProcNo.RULE)));
    }
    answer(ctx, store.findLatestByProcNo(procNo), doc -> {
      if (doc == null) {
        throw Problem.notFound("No SMS was recorded for procNo " + procNo + ".");
      }
      return Responses.ok(ctx, Representations.smsHistory(ctx, doc));
    });
  }

  private void get(RoutingContext ctx) {
    long id = RequestParams.id(ctx);
    answer(ctx, store.findById(id), doc -> {
      if (doc == null) {
        throw Problem.notFound("No SMS history has id " + id + ".");
      }
      return Responses.ok(ctx, Representations.smsHistory(ctx, doc));
    });
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static <T> void answer(RoutingContext ctx, Future<T> result, Function<T, Future<Void>> ok) {
    result.compose(ok::apply).onFailure(ctx::fail);
  }
}
