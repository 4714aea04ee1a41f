package kr.go.procurement.request.domain;

import java.time.Instant;
import kr.go.procurement.platform.domain.ProcurementStatus;
import kr.go.procurement.platform.domain.RuleViolation;

/**
 * 조달요청서: an agency's procurement request, from registration to the inspection result or its cancellation.
 * Immutable: every rule returns the next state, and the store writes it only if nobody changed the record meanwhile
 * ({@link #version()}).
 */
public record ProcurementRequest(
    Long id, String procNo, RequestDetails details, Supplier supplier, String companyPhoneNo,
    String inspectionContents, Boolean inspectionSuccFlag, ProcurementStatus status, int version,
    Instant inspectionRequestedAt, Instant createdAt, Instant updatedAt) {

  /** What registering an inspection result needs to do, decided before management is called. */
  public enum ResultDecision { RECORD, ALREADY_RECORDED }

  public static ProcurementRequest register(String procNo, RequestDetails details, Instant now) {
    return new ProcurementRequest(null, procNo, details, new Supplier(null, null), null, null, null,
        ProcurementStatus.POSTED, 0, null, now, now);
  }

  /**
   * Edits the request; only while no delivery order exists, since copies elsewhere stop following edits then. An
   * edit to the details it already has changes nothing: the same request comes back (same version).
   */
  public ProcurementRequest edit(RequestDetails newDetails, Instant now) {
    if (status != ProcurementStatus.POSTED) {
      throw new RuleViolation("Procurement request " + procNo + " can only be edited while it is POSTED; it is "
          + status + ".");
    }
    if (details.equals(newDetails)) {
      return this;
    }
    return with(newDetails, supplier, companyPhoneNo, inspectionContents, inspectionSuccFlag, status,
        inspectionRequestedAt, now);
  }

  /** The delivery order was issued (DeliveryRequestPatched). Late or repeated news changes nothing. */
  public ProcurementRequest deliveryOrdered(Supplier orderedSupplier, Instant now) {
    if (status != ProcurementStatus.POSTED) {
      return this;
    }
    return with(details, orderedSupplier, companyPhoneNo, inspectionContents, inspectionSuccFlag,
        ProcurementStatus.DELIVERY_REQUESTED, inspectionRequestedAt, now);
  }

  /** The supplier asked for inspection (InspectionRequestPatched). Ignored once inspected or cancelled. */
  public ProcurementRequest inspectionRequested(Supplier requestingSupplier, String phoneNo, String contents,
                                                Instant now) {
    if (status.isFinal()) {
      return this;
    }
    return with(details, requestingSupplier, phoneNo, contents, inspectionSuccFlag,
        ProcurementStatus.INSPECTION_REQUESTED, now, now);
  }

  /**
   * Checks that the inspection result may be registered. Registering the same result again is allowed and changes
   * nothing, so a client may safely retry after a lost answer.
   */
  public ResultDecision decideInspectionResult(boolean succeeded) {
    return switch (status) {
      case INSPECTION_REQUESTED -> ResultDecision.RECORD;
      case INSPECTED -> {
        if (inspectionSuccFlag != null && inspectionSuccFlag == succeeded) {
          yield ResultDecision.ALREADY_RECORDED;
        }
        throw new RuleViolation("The inspection result of " + procNo + " is already registered as "
            + (Boolean.TRUE.equals(inspectionSuccFlag) ? "passed" : "failed") + "; it cannot be changed.");
      }
      case CANCELED -> throw new RuleViolation("Procurement " + procNo + " is cancelled; no inspection result can "
          + "be registered.");
      default -> throw new RuleViolation("No inspection has been requested for " + procNo + " yet (status "
          + status + "); the supplier must request inspection first.");
    };
  }

  public ProcurementRequest recordInspectionResult(boolean succeeded, String contents, Instant now) {
    decideInspectionResult(succeeded);
    return with(details, supplier, companyPhoneNo, contents != null ? contents : inspectionContents, succeeded,
        ProcurementStatus.INSPECTED, inspectionRequestedAt, now);
  }

  /** True if cancelling changes anything; cancelling twice is harmless, cancelling after the result is not allowed. */
  public boolean isCancelled() {
    return status == ProcurementStatus.CANCELED;
  }

  public ProcurementRequest cancel(Instant now) {
    if (status == ProcurementStatus.INSPECTED) {
      throw new RuleViolation("Procurement " + procNo + " cannot be cancelled: its inspection result is already "
          + "registered.");
    }
    if (status == ProcurementStatus.CANCELED) {
      return this;
    }
    return with(details, supplier, companyPhoneNo, inspectionContents, inspectionSuccFlag, ProcurementStatus.CANCELED,
        inspectionRequestedAt, now);
  }

  public ProcurementRequest withId(long newId) {
    return new ProcurementRequest(newId, procNo, details, supplier, companyPhoneNo, inspectionContents,
        inspectionSuccFlag, status, version, inspectionRequestedAt, createdAt, updatedAt);
  }

  private ProcurementRequest with(RequestDetails d, Supplier s, String phone, String contents, Boolean flag,
                                  ProcurementStatus next, Instant requestedAt, Instant now) {
    return new ProcurementRequest(id, procNo, d, s, phone, contents, flag, next, version + 1, requestedAt, createdAt,
        now);
  }
}
