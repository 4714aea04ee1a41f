package kr.go.procurement.statusview.store;

import kr.go.procurement.platform.mongo.MongoPage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexModel;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.RenameCollectionOptions;
import java.util.List;
import java.util.Map;
import kr.go.procurement.platform.mongo.MongoStores;
import kr.go.procurement.platform.store.OptimisticRetry;
import kr.go.procurement.statusview.domain.DeliveryStatus;

/**
 * The status documents in MongoDB. Every write merges into what is stored and is conditional on the stored
 * {@code rev}, so two writers (the live consumer and a rebuild's catch-up, or two replicas during a rebalance) never
 * overwrite each other's facts.
 */
public final class DeliveryStatusStore {

  /** The collection the API reads; a rebuild fills another one and renames it to this. */
  public static final String COLLECTION = "deliveryStatusInquiries";

  /** API field name → document field, for sorting; only these may be sorted on. */
  public static final Map<String, String> SORTABLE = Map.of(
      "id", "id", "procNo", "_id", "procTitle", "procTitle", "procAgency", "procAgency", "companyNo", "companyNo",
      "companyNm", "companyNm", "status", "status", "updatedAt", "updatedAt");
  private static final MongoPage PAGES = new MongoPage(COLLECTION, SORTABLE, "id");

  private static final int LOCAL_RETRIES = 5;

  /** The stored document after a merge, and whether the merge changed it. */
  public record Applied(JsonObject document, boolean changed) {
  }

  private final MongoClient mongo;

  public DeliveryStatusStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** The indexes every filter and sort of the API uses (procNo is {@code _id}). Idempotent. */
  public Future<Void> ensureIndexes(String collection) {
    return mongo.createIndexes(collection, List.of(
        new IndexModel(new JsonObject().put("id", 1), new IndexOptions().name("id")),
        new IndexModel(new JsonObject().put("companyNo", 1).put("id", 1), new IndexOptions().name("companyNo_id")),
        new IndexModel(new JsonObject().put("status", 1).put("id", 1), new IndexOptions().name("status_id")),
        new IndexModel(new JsonObject().put("updatedAt", 1), new IndexOptions().name("updatedAt"))));
  }

  /**
   * Merges {@code facts} into the document of its procNo. A lost race (someone wrote in between) is retried on a
   * fresh read a few times, then reported as {@link OptimisticRetry.LostRace}, which the consumer retries later.
   */
  public Future<Applied> apply(String collection, DeliveryStatus facts) {
    return attempt(collection, facts, 1);
  }

  private Future<Applied> attempt(String collection, DeliveryStatus facts, int attempt) {
    JsonObject byProcNo = new JsonObject().put("_id", facts.procNo());
    return mongo.findOne(collection, byProcNo, null).compose(stored -> {
      if (stored == null) {
        JsonObject created = DeliveryStatusDocument.toDocument(facts);
        return mongo.insert(collection, created)
            .map(id -> new Applied(created, true))
            .recover(e -> Future.failedFuture(MongoStores.isDuplicateKey(e) ? new OptimisticRetry.LostRace() : e));
      }
      JsonObject next = DeliveryStatusDocument.toDocument(DeliveryStatusDocument.fromDocument(stored).merge(facts));
      if (next.getString("rev").equals(stored.getString("rev"))) {
        return Future.succeededFuture(new Applied(stored, false));
      }
      JsonObject unchangedSinceRead = byProcNo.copy().put("rev", stored.getString("rev"));
      return mongo.replaceDocuments(collection, unchangedSinceRead, next).compose(result -> result.getDocMatched() == 1
          ? Future.succeededFuture(new Applied(next, true))
          : Future.failedFuture(new OptimisticRetry.LostRace()));
    }).recover(e -> e instanceof OptimisticRetry.LostRace && attempt < LOCAL_RETRIES
        ? attempt(collection, facts, attempt + 1)
        : Future.failedFuture(e));
  }

  public Future<JsonObject> findById(long id, JsonObject restriction) {
    return mongo.findOne(COLLECTION, restriction.copy().put("id", id), null);
  }

  public Future<JsonObject> findByProcNo(String procNo, JsonObject restriction) {
    return mongo.findOne(COLLECTION, restriction.copy().put("_id", procNo), null);
  }

  /**
   * One page, sorted on a whitelisted field with procNo as tie-breaker so pages are stable.
   *
   * @param filter already checked field values (never client operators)
   */
  public Future<MongoPage.Page> page(JsonObject filter, String sortField, boolean ascending, long offset,
                                     int limit) {
    return PAGES.fetch(mongo, filter, sortField, ascending, offset, limit);
  }

  /** Every document of {@code collection} in procNo order, as stored (for comparing views). */
  public Future<List<JsonObject>> all(String collection) {
    return mongo.findWithOptions(collection, new JsonObject(),
        new FindOptions().setSort(new JsonObject().put("_id", 1)));
  }

  /** Makes {@code source} the collection named {@code target}, replacing it in one step. */
  public Future<Void> replace(String source, String target) {
    return mongo.renameCollectionWithOptions(source, target, new RenameCollectionOptions().setDropTarget(true));
  }

  public Future<Void> drop(String collection) {
    return mongo.dropCollection(collection);
  }

  public Future<Long> count(String collection) {
    return mongo.count(collection, new JsonObject());
  }
}
