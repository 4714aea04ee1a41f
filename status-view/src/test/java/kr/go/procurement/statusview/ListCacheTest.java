package kr.go.procurement.statusview;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.statusview.store.DeliveryStatusStore;
import kr.go.procurement.statusview.store.PageCache;
import kr.go.procurement.testsupport.Eventually;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * List pages are answered from memory until this process changes the view (or they reach their maximum age), and
 * never across readers.
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListCacheTest {

  private static final Instant T0 = Instant.parse("2025-06-01T09:00:00Z");
  private static final String BASE = "/deliveryStatusInquiries";
  private static final String[] SUPPLIER_1 = {"X-User-Roles", "supplier", "X-User-Company", "c-1"};
  private static final String[] SUPPLIER_2 = {"X-User-Roles", "supplier", "X-User-Company", "c-2"};

  private Infra infra;
  /** Pages never expire by age here: whatever a test sees change, the view's generation changed it. */
  private RunningStatusView view;

  @BeforeAll
  void start(Infra infra) {
    this.infra = infra;
    view = RunningStatusView.start(infra, Map.of("LIST_CACHE_MAX_AGE_MS", "600000"));
    List<EventEnvelope> events = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      Procurement p = Procurement.of(i, "lc-" + i, T0.plusSeconds(i * 10L));
      events.addAll(List.of(p.posted(), p.deliveryRequested()));
    }
    view.kafka.sendAll(json(events));
    view.awaitConsumed();
  }

  @AfterAll
  void stop() {
    view.close();
  }

  @Test
  void aChangeAppliedByTheConsumerIsInTheNextListCall() {
    String newest = BASE + "?size=3&sort=updatedAt,desc";
    List<String> before = procNos(ok(view.get(newest)));
    assertThat(ok(view.get(newest))).as("answered again").isNotNull();
    Procurement fresh = Procurement.of(100, "lc-new", T0.plusSeconds(100_000));
    view.kafka.send(fresh.posted().toJson());
    view.awaitConsumed();

    List<String> after = procNos(ok(view.get(newest)));
    assertThat(after).first().isEqualTo("lc-new");
    assertThat(after.subList(1, 3)).isEqualTo(before.subList(0, 2));

    // And a change of a document already on a page, seen by a supplier's own list too.
    String supplierPage = BASE + "?size=50&sort=procNo,asc";
    Procurement own = Procurement.of(4, "lc-4", T0.plusSeconds(40)); // companyNo c-1
    assertThat(status(ok(view.get(supplierPage, SUPPLIER_1)), "lc-4")).isEqualTo("DELIVERY_REQUESTED");
    view.kafka.send(own.inspectionRequested().toJson());
    view.awaitConsumed();
    assertThat(status(ok(view.get(supplierPage, SUPPLIER_1)), "lc-4")).isEqualTo("INSPECTION_REQUESTED");
    assertThat(status(ok(view.get(BASE + "?size=50&sort=procNo,asc")), "lc-4")).isEqualTo("INSPECTION_REQUESTED");
  }

  @Test
  void aSupplierNeverGetsAPageCachedForAnotherSupplierOrTheAgency() {
    // The same URL for three readers, each first in turn, so a key without the reader would hand one's page on.
    for (int round = 0; round < 2; round++) {
      String url = BASE + "?size=100&sort=id,asc&round=" + round;
      List<String[]> readers = round == 0
          ? List.of(new String[0], SUPPLIER_1, SUPPLIER_2)
          : List.of(SUPPLIER_2, SUPPLIER_1, new String[0]);
      for (String[] reader : readers) {
        JsonObject page = ok(view.get(url, reader));
        List<JsonObject> items = items(page);
        if (reader.length == 0) {
          assertThat(items).extracting(d -> d.getString("companyNo")).contains("c-0", "c-1", "c-2");
        } else {
          assertThat(items).isNotEmpty().allSatisfy(d -> assertThat(d.getString("companyNo")).isEqualTo(reader[3]));
          assertThat(page.getJsonObject("page").getLong("totalElements")).isEqualTo(items.size());
        }
      }
    }
    // A supplier filtering on another company sees nothing, also after the agency read that company's page.
    assertThat(items(ok(view.get(BASE + "?companyNo=c-2")))).isNotEmpty();
    assertThat(items(ok(view.get(BASE + "?companyNo=c-2", SUPPLIER_1)))).isEmpty();
    // Nor does the agency's entity tag earn a supplier a 304.
    String agencyTag = view.get(BASE + "?size=7").getHeader("ETag");
    HttpResponse<Buffer> supplier = view.get(BASE + "?size=7", "If-None-Match", agencyTag, SUPPLIER_1[0],
        SUPPLIER_1[1], SUPPLIER_1[2], SUPPLIER_1[3]);
    assertThat(supplier.statusCode()).isEqualTo(200);
    assertThat(supplier.getHeader("ETag")).isNotEqualTo(agencyTag);
  }

  @Test
  void aPageCarriesAWeakEntityTagAndIfNoneMatchWithItIsAnswered304UntilTheViewChanges() {
    String url = BASE + "?size=4&sort=procNo,desc";
    HttpResponse<Buffer> first = view.get(url);
    String etag = first.getHeader("ETag");
    assertThat(etag).startsWith("W/\"");
    assertThat(first.getHeader("Cache-Control")).contains("no-cache");

    HttpResponse<Buffer> unchanged = view.get(url, "If-None-Match", etag);
    assertThat(unchanged.statusCode()).isEqualTo(304);
    assertThat(unchanged.body() == null || unchanged.body().length() == 0).isTrue();
    assertThat(unchanged.getHeader("ETag")).isEqualTo(etag);
    assertThat(view.get(url, "If-None-Match", "\"other\", " + etag.substring(2)).statusCode()).isEqualTo(304);

    view.kafka.send(Procurement.of(200, "lc-z", T0.plusSeconds(7_200)).posted().toJson()); // first by procNo desc
    view.awaitConsumed();
    HttpResponse<Buffer> changed = view.get(url, "If-None-Match", etag);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.getHeader("ETag")).isNotEqualTo(etag);
    assertThat(procNos(changed.bodyAsJsonObject())).first().isEqualTo("lc-z");
  }

  @Test
  void aRebuildSwapDropsTheCachedPages() {
    // Someone outside this process edits a document; a page read afterwards caches the edit.
    String url = BASE + "?procNo=lc-2";
    RunningStatusView.await(view.mongo.updateCollection(DeliveryStatusStore.COLLECTION,
        new JsonObject().put("_id", "lc-2"), new JsonObject().put("$set", new JsonObject().put("procTitle", "x"))));
    assertThat(items(ok(view.get(url))).get(0).getString("procTitle")).isEqualTo("x");

    HttpResponse<Buffer> accepted = view.send(HttpMethod.POST, BASE + "/rebuild", "X-User-Roles", "admin");
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
    Eventually.until(() -> assertThat(ok(view.get(BASE + "/rebuild", "X-User-Roles", "admin")).getString("state"))
        .isEqualTo("SUCCEEDED"));

    assertThat(items(ok(view.get(url))).get(0).getString("procTitle")).isEqualTo("사무용 의자 lc-2");
  }

  @Test
  void aPageIsReadAgainOnceItIsOlderThanTheMaximumAgeWhateverWroteTheView() {
    long maxAge = 1_000;
    Vertx vertx = Vertx.vertx();
    try {
      // The cache's clock is the test's: the page's age is what the test sets, however slow the machine.
      ProjectionHarness h = ProjectionHarness.deploy(vertx, infra, maxAge);
      h.onLoop(() -> h.projection.apply(Procurement.of(1, "age-1", T0).posted()));
      assertThat(titleOf(ask(h))).isEqualTo("사무용 의자 age-1");
      // A writer outside this process: the process cannot know, so only the age bounds how long the page is stale.
      RunningStatusView.await(h.real.updateCollection(DeliveryStatusStore.COLLECTION,
          new JsonObject().put("_id", "age-1"),
          new JsonObject().put("$set", new JsonObject().put("procTitle", "outside"))));

      // (before three quarters of the age, so that no read ahead starts and the expiry alone decides)
      h.advanceCacheClock(maxAge * 3 / 4 - 1);
      assertThat(titleOf(ask(h))).as("within the maximum age, the cached page").isEqualTo("사무용 의자 age-1");
      assertThat(h.pageReads.get()).isEqualTo(1);
      h.advanceCacheClock(maxAge / 4 + 1);
      assertThat(titleOf(ask(h))).as("at the maximum age, read again").isEqualTo("outside");
      assertThat(h.pageReads.get()).isEqualTo(2);
    } finally {
      RunningStatusView.await(vertx.close());
    }
  }

  @Test
  void concurrentMissesForOnePageShareOneQueryAndAZeroMaximumAgeTurnsTheCacheOff() {
    Vertx vertx = Vertx.vertx();
    try {
      ProjectionHarness cached = ProjectionHarness.deploy(vertx, infra, 60_000);
      cached.onLoop(() -> cached.projection.apply(Procurement.of(1, "share-1", T0).posted()));
      List<PageCache.Entry> entries = cached.onLoop(() -> {
        List<PageCache.Entry> asked = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          asked.add(cached.pages.page(null, new JsonObject(), "id", true, 0, 20));
        }
        return Future.all(asked.stream().map(PageCache.Entry::page).toList()).map(all -> asked);
      });
      assertThat(entries).allSatisfy(e -> assertThat(e).isSameAs(entries.get(0)));
      assertThat(cached.pageReads.get()).isEqualTo(1);
      assertThat(entries.get(0).page().result().items()).hasSize(1);

      ProjectionHarness uncached = ProjectionHarness.deploy(vertx, infra, 0);
      uncached.onLoop(() -> uncached.projection.apply(Procurement.of(1, "share-1", T0).posted()));
      uncached.onLoop(() -> Future.all(uncached.pages.page(null, new JsonObject(), "id", true, 0, 20).page(),
          uncached.pages.page(null, new JsonObject(), "id", true, 0, 20).page()));
      assertThat(uncached.pageReads.get()).isEqualTo(2);
      assertThat(uncached.pages.size()).isZero();
    } finally {
      RunningStatusView.await(vertx.close());
    }
  }

  @Test
  void aPageInSteadyUseIsReadAgainBeforeItExpiresSoThatNoAskerWaitsForTheRead() {
    Vertx vertx = Vertx.vertx();
    try {
      ProjectionHarness h = ProjectionHarness.deploy(vertx, infra, 1_000);
      h.onLoop(() -> h.projection.apply(Procurement.of(1, "ahead-1", T0).posted()));
      PageCache.Entry first = ask(h);
      assertThat(h.pageReads.get()).isEqualTo(1);
      h.advanceCacheClock(749);
      assertThat(ask(h)).as("before three quarters of the age: the page, no read ahead").isSameAs(first);
      assertThat(h.pageReads.get()).isEqualTo(1);
      h.advanceCacheClock(51);
      assertThat(ask(h)).as("three quarters of the age: still the page read first").isSameAs(first);
      assertThat(h.pageReads.get()).as("and a read ahead started").isEqualTo(2);
      h.advanceCacheClock(300);

      // Until the read ahead has arrived the first page is still handed out (no asker waits for the scan); then
      // the page read ahead, without a third read.
      PageCache.Entry afterExpiry = Eventually.get(() -> {
        PageCache.Entry asked = ask(h);
        return asked == first ? null : asked;
      });
      assertThat(afterExpiry).as("past the first page's age: the page read ahead").isNotSameAs(first);
      assertThat(h.pageReads.get()).isEqualTo(2);
      assertThat(afterExpiry.page().result().items()).hasSize(1);
    } finally {
      RunningStatusView.await(vertx.close());
    }
  }

  private static String titleOf(PageCache.Entry entry) {
    return entry.page().result().items().get(0).getString("procTitle");
  }

  private static PageCache.Entry ask(ProjectionHarness h) {
    return h.onLoop(() -> {
      PageCache.Entry entry = h.pages.page(null, new JsonObject(), "id", true, 0, 20);
      return entry.page().map(p -> entry);
    });
  }

  // ---- helpers ----

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static List<JsonObject> items(JsonObject collection) {
    JsonArray array = collection.getJsonObject("_embedded").getJsonArray("deliveryStatusInquiries");
    return array.stream().map(o -> (JsonObject) o).toList();
  }

  private static List<String> procNos(JsonObject collection) {
    return items(collection).stream().map(d -> d.getString("procNo")).toList();
  }

  private static String status(JsonObject collection, String procNo) {
    return items(collection).stream().filter(d -> d.getString("procNo").equals(procNo)).findFirst().orElseThrow()
        .getString("status");
  }

  private static String title(JsonObject collection) {
    return items(collection).get(0).getString("procTitle");
  }

  private static List<JsonObject> json(List<EventEnvelope> events) {
    return events.stream().map(EventEnvelope::toJson).toList();
  }
}
