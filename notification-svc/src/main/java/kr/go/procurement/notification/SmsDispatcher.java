package kr.go.procurement.notification;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kr.go.procurement.notification.client.SmsFailure;
import kr.go.procurement.notification.client.SmsProvider;
import kr.go.procurement.notification.client.SmsProvider.SmsMessage;
import kr.go.procurement.notification.domain.PhoneNumber;
import kr.go.procurement.notification.domain.SmsStatus;
import kr.go.procurement.notification.domain.SmsText;
import kr.go.procurement.notification.store.SmsHistoryStore;
import kr.go.procurement.platform.domain.ProcNo;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.events.MalformedEventException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inspection result, at most one SMS.
 *
 * <ol>
 *   <li>The intent is recorded first: a PENDING record keyed (uniquely) by the event's id. If one exists, the event
 *       was handled before (a redelivery, a restart before the offset was committed) and nothing is sent.</li>
 *   <li>Then the provider is called, with the event's id as {@code reference}.</li>
 *   <li>Then the outcome is recorded: SENT, or FAILED with the reason (and whether and when to try again).</li>
 * </ol>
 *
 * <p>The reconciler (at start-up and every {@code SMS_RECONCILE_INTERVAL_MS}) sends again what is FAILED and
 * retryable, with exponential backoff and at most {@code SMS_MAX_ATTEMPTS} attempts, and what is PENDING with an
 * expired lease: a send cut short by a crash between calling the provider and recording the outcome. That SMS may
 * have been delivered already; it is sent again on purpose, because the unchanged {@code reference} lets the
 * provider drop the duplicate. So "at most one delivered SMS per event" holds end to end exactly when the provider
 * honours that idempotency key (the logging provider has nothing to deliver twice); without it, a crash in that
 * window can mean a second SMS rather than none.
 *
 * <p>Claims are conditional writes with a lease, so two senders (the live consumer and the reconciler, or two
 * replicas) never send one record at the same time.
 */
public final class SmsDispatcher {

  private static final Logger log = LoggerFactory.getLogger(SmsDispatcher.class);
  private static final long MAX_BACKOFF_MS = Duration.ofMinutes(10).toMillis();
  private static final int RECONCILE_BATCH = 20;

  /** How retries are paced. */
  public record Policy(int maxAttempts, Duration retryBackoff, Duration lease) {
  }

  private final SmsHistoryStore store;
  private final SmsProvider provider;
  private final Policy policy;
  private final Clock clock;
  private final MeterRegistry registry;
  private boolean reconciling;

  public SmsDispatcher(SmsHistoryStore store, SmsProvider provider, Policy policy, Clock clock,
                       MeterRegistry registry) {
    this.store = store;
    this.provider = provider;
    this.policy = policy;
    this.clock = clock;
    this.registry = registry;
  }

  /**
   * The handler of {@code InspectionResultPatched}. Completes once the outcome is recorded (a FAILED send is a
   * handled event too: the reconciler owns it from there).
   *
   * @throws MalformedEventException when the event lacks what any SMS needs (a boolean result)
   */
  public Future<Void> onInspectionResult(EventEnvelope event) {
    if (!ProcNo.isValid(event.procNo())) {
      throw new MalformedEventException("procNo '" + event.procNo() + "' is not a procurement number");
    }
    Object flag = event.fields().getValue("inspectionSuccFlag");
    if (!(flag instanceof Boolean passed)) {
      throw new MalformedEventException("InspectionResultPatched without a boolean inspectionSuccFlag");
    }
    String title = text(event, "procTitle");
    // A number where text belongs is still "a bad phone number": a FAILED record, not a dead letter.
    Object rawPhone = event.fields().getValue("companyPhoneNo");
    String phone = rawPhone == null ? null : String.valueOf(rawPhone);
    String companyNo = text(event, "companyNo");
    String eventId = event.eventId().toString();
    return store.findByEventId(eventId).compose(existing -> {
      if (existing != null) {
        log.atDebug().addKeyValue("eventId", eventId).log("inspection result already handled; no second SMS");
        return Future.<Void>succeededFuture();
      }
      return store.nextId().compose(id -> {
        Instant now = clock.instant();
        Optional<String> normalized = PhoneNumber.normalize(phone);
        JsonObject record = new JsonObject()
            .put("_id", id).put("id", id).put("eventId", eventId).put("procNo", event.procNo())
            .put("companyNo", companyNo)
            .put("phoneNo", normalized.orElse(phone == null ? null : phone.trim()))
            .put("contents", SmsText.inspectionResult(event.procNo(), title, passed))
            .put("sentAt", null).put("createdAt", SmsHistoryStore.time(now)).put("updatedAt", SmsHistoryStore.time(now));
        if (normalized.isEmpty()) {
          // Nothing to send to: recorded as failed for good, so the agency can see why no SMS went out.
          record.put("status", SmsStatus.FAILED.name()).put("attempts", 0)
              .put("reason", phone == null || phone.isBlank() ? "the inspection result names no phone number"
                  : "not a Korean mobile number")
              .put("retryable", false).put("nextAttemptAt", 0L).put("leaseUntil", 0L);
          registry.counter("sms_total", "outcome", "invalid_number").increment();
          return store.insert(record).mapEmpty();
        }
        long leaseUntil = now.toEpochMilli() + policy.lease().toMillis();
        record.put("status", SmsStatus.PENDING.name()).put("attempts", 1).put("reason", null)
            .put("retryable", true).put("nextAttemptAt", leaseUntil).put("leaseUntil", leaseUntil);
        return store.insert(record).compose(inserted -> inserted ? send(record) : Future.<Void>succeededFuture());
      });
    });
  }

  /**
   * Sends again whatever is due, oldest first, one at a time (a provider that is struggling gets no burst).
   * Overlapping runs are skipped.
   */
  public Future<Integer> reconcile() {
    if (reconciling) {
      return Future.succeededFuture(0);
    }
    reconciling = true;
    return store.due(clock.millis(), RECONCILE_BATCH)
        .compose(records -> resendEach(records, 0, 0))
        .onComplete(ar -> {
          reconciling = false;
          if (ar.failed()) {
            log.atWarn().log("reconciling SMS failed, will try again: {}", ar.cause().getMessage());
          } else if (ar.result() > 0) {
            log.atInfo().addKeyValue("resent", ar.result()).log("reconciled SMS");
          }
        });
  }

  private Future<Integer> resendEach(List<JsonObject> records, int index, int resent) {
    if (index == records.size()) {
      return Future.succeededFuture(resent);
    }
    Instant now = clock.instant();
    long leaseUntil = now.toEpochMilli() + policy.lease().toMillis();
    return store.claim(records.get(index), now, leaseUntil).compose(claimed -> claimed == null
            ? Future.succeededFuture(resent)
            : send(claimed).map(v -> resent + 1))
        .compose(n -> resendEach(records, index + 1, n));
  }

  /** One attempt for a record this sender holds (PENDING, its lease), then its outcome recorded. */
  private Future<Void> send(JsonObject record) {
    long id = record.getLong("_id");
    long heldUntil = record.getLong("leaseUntil");
    int attempts = record.getInteger("attempts");
    SmsMessage message = new SmsMessage(record.getString("phoneNo"), record.getString("contents"),
        record.getString("eventId"));
    Future<Void> outcome;
    try {
      outcome = provider.send(message).compose(receipt -> {
        registry.counter("sms_total", "outcome", "sent").increment();
        log.atInfo().addKeyValue("smsId", id).addKeyValue("procNo", record.getString("procNo"))
            .addKeyValue("attempts", attempts).log("SMS sent");
        return store.markSent(id, clock.instant());
      }, failure -> failed(record, id, heldUntil, attempts, failure));
    } catch (RuntimeException e) {
      outcome = failed(record, id, heldUntil, attempts, e);
    }
    return outcome;
  }

  private Future<Void> failed(JsonObject record, long id, long heldUntil, int attempts, Throwable failure) {
    SmsFailure f = failure instanceof SmsFailure sf ? sf
        : new SmsFailure("sending failed (" + failure.getClass().getSimpleName() + ")", true, true);
    int counted = f.providerCalled() ? attempts : attempts - 1;
    boolean retryable = f.retryable() && counted < policy.maxAttempts();
    Instant now = clock.instant();
    long next = now.toEpochMilli() + backoff(Math.max(1, counted));
    registry.counter("sms_total", "outcome", retryable ? "failed_retrying" : "failed").increment();
    log.atWarn().addKeyValue("smsId", id).addKeyValue("procNo", record.getString("procNo"))
        .addKeyValue("attempts", counted).addKeyValue("retryable", retryable)
        .log("SMS not sent: {}", f.reason());
    return store.markFailed(id, heldUntil, now, f.reason(), retryable, retryable ? next : 0L,
        !f.providerCalled());
  }

  /** {@code retryBackoff × 2^(attempts-1)}, at most ten minutes. */
  long backoff(int attempts) {
    long base = Math.max(1, policy.retryBackoff().toMillis());
    return Math.min(MAX_BACKOFF_MS, base << Math.min(attempts - 1, 20));
  }

  private static String text(EventEnvelope event, String field) {
    Object value = event.fields().getValue(field);
    if (value != null && !(value instanceof String)) {
      throw new MalformedEventException(field + " is not text");
    }
    return (String) value;
  }
}
