package kr.go.procurement.statusview.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import kr.go.procurement.platform.domain.ProcurementStatus;
import kr.go.procurement.statusview.domain.DeliveryStatus;
import kr.go.procurement.statusview.domain.HistoryEntry;
import kr.go.procurement.statusview.domain.Stamped;

/**
 * The MongoDB document of one procurement in {@code deliveryStatusInquiries}:
 *
 * <pre>{@code
 * {"_id": "p01", "id": 1, "procNo": "p01", "procTitle": "사무용 의자", "procAgency": "서울시청",
 *  "companyNo": "c01", "companyNm": "레드불", "inspectionSuccFlag": true, "status": "INSPECTED",
 *  "updatedAt": "2025-01-02T03:04:05.678Z", "history": [{"status": "POSTED", "at": "..."}, ...],
 *  "sources": {"procTitle": {"at": "...", "eventId": "..."}, ..., "reached": {"POSTED": "...", ...}},
 *  "rev": "<digest of everything above>"}
 * }</pre>
 *
 * <p>Fields always appear in this order, so the same state is the same document byte for byte. {@code sources}
 * holds what {@link DeliveryStatus#merge} needs to merge the next event (which event set each value, and when each
 * status was first reached). {@code rev} is a digest of the content: writes are conditional on it, which is safe
 * because merging only ever adds, so a document never returns to an earlier content. Times are UTC with exactly
 * three fraction digits, so that they sort as text.
 */
public final class DeliveryStatusDocument {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private DeliveryStatusDocument() {
  }

  public static String time(Instant instant) {
    return instant == null ? null : TIME.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  public static JsonObject toDocument(DeliveryStatus s) {
    JsonArray history = new JsonArray();
    for (HistoryEntry entry : s.history()) {
      history.add(new JsonObject().put("status", entry.status().name()).put("at", time(entry.at())));
    }
    JsonObject sources = new JsonObject();
    source(sources, "procTitle", s.procTitle());
    source(sources, "procAgency", s.procAgency());
    source(sources, "companyNo", s.companyNo());
    source(sources, "companyNm", s.companyNm());
    source(sources, "inspectionSuccFlag", s.inspectionSuccFlag());
    JsonObject reached = new JsonObject();
    s.reached().forEach((status, at) -> reached.put(status.name(), time(at)));
    sources.put("reached", reached);

    ProcurementStatus status = s.status();
    JsonObject doc = new JsonObject()
        .put("_id", s.procNo())
        .put("id", s.id())
        .put("procNo", s.procNo())
        .put("procTitle", Stamped.valueOf(s.procTitle()))
        .put("procAgency", Stamped.valueOf(s.procAgency()))
        .put("companyNo", Stamped.valueOf(s.companyNo()))
        .put("companyNm", Stamped.valueOf(s.companyNm()))
        .put("inspectionSuccFlag", Stamped.valueOf(s.inspectionSuccFlag()))
        .put("status", status == null ? null : status.name())
        .put("updatedAt", time(s.updatedAt()))
        .put("history", history)
        .put("sources", sources);
    return doc.put("rev", digest(doc));
  }

  public static DeliveryStatus fromDocument(JsonObject doc) {
    JsonObject sources = doc.getJsonObject("sources", new JsonObject());
    Map<ProcurementStatus, Instant> reached = new EnumMap<>(ProcurementStatus.class);
    sources.getJsonObject("reached", new JsonObject()).forEach(e -> {
      try {
        reached.put(ProcurementStatus.valueOf(e.getKey()), Instant.parse((String) e.getValue()));
      } catch (IllegalArgumentException | ClassCastException ignored) {
        // a status this version does not know: a rebuild gives the document its current shape
      }
    });
    Number id = doc.getNumber("id");
    return new DeliveryStatus(doc.getString("_id"), id == null ? null : id.longValue(),
        stamped(doc, sources, "procTitle", String.class),
        stamped(doc, sources, "procAgency", String.class),
        stamped(doc, sources, "companyNo", String.class),
        stamped(doc, sources, "companyNm", String.class),
        stamped(doc, sources, "inspectionSuccFlag", Boolean.class),
        reached,
        doc.getString("updatedAt") == null ? null : Instant.parse(doc.getString("updatedAt")));
  }

  private static void source(JsonObject sources, String field, Stamped<?> stamped) {
    if (stamped != null) {
      sources.put(field, new JsonObject().put("at", time(stamped.at())).put("eventId", stamped.eventId()));
    }
  }

  private static <T> Stamped<T> stamped(JsonObject doc, JsonObject sources, String field, Class<T> type) {
    JsonObject source = sources.getJsonObject(field);
    if (source == null) {
      return null;
    }
    Object value = doc.getValue(field);
    return new Stamped<>(type.isInstance(value) ? type.cast(value) : null, Instant.parse(source.getString("at")),
        source.getString("eventId"));
  }

  /** 128 bits of SHA-256 over the document's JSON (without {@code rev}): equal content, equal digest. */
  static String digest(JsonObject docWithoutRev) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(docWithoutRev.encode().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
