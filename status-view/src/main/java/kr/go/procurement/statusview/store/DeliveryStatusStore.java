package kr.go.procurement.statusview.store;

import com.mongodb.MongoBulkWriteException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexModel;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.RenameCollectionOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import kr.go.procurement.platform.mongo.MongoPage;
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

  /**
   * A batch whose bulk write did not go through completely (a lost race, a duplicate key, an error). Some of its
   * writes may have landed nevertheless: {@code landed} are those documents (read back after the failure), which
   * the caller must still announce, because applying the same facts again will find them unchanged.
   */
  public static final class BatchFailed extends RuntimeException {
    private final transient List<Applied> landed;

    BatchFailed(Throwable cause, List<Applied> landed) {
      super(cause.getMessage(), cause, false, false);
      this.landed = List.copyOf(landed);
    }

    public List<Applied> landed() {
      return landed;
    }
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

  /**
   * Merges several procNos' facts (one entry per procNo) as {@link #apply} does each, with one {@code find} for the
   * documents and one unordered bulk write of those that changed (an insert for a new document, a replace
   * conditional on the {@code rev} read for a changed one). Unchanged documents are not written.
   *
   * <p>Facts that only say a request was posted ({@link DeliveryStatus#onlyPosted}, a procurement's first event)
   * are inserted without being read: their document is almost always new, which saves the read on the way of every
   * registration to the board. An insert never overwrites: where the document did exist (an edit, a redelivery),
   * the insert is refused as a duplicate and those facts are read and merged in a second round.
   *
   * @return the changed documents; a {@link BatchFailed} when not every write went through (apart from that second
   *     round nothing is retried here: the caller applies the facts again one by one, which is harmless for what
   *     did land)
   */
  public Future<List<Applied>> applyAll(String collection, List<DeliveryStatus> facts) {
    if (facts.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<DeliveryStatus> toRead = facts.stream().filter(f -> !f.onlyPosted()).toList();
    return read(collection, toRead)
        .compose(stored -> write(collection, facts, stored, f -> f.onlyPosted()))
        .compose(first -> {
          if (first.existed().isEmpty()) {
            return Future.succeededFuture(first.changed());
          }
          return read(collection, first.existed())
              .compose(stored -> write(collection, first.existed(), stored, f -> false))
              .<List<Applied>>map(second -> concat(first.changed(), second.changed()))
              .recover(e -> Future.failedFuture(new BatchFailed(e,
                  concat(first.changed(), e instanceof BatchFailed b ? b.landed() : List.of()))));
        });
  }

  /** What one bulk write changed, and the facts whose unread insert found its document already there. */
  private record Written(List<Applied> changed, List<DeliveryStatus> existed) {
  }

  private Future<Map<String, JsonObject>> read(String collection, List<DeliveryStatus> facts) {
    if (facts.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return mongo.find(collection, byProcNos(facts)).map(found -> {
      Map<String, JsonObject> stored = new HashMap<>(found.size() * 2);
      found.forEach(doc -> stored.put(doc.getString("_id"), doc));
      return stored;
    });
  }

  /**
   * One bulk write of the changed documents.
   *
   * @param unread facts that were not read: an insert whose document exists comes back in {@link Written#existed}
   */
  private Future<Written> write(String collection, List<DeliveryStatus> facts, Map<String, JsonObject> stored,
                                Predicate<DeliveryStatus> unread) {
    List<BulkOperation> writes = new ArrayList<>();
    List<Applied> changed = new ArrayList<>();
    Map<Integer, DeliveryStatus> unreadInserts = new HashMap<>();
    int inserts = 0;
    for (DeliveryStatus f : facts) {
      JsonObject before = stored.get(f.procNo());
      if (before == null) {
        JsonObject created = DeliveryStatusDocument.toDocument(f);
        if (unread.test(f)) {
          unreadInserts.put(writes.size(), f);
        }
        writes.add(BulkOperation.createInsert(created));
        changed.add(new Applied(created, true));
        inserts++;
        continue;
      }
      JsonObject next = DeliveryStatusDocument.toDocument(DeliveryStatusDocument.fromDocument(before).merge(f));
      if (!next.getString("rev").equals(before.getString("rev"))) {
        JsonObject unchangedSinceRead = new JsonObject().put("_id", f.procNo()).put("rev", before.getString("rev"));
        writes.add(BulkOperation.createReplace(unchangedSinceRead, next));
        changed.add(new Applied(next, true));
      }
    }
    if (writes.isEmpty()) {
      return Future.succeededFuture(new Written(List.of(), List.of()));
    }
    int expectedInserts = inserts;
    int expectedReplaces = writes.size() - inserts;
    return mongo.bulkWriteWithOptions(collection, writes, new BulkWriteOptions().setOrdered(false))
        .<Written>compose(result -> result.getInsertedCount() == expectedInserts
            && result.getMatchedCount() == expectedReplaces
            ? Future.succeededFuture(new Written(changed, List.of()))
            : Future.failedFuture(new OptimisticRetry.LostRace()))
        .recover(e -> {
          Set<Integer> refused = MongoStores.duplicateKeyWrites(e);
          MongoBulkWriteException bulk = MongoStores.bulkWriteFailure(e);
          // the writes that were not refused (a refused insert may match the stored document byte for byte, but it
          // changed nothing, so it is not announced)
          List<Applied> meant = new ArrayList<>(changed.size());
          for (int i = 0; i < changed.size(); i++) {
            if (!refused.contains(i)) {
              meant.add(changed.get(i));
            }
          }
          // Unordered: every write not listed as an error went through (the inserted count is not checked, as
          // mongo-java-server counts refused inserts too), so only the replaces' matches need checking.
          if (bulk != null && bulk.getWriteConcernError() == null && !refused.isEmpty()
              && refused.size() == bulk.getWriteErrors().size() && unreadInserts.keySet().containsAll(refused)
              && bulk.getWriteResult().getMatchedCount() == expectedReplaces) {
            return Future.succeededFuture(new Written(meant, refused.stream().sorted().map(unreadInserts::get)
                .toList()));
          }
          return landed(collection, byProcNos(facts), meant).transform(ar -> Future.failedFuture(new BatchFailed(
              MongoStores.isDuplicateKey(e) ? new OptimisticRetry.LostRace() : e,
              ar.succeeded() ? ar.result() : List.of())));
        });
  }

  private static JsonObject byProcNos(List<DeliveryStatus> facts) {
    JsonArray procNos = new JsonArray();
    facts.forEach(f -> procNos.add(f.procNo()));
    return new JsonObject().put("_id", new JsonObject().put("$in", procNos));
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a.size() + b.size());
    all.addAll(a);
    all.addAll(b);
    return all;
  }

  /** Of the documents a failed bulk write meant to write, those stored as it meant them. */
  private Future<List<Applied>> landed(String collection, JsonObject query, List<Applied> meant) {
    return mongo.find(collection, query).map(found -> {
      Map<String, String> revs = new HashMap<>(found.size() * 2);
      found.forEach(doc -> revs.put(doc.getString("_id"), doc.getString("rev")));
      return meant.stream()
          .filter(a -> a.document().getString("rev").equals(revs.get(a.document().getString("_id"))))
          .toList();
    });
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
