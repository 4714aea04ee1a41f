package kr.go.procurement.statusview.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import kr.go.procurement.platform.domain.ProcNo;
import kr.go.procurement.platform.domain.ProcurementStatus;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.events.EventTypes;
import kr.go.procurement.platform.events.MalformedEventException;

/**
 * Where one procurement stands (납품현황), as far as the events applied so far tell.
 *
 * <p>The state is what the events say, merged with {@link #merge}, which is commutative, associative and
 * idempotent: every field is a minimum, a maximum or a last-writer-wins value ordered by the event's own timestamp.
 * So the same set of events gives the same state whatever the order and however often each one is applied, which
 * is what makes replays, redeliveries, reordering across partitions and rebuilds harmless.
 *
 * <ul>
 *   <li>{@code id}: the procurement request's id, which every event carries (the smallest, should they differ);</li>
 *   <li>{@code procTitle}, {@code procAgency}, {@code companyNo}, {@code companyNm}, {@code inspectionSuccFlag}: the
 *       value from the latest event that carries it;</li>
 *   <li>{@code reached}: when each status was first reached (the earliest event leading to it);</li>
 *   <li>{@code updatedAt}: the latest event's timestamp (never the time of applying, which would differ per
 *       replay).</li>
 * </ul>
 *
 * <p>The current {@link #status()} is derived, see there.
 */
public record DeliveryStatus(String procNo, Long id, Stamped<String> procTitle, Stamped<String> procAgency,
                             Stamped<String> companyNo, Stamped<String> companyNm,
                             Stamped<Boolean> inspectionSuccFlag, Map<ProcurementStatus, Instant> reached,
                             Instant updatedAt) {

  public DeliveryStatus {
    Objects.requireNonNull(procNo, "procNo");
    EnumMap<ProcurementStatus, Instant> copy = new EnumMap<>(ProcurementStatus.class);
    copy.putAll(reached);
    reached = Collections.unmodifiableMap(copy);
  }

  /**
   * What one event says.
   *
   * @throws MalformedEventException when the event can never be applied (no usable id, a field of the wrong type,
   *                                 a procNo that is not one); the consumer dead-letters it
   * @throws IllegalArgumentException for an event type this view does not know
   */
  public static DeliveryStatus of(EventEnvelope event) {
    if (!ProcNo.isValid(event.procNo())) {
      throw new MalformedEventException("procNo '" + event.procNo() + "' is not a procurement number");
    }
    Instant at = event.timestamp().truncatedTo(ChronoUnit.MILLIS);
    String eventId = event.eventId().toString();
    long id = requiredId(event);
    Facts facts = new Facts(event, at, eventId);
    ProcurementStatus status;
    switch (event.eventType()) {
      case EventTypes.PROCUREMENT_REQUEST_POSTED -> {
        // The request's own fields: an edit republishes them, and a value edited away is null on purpose.
        facts.title = facts.owned("procTitle");
        facts.agency = facts.owned("procAgency");
        status = ProcurementStatus.POSTED;
      }
      case EventTypes.PROCUREMENT_REQUEST_CANCELED, EventTypes.PROCUREMENT_NOTICE_CANCELED ->
          status = ProcurementStatus.CANCELED;
      case EventTypes.DELIVERY_REQUEST_PATCHED -> {
        facts.supplier();
        status = ProcurementStatus.DELIVERY_REQUESTED;
      }
      case EventTypes.INSPECTION_REQUEST_PATCHED -> {
        facts.supplier();
        status = ProcurementStatus.INSPECTION_REQUESTED;
      }
      case EventTypes.INSPECTION_RESULT_PATCHED -> {
        facts.supplier();
        // Echoed here by request-svc; absent or null says nothing about the title.
        facts.title = facts.echoed("procTitle");
        Object flag = event.fields().getValue("inspectionSuccFlag");
        if (flag != null && !(flag instanceof Boolean)) {
          throw new MalformedEventException("inspectionSuccFlag is not a boolean");
        }
        facts.flag = flag == null ? null : new Stamped<>((Boolean) flag, at, eventId);
        status = ProcurementStatus.INSPECTED;
      }
      default -> throw new IllegalArgumentException("not an event of the status view: " + event.eventType());
    }
    Map<ProcurementStatus, Instant> reached = new EnumMap<>(ProcurementStatus.class);
    reached.put(status, at);
    return new DeliveryStatus(event.procNo(), id, facts.title, facts.agency, facts.companyNo, facts.companyNm,
        facts.flag, reached, at);
  }

  /** Both states together: what either of them knows, with the later event winning where they disagree. */
  public DeliveryStatus merge(DeliveryStatus other) {
    if (!procNo.equals(other.procNo)) {
      throw new IllegalArgumentException("cannot merge " + procNo + " with " + other.procNo);
    }
    Map<ProcurementStatus, Instant> merged = new EnumMap<>(ProcurementStatus.class);
    merged.putAll(reached);
    other.reached.forEach((status, at) -> merged.merge(status, at, (a, b) -> a.isBefore(b) ? a : b));
    return new DeliveryStatus(procNo,
        id == null ? other.id : other.id == null ? id : Math.min(id, other.id),
        Stamped.later(procTitle, other.procTitle),
        Stamped.later(procAgency, other.procAgency),
        Stamped.later(companyNo, other.companyNo),
        Stamped.later(companyNm, other.companyNm),
        Stamped.later(inspectionSuccFlag, other.inspectionSuccFlag),
        merged,
        updatedAt == null ? other.updatedAt : other.updatedAt == null ? updatedAt
            : updatedAt.isAfter(other.updatedAt) ? updatedAt : other.updatedAt);
  }

  /**
   * Whether these facts say nothing but that the request was posted: what a procurement's first event says, so
   * usually about a document that does not exist yet (an edit or a redelivery says it about one that does).
   */
  public boolean onlyPosted() {
    return reached.size() == 1 && reached.containsKey(ProcurementStatus.POSTED);
  }

  /**
   * The current status: the furthest step reached, except that a cancellation ends everything, unless the
   * inspection result came strictly before it.
   *
   * <p>request-svc never lets both happen (a cancel after the result is 409, a result after a cancel is 409); the
   * one way both could ever appear is a cancellation that lost that race but was still published, which is then
   * the stale one. Before the result, a cancellation wins over every other step, whichever arrived first.
   */
  public ProcurementStatus status() {
    Instant canceled = reached.get(ProcurementStatus.CANCELED);
    Instant inspected = reached.get(ProcurementStatus.INSPECTED);
    if (canceled != null && (inspected == null || !inspected.isBefore(canceled))) {
      return ProcurementStatus.CANCELED;
    }
    ProcurementStatus furthest = null;
    for (ProcurementStatus s : reached.keySet()) {
      if (s != ProcurementStatus.CANCELED) {
        furthest = s;
      }
    }
    return furthest;
  }

  /**
   * The steps reached, in the order of the workflow (not of arrival), each once with the time it was first
   * reached. A cancellation that did not take effect (see {@link #status()}) is left out.
   */
  public List<HistoryEntry> history() {
    boolean canceled = status() == ProcurementStatus.CANCELED;
    List<HistoryEntry> entries = new ArrayList<>();
    reached.forEach((status, at) -> {
      if (status != ProcurementStatus.CANCELED || canceled) {
        entries.add(new HistoryEntry(status, at));
      }
    });
    return entries;
  }

  private static long requiredId(EventEnvelope event) {
    Object id = event.fields().getValue("id");
    if (id instanceof Number n && n.longValue() > 0 && n.doubleValue() == n.longValue()) {
      return n.longValue();
    }
    throw new MalformedEventException(event.eventType() + " without a positive integer id");
  }

  /** Reads the optional fields of one event, checking their types. */
  private static final class Facts {
    private final EventEnvelope event;
    private final Instant at;
    private final String eventId;
    Stamped<String> title;
    Stamped<String> agency;
    Stamped<String> companyNo;
    Stamped<String> companyNm;
    Stamped<Boolean> flag;

    Facts(EventEnvelope event, Instant at, String eventId) {
      this.event = event;
      this.at = at;
      this.eventId = eventId;
    }

    /** A field the event's service owns: present with null means "now empty". */
    Stamped<String> owned(String field) {
      return event.fields().containsKey(field) ? new Stamped<>(text(field), at, eventId) : null;
    }

    /** A field repeated from elsewhere: only a value says something. */
    Stamped<String> echoed(String field) {
      String value = text(field);
      return value == null ? null : new Stamped<>(value, at, eventId);
    }

    void supplier() {
      companyNo = echoed("companyNo");
      companyNm = echoed("companyNm");
    }

    private String text(String field) {
      Object value = event.fields().getValue(field);
      if (value != null && !(value instanceof String)) {
        throw new MalformedEventException(field + " is not text");
      }
      return (String) value;
    }
  }
}
