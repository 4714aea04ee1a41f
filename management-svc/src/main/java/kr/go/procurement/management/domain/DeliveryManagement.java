package kr.go.procurement.management.domain;

import java.time.Instant;
import java.util.Objects;
import kr.go.procurement.platform.domain.ProcurementStatus;
import kr.go.procurement.platform.domain.RuleViolation;

/**
 * 납품관리: the procurement-service officer's view of one procurement, from the posted request through the delivery
 * order (납품요구서) to the inspection result, or its cancellation. Its id is the procurement request's id.
 * Immutable: every rule returns the next state (the same instance when nothing changes), and the store writes it
 * only if nobody changed the record meanwhile ({@link #version()}).
 */
public record DeliveryManagement(
    long id, String procNo, ProcurementDetails details, Supplier supplier, Boolean inspectionSuccFlag,
    ProcurementStatus status, int version, Instant createdAt, Instant updatedAt) {

  public static DeliveryManagement posted(long id, String procNo, ProcurementDetails details, Instant now) {
    return new DeliveryManagement(id, procNo, details, Supplier.NONE, null, ProcurementStatus.POSTED, 0, now, now);
  }

  /**
   * A cancellation that arrived for a procurement never seen here. The row keeps the procNo taken, so that a late
   * {@code ProcurementRequestPosted} cannot bring a cancelled procurement back to life.
   */
  public static DeliveryManagement cancelledUnseen(long id, String procNo, Instant now) {
    return new DeliveryManagement(id, procNo, new ProcurementDetails(null, null, null, null, null), Supplier.NONE,
        null, ProcurementStatus.CANCELED, 0, now, now);
  }

  /**
   * The request was posted again (request-svc republishes it when a POSTED request is edited). Followed only while
   * no delivery order exists: after that the order was issued for what the officer saw, and late news changes
   * nothing.
   */
  public DeliveryManagement reposted(ProcurementDetails newDetails, Instant now) {
    if (status != ProcurementStatus.POSTED || details.equals(newDetails)) {
      return this;
    }
    return with(newDetails, supplier, inspectionSuccFlag, status, now);
  }

  /**
   * Issues the delivery order to {@code orderedSupplier}. Issuing it again to the same supplier changes nothing, so
   * a client may retry after a lost answer; naming another supplier once it is issued is a conflict.
   */
  public DeliveryManagement issueDeliveryOrder(Supplier orderedSupplier, Instant now) {
    return switch (status) {
      case POSTED -> with(details, orderedSupplier, inspectionSuccFlag, ProcurementStatus.DELIVERY_REQUESTED, now);
      case DELIVERY_REQUESTED, INSPECTION_REQUESTED -> {
        if (sameSupplier(orderedSupplier)) {
          yield this;
        }
        throw new RuleViolation("The delivery order of " + procNo + " was already issued to supplier "
            + supplier.companyNo() + " (" + supplier.companyNm() + "); it cannot be re-issued to "
            + orderedSupplier.companyNo() + " (" + orderedSupplier.companyNm() + ").");
      }
      case INSPECTED -> throw new RuleViolation("Procurement " + procNo + " is already inspected; its delivery order "
          + "cannot be changed.");
      case CANCELED -> throw new RuleViolation("Procurement " + procNo + " is cancelled; no delivery order can be "
          + "issued.");
    };
  }

  /**
   * Records the inspection result request-svc announces (검사결과 공지). The same result again changes nothing (the
   * caller retries after timeouts); the supplier fields are taken from the announcement where it names them.
   */
  public DeliveryManagement recordInspectionResult(boolean succeeded, Supplier announced, Instant now) {
    return switch (status) {
      case DELIVERY_REQUESTED, INSPECTION_REQUESTED -> with(details, new Supplier(
              announced.companyNo() != null ? announced.companyNo() : supplier.companyNo(),
              announced.companyNm() != null ? announced.companyNm() : supplier.companyNm()),
          succeeded, ProcurementStatus.INSPECTED, now);
      case INSPECTED -> {
        if (inspectionSuccFlag != null && inspectionSuccFlag == succeeded) {
          yield this;
        }
        throw new RuleViolation("The inspection result of " + procNo + " is already recorded as "
            + (Boolean.TRUE.equals(inspectionSuccFlag) ? "passed" : "failed") + "; it cannot be changed.");
      }
      case CANCELED -> throw new RuleViolation("Procurement " + procNo + " is cancelled; no inspection result can "
          + "be recorded.");
      case POSTED -> throw new RuleViolation("Procurement " + procNo + " has no delivery order yet; no inspection "
          + "result can be recorded.");
    };
  }

  public boolean isCancelled() {
    return status == ProcurementStatus.CANCELED;
  }

  /**
   * Cancels whatever the status: request-svc decides whether cancelling is allowed, and a race can let management
   * record the result just before the cancellation arrives; the cancellation wins.
   */
  public DeliveryManagement cancel(Instant now) {
    if (isCancelled()) {
      return this;
    }
    return with(details, supplier, inspectionSuccFlag, ProcurementStatus.CANCELED, now);
  }

  private boolean sameSupplier(Supplier other) {
    return Objects.equals(supplier.companyNo(), other.companyNo())
        && Objects.equals(supplier.companyNm(), other.companyNm());
  }

  private DeliveryManagement with(ProcurementDetails d, Supplier s, Boolean flag, ProcurementStatus next,
                                  Instant now) {
    return new DeliveryManagement(id, procNo, d, s, flag, next, version + 1, createdAt, now);
  }
}
