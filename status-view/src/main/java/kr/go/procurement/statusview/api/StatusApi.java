package kr.go.procurement.statusview.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import kr.go.procurement.platform.domain.ProcNo;
import kr.go.procurement.platform.domain.ProcurementStatus;
import kr.go.procurement.platform.http.Hal;
import kr.go.procurement.platform.http.PageRequest;
import kr.go.procurement.platform.http.Problem;
import kr.go.procurement.platform.http.Problem.FieldError;
import kr.go.procurement.platform.http.RequestParams;
import kr.go.procurement.platform.http.Responses;
import kr.go.procurement.statusview.ViewRebuild;
import kr.go.procurement.statusview.store.DeliveryStatusStore;
import kr.go.procurement.statusview.store.PageCache;

/**
 * The HTTP API of the status board (납품현황조회), read only: {@code /deliveryStatusInquiries} with filters
 * {@code procNo}, {@code companyNo}, {@code status}, paging and sorting; {@code search/findByProcNo}; the
 * Server-Sent-Events {@code stream}; and the operator's {@code rebuild}.
 */
public final class StatusApi {

  private static final int MAX_COMPANY_NO = 100;

  private final PageCache pages;
  private final DeliveryStatusStore store;
  private final ChangeFeed feed;
  private final ViewRebuild rebuild;

  public StatusApi(PageCache pages, DeliveryStatusStore store, ChangeFeed feed, ViewRebuild rebuild) {
    this.pages = pages;
    this.store = store;
    this.feed = feed;
    this.rebuild = rebuild;
  }

  public void mount(Router router) {
    String base = Representations.PATH;
    router.get(base).handler(this::list);
    router.get(base + "/search").handler(this::searches);
    router.get(base + "/search/findByProcNo").handler(this::findByProcNo);
    // Before /:id, which would otherwise take these words for ids.
    router.get(base + "/stream").handler(this::stream);
    router.post(base + "/rebuild").handler(this::startRebuild);
    router.get(base + "/rebuild").handler(this::rebuildStatus);
    router.get(base + "/:id").handler(this::get);
  }

  /**
   * A page of the board, from the {@link PageCache} when this process has not changed the view since it was read.
   * The body is rendered once per page and request URL (base URL included, since links are absolute) and carries a
   * weak ETag; {@code If-None-Match} with it is answered 304.
   */
  private void list(RoutingContext ctx) {
    Viewer viewer = Viewer.of(ctx);
    JsonObject filter = viewer.restrict(filters(ctx).toQuery());
    PageRequest page = PageRequest.from(ctx, DeliveryStatusStore.SORTABLE.keySet(), "id");
    PageCache.Entry entry = pages.page(viewer.company(), filter, page.sortField(), page.ascending(), page.offset(),
        page.limit());
    String baseUrl = Hal.baseUrl(ctx);
    answer(ctx, entry.page(), result -> {
      Rendered rendered = entry.rendering(baseUrl + ' ' + ctx.request().uri(), p -> Rendered.of(
          Hal.collection(ctx, Representations.COLLECTION, p.items().stream()
              .map(doc -> Representations.inquiry(baseUrl, doc)).toList(), page, p.total())));
      return rendered.send(ctx);
    });
  }

  /** A list page's body, encoded once, and its weak entity tag (a digest of the body). */
  private record Rendered(Buffer body, String etag) {

    static Rendered of(JsonObject json) {
      Buffer body = json.toBuffer();
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes());
        return new Rendered(body, "W/\"" + HexFormat.of().formatHex(digest, 0, 12) + '"');
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has SHA-256", e);
      }
    }

    Future<Void> send(RoutingContext ctx) {
      HttpServerResponse response = ctx.response()
          .putHeader(HttpHeaders.ETAG, etag)
          // Per reader (a supplier sees another page than the agency): revalidate, and never in a shared cache.
          .putHeader(HttpHeaders.CACHE_CONTROL, "private, no-cache");
      if (matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
        return response.setStatusCode(304).end();
      }
      return response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, Hal.CONTENT_TYPE).end(body);
    }

    /** Weak comparison, as RFC 9110 prescribes for If-None-Match: W/ prefixes do not matter. */
    private boolean matches(String ifNoneMatch) {
      if (ifNoneMatch == null) {
        return false;
      }
      String opaque = etag.substring(2);
      for (String candidate : ifNoneMatch.split(",")) {
        String tag = candidate.trim();
        if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(opaque)) {
          return true;
        }
      }
      return false;
    }
  }

  private void searches(RoutingContext ctx) {
    String baseUrl = Hal.baseUrl(ctx);
    Responses.ok(ctx, new JsonObject().put("_links", new JsonObject()
        .put("findByProcNo", Hal.link(Hal.absolute(baseUrl, Representations.PATH + "/search/findByProcNo{?procNo}"))
            .put("templated", true))
        .put("self", Hal.link(Hal.absolute(baseUrl, Representations.PATH + "/search")))));
  }

  private void findByProcNo(RoutingContext ctx) {
    Viewer viewer = Viewer.of(ctx);
    String procNo = ctx.queryParams().get("procNo");
    if (!ProcNo.isValid(procNo)) {
      throw Problem.validation(List.of(new FieldError("procNo", ProcNo.RULE)));
    }
    answer(ctx, store.findByProcNo(procNo, viewer.restrict(new JsonObject())), doc -> {
      if (doc == null) {
        throw Problem.notFound("No procurement with procNo " + procNo + " is on the status board.");
      }
      return Responses.ok(ctx, Representations.inquiry(Hal.baseUrl(ctx), doc));
    });
  }

  private void get(RoutingContext ctx) {
    Viewer viewer = Viewer.of(ctx);
    long id = RequestParams.id(ctx);
    answer(ctx, store.findById(id, viewer.restrict(new JsonObject())), doc -> {
      if (doc == null) {
        throw Problem.notFound("No procurement with id " + id + " is on the status board.");
      }
      return Responses.ok(ctx, Representations.inquiry(Hal.baseUrl(ctx), doc));
    });
  }

  /**
   * {@code GET /deliveryStatusInquiries/stream}: Server-Sent Events, one per changed document the reader may see
   * and that matches the filters; {@code Last-Event-ID} (header, or {@code lastEventId} for clients that cannot set
   * headers) replays recent changes.
   */
  private void stream(RoutingContext ctx) {
    Viewer viewer = Viewer.of(ctx);
    Filters filters = filters(ctx);
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    if (lastEventId == null) {
      lastEventId = ctx.queryParams().get("lastEventId");
    }
    Predicate<JsonObject> visible = doc -> viewer.maySee(doc) && filters.test(doc);
    feed.subscribe(ctx.response(), Hal.baseUrl(ctx), visible, lastEventId);
  }

  /**
   * {@code POST /deliveryStatusInquiries/rebuild} (role admin): 202 with the status resource, which
   * {@code GET /deliveryStatusInquiries/rebuild} keeps showing until the rebuild has SUCCEEDED or FAILED. 409 while
   * one is running.
   */
  private void startRebuild(RoutingContext ctx) {
    requireAdmin(ctx);
    ViewRebuild.Status status = rebuild.start();
    ctx.response().putHeader(HttpHeaders.LOCATION, Hal.absolute(Hal.baseUrl(ctx), Representations.PATH + "/rebuild"));
    Responses.json(ctx, 202, rebuildResource(ctx, status)).onFailure(ctx::fail);
  }

  private void rebuildStatus(RoutingContext ctx) {
    requireAdmin(ctx);
    ViewRebuild.Status status = rebuild.status();
    if (status == null) {
      throw Problem.notFound("No rebuild has run since this service started.");
    }
    Responses.json(ctx, 200, rebuildResource(ctx, status)).onFailure(ctx::fail);
  }

  private static JsonObject rebuildResource(RoutingContext ctx, ViewRebuild.Status status) {
    return Hal.resource(ctx, status.toJson(), Representations.PATH + "/rebuild");
  }

  private static void requireAdmin(RoutingContext ctx) {
    if (!Viewer.of(ctx).isAdmin()) {
      throw Problem.forbidden("Rebuilding the status board is an operator command (role admin).");
    }
  }

  /** The list's and the stream's filters, checked: a malformed value is a 400, never an empty answer. */
  private record Filters(String procNo, String companyNo, String status) {

    JsonObject toQuery() {
      JsonObject query = new JsonObject();
      if (procNo != null) {
        query.put("_id", procNo);
      }
      if (companyNo != null) {
        query.put("companyNo", companyNo);
      }
      if (status != null) {
        query.put("status", status);
      }
      return query;
    }

    boolean test(JsonObject doc) {
      return (procNo == null || procNo.equals(doc.getString("procNo")))
          && (companyNo == null || companyNo.equals(doc.getString("companyNo")))
          && (status == null || status.equals(doc.getString("status")));
    }
  }

  private static Filters filters(RoutingContext ctx) {
    List<FieldError> errors = new ArrayList<>();
    String procNo = blankToNull(ctx.queryParams().get("procNo"));
    if (procNo != null && !ProcNo.isValid(procNo)) {
      errors.add(new FieldError("procNo", ProcNo.RULE));
    }
    String companyNo = blankToNull(ctx.queryParams().get("companyNo"));
    if (companyNo != null && companyNo.codePointCount(0, companyNo.length()) > MAX_COMPANY_NO) {
      errors.add(new FieldError("companyNo", "must be at most " + MAX_COMPANY_NO + " characters"));
    }
    String status = blankToNull(ctx.queryParams().get("status"));
    if (status != null) {
      try {
        status = ProcurementStatus.valueOf(status.toUpperCase(Locale.ROOT)).name();
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("status", "must be one of POSTED, DELIVERY_REQUESTED, INSPECTION_REQUESTED, "
            + "INSPECTED, CANCELED"));
      }
    }
    if (!errors.isEmpty()) {
      throw Problem.validation(errors);
    }
    return new Filters(procNo, companyNo, status);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static <T> void answer(RoutingContext ctx, Future<T> result, Function<T, Future<Void>> ok) {
    result.compose(ok::apply).onFailure(ctx::fail);
  }
}
