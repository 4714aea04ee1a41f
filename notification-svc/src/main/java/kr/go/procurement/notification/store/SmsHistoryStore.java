package kr.go.procurement.notification.store;

import kr.go.procurement.platform.mongo.MongoPage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexModel;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import kr.go.procurement.notification.domain.SmsStatus;
import kr.go.procurement.platform.mongo.MongoStores;

/**
 * The SMS history in MongoDB ({@code smsHistories}): one document per inspection-result event, keyed by a numeric
 * id (so {@code GET /smsHistories/1} works as in the original), unique on {@code eventId}.
 *
 * <pre>{@code
 * {"_id": 1, "id": 1, "eventId": "…", "procNo": "p01", "companyNo": "c01", "phoneNo": "01012341234",
 *  "contents": "[조달 납품] …", "status": "SENT", "attempts": 1, "reason": null, "sentAt": "…",
 *  "createdAt": "…", "updatedAt": "…", "retryable": false, "nextAttemptAt": 0, "leaseUntil": 0}
 * }</pre>
 *
 * <p>{@code leaseUntil} (epoch ms) is how long the one sender that claimed the record may take; nobody else sends it
 * before then. {@code nextAttemptAt} (epoch ms) is when the reconciler may try a FAILED (or crashed PENDING) record
 * again; {@code retryable} says whether it may at all.
 */
public final class SmsHistoryStore {

  public static final String COLLECTION = "smsHistories";
  static final String COUNTERS = "counters";

  /** API field name → document field, for sorting; only these may be sorted on. */
  public static final Map<String, String> SORTABLE = Map.of("id", "_id", "procNo", "procNo", "phoneNo", "phoneNo",
      "status", "status", "attempts", "attempts", "sentAt", "sentAt", "createdAt", "createdAt");
  private static final MongoPage PAGES = new MongoPage(COLLECTION, SORTABLE, "_id");

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final MongoClient mongo;

  public SmsHistoryStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** UTC, three fraction digits: sorts as text. */
  public static String time(Instant instant) {
    return instant == null ? null : TIME.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  public Future<Void> ensureIndexes() {
    return mongo.createIndexes(COLLECTION, List.of(
        // The guarantee "one event, at most one SMS" rests on this one.
        new IndexModel(new JsonObject().put("eventId", 1), new IndexOptions().name("eventId").unique(true)),
        new IndexModel(new JsonObject().put("procNo", 1).put("_id", 1), new IndexOptions().name("procNo_id")),
        new IndexModel(new JsonObject().put("phoneNo", 1).put("_id", 1), new IndexOptions().name("phoneNo_id")),
        new IndexModel(new JsonObject().put("status", 1).put("nextAttemptAt", 1),
            new IndexOptions().name("status_nextAttemptAt"))));
  }

  /** The next id, from a counter document; ids taken by an insert that then lost to a duplicate are skipped. */
  public Future<Long> nextId() {
    return mongo.findOneAndUpdateWithOptions(COUNTERS, new JsonObject().put("_id", COLLECTION),
            new JsonObject().put("$inc", new JsonObject().put("seq", 1L)), new FindOptions(),
            new UpdateOptions().setUpsert(true).setReturningNewDocument(true))
        .map(doc -> doc.getNumber("seq").longValue());
  }

  public Future<JsonObject> findByEventId(String eventId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("eventId", eventId), null);
  }

  /** @return false if a record for the same event exists already */
  public Future<Boolean> insert(JsonObject record) {
    return mongo.insert(COLLECTION, record).map(id -> true)
        .recover(e -> MongoStores.isDuplicateKey(e) ? Future.succeededFuture(false) : Future.failedFuture(e));
  }

  /**
   * Records that may be (re)sent now: PENDING or FAILED, retryable, due, and not held by a sender. A PENDING record
   * whose lease ran out was cut short (a crash between sending and recording).
   */
  public Future<List<JsonObject>> due(long nowMillis, int limit) {
    JsonObject query = new JsonObject()
        .put("status", new JsonObject().put("$in", new JsonArray().add(SmsStatus.PENDING.name())
            .add(SmsStatus.FAILED.name())))
        .put("retryable", true)
        .put("nextAttemptAt", new JsonObject().put("$lte", nowMillis))
        .put("leaseUntil", new JsonObject().put("$lt", nowMillis));
    return mongo.findWithOptions(COLLECTION, query, new FindOptions().setSort(new JsonObject().put("_id", 1))
        .setLimit(limit));
  }

  /**
   * Takes {@code record} for one send, if nobody changed it since it was read: PENDING, one more attempt, held until
   * {@code leaseUntil}.
   *
   * @return the claimed record, or null when another sender was first
   */
  public Future<JsonObject> claim(JsonObject record, Instant now, long leaseUntil) {
    JsonObject unchanged = new JsonObject().put("_id", record.getValue("_id"))
        .put("status", record.getString("status"))
        .put("attempts", record.getInteger("attempts"))
        .put("leaseUntil", new JsonObject().put("$lt", now.toEpochMilli()));
    JsonObject update = new JsonObject()
        .put("$set", new JsonObject().put("status", SmsStatus.PENDING.name()).put("leaseUntil", leaseUntil)
            .put("nextAttemptAt", leaseUntil).put("updatedAt", time(now)))
        .put("$inc", new JsonObject().put("attempts", 1));
    return mongo.findOneAndUpdateWithOptions(COLLECTION, unchanged, update, new FindOptions(),
        new UpdateOptions().setReturningNewDocument(true));
  }

  /** Records the provider's acceptance. Unconditional but once: SENT is the truth whoever learned it. */
  public Future<Void> markSent(long id, Instant now) {
    JsonObject notYet = new JsonObject().put("_id", id)
        .put("status", new JsonObject().put("$ne", SmsStatus.SENT.name()));
    JsonObject update = new JsonObject().put("$set", new JsonObject()
        .put("status", SmsStatus.SENT.name()).put("sentAt", time(now)).put("updatedAt", time(now))
        .put("reason", null).put("retryable", false).put("leaseUntil", 0L).put("nextAttemptAt", 0L));
    return mongo.updateCollection(COLLECTION, notYet, update).mapEmpty();
  }

  /**
   * Records a failed attempt, if this sender still holds the record (a sender whose lease ran out must not
   * overwrite the outcome of the one that took over).
   *
   * @param notAnAttempt the provider was not even tried (open circuit): the attempt is given back
   */
  public Future<Void> markFailed(long id, long heldUntil, Instant now, String reason, boolean retryable,
                                 long nextAttemptAt, boolean notAnAttempt) {
    JsonObject held = new JsonObject().put("_id", id).put("status", SmsStatus.PENDING.name())
        .put("leaseUntil", heldUntil);
    JsonObject update = new JsonObject()
        .put("$set", new JsonObject().put("status", SmsStatus.FAILED.name()).put("reason", reason)
            .put("retryable", retryable).put("nextAttemptAt", nextAttemptAt).put("leaseUntil", 0L)
            .put("updatedAt", time(now)))
        .put("$inc", new JsonObject().put("attempts", notAnAttempt ? -1 : 0));
    return mongo.updateCollection(COLLECTION, held, update).mapEmpty();
  }

  public Future<JsonObject> findById(long id) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", id), null);
  }

  /** The latest SMS of a procurement (there is normally one: one inspection result per procurement). */
  public Future<JsonObject> findLatestByProcNo(String procNo) {
    return mongo.findWithOptions(COLLECTION, new JsonObject().put("procNo", procNo),
            new FindOptions().setSort(new JsonObject().put("_id", -1)).setLimit(1))
        .map(list -> list.isEmpty() ? null : list.get(0));
  }

  public Future<MongoPage.Page> page(JsonObject filter, String sortField, boolean ascending, long offset,
                                     int limit) {
    return PAGES.fetch(mongo, filter, sortField, ascending, offset, limit);
  }
}
