package kr.go.procurement.delivery.domain;

import java.time.Instant;
import java.util.Objects;
import kr.go.procurement.platform.domain.ProcurementStatus;
import kr.go.procurement.platform.domain.RuleViolation;

/**
 * 물품납품: one procurement's delivery by the supplier named in the delivery order, up to the inspection request
 * (검사검수요청서), or its cancellation. Its id is the procurement request's id. Immutable: every rule returns the
 * next state (the same instance when nothing changes), and the store writes it only if nobody changed the record
 * meanwhile ({@link #version()}).
 */
public record GoodsDelivery(
    long id, String procNo, Supplier supplier, String companyPhoneNo, String inspectionContents,
    ProcurementStatus status, int version, Instant createdAt, Instant updatedAt) {

  /** What a procNo (and a companyNo) looks like everywhere in the system. */

  /** The delivery order was issued ({@code DeliveryRequestPatched}). */
  public static GoodsDelivery ordered(long id, String procNo, Supplier supplier, Instant now) {
    return new GoodsDelivery(id, procNo, supplier, null, null, ProcurementStatus.DELIVERY_REQUESTED, 0, now, now);
  }

  /**
   * A cancellation of a procurement that never reached goods-delivery. The row keeps the procNo taken, so that a
   * late {@code DeliveryRequestPatched} cannot create a live delivery for a cancelled procurement.
   */
  public static GoodsDelivery cancelledUnseen(long id, String procNo, Instant now) {
    return new GoodsDelivery(id, procNo, Supplier.NONE, null, null, ProcurementStatus.CANCELED, 0, now, now);
  }

  /**
   * The delivery order arrived again. Followed only while nothing else happened here: once the supplier asked for
   * inspection, or the procurement was cancelled, late news changes nothing.
   */
  public GoodsDelivery reordered(Supplier orderedSupplier, Instant now) {
    if (status != ProcurementStatus.DELIVERY_REQUESTED || supplier.equals(orderedSupplier)) {
      return this;
    }
    return with(orderedSupplier, companyPhoneNo, inspectionContents, status, now);
  }

  /**
   * Registers the inspection request. The supplier may correct it (phone, contents) while it is pending; sending
   * the same request again changes nothing, so a retry after a lost answer publishes nothing twice.
   */
  public GoodsDelivery requestInspection(InspectionRequest request, Instant now) {
    return switch (status) {
      case DELIVERY_REQUESTED -> with(supplier, request.companyPhoneNo(), request.inspectionContents(),
          ProcurementStatus.INSPECTION_REQUESTED, now);
      case INSPECTION_REQUESTED -> Objects.equals(companyPhoneNo, request.companyPhoneNo())
          && Objects.equals(inspectionContents, request.inspectionContents())
          ? this
          : with(supplier, request.companyPhoneNo(), request.inspectionContents(), status, now);
      case CANCELED -> throw new RuleViolation("Procurement " + procNo + " was cancelled; no inspection can be "
          + "requested.");
      case INSPECTED -> throw new RuleViolation("Procurement " + procNo + " is already inspected; its inspection "
          + "request cannot be changed.");
      case POSTED -> throw new RuleViolation("Procurement " + procNo + " has no delivery order yet; no inspection "
          + "can be requested.");
    };
  }

  public boolean isCancelled() {
    return status == ProcurementStatus.CANCELED;
  }

  /** Cancels whatever the status (management decided); a cancelled delivery stays cancelled forever. */
  public GoodsDelivery cancel(Instant now) {
    if (isCancelled()) {
      return this;
    }
    return with(supplier, companyPhoneNo, inspectionContents, ProcurementStatus.CANCELED, now);
  }

  private GoodsDelivery with(Supplier s, String phone, String contents, ProcurementStatus next, Instant now) {
    return new GoodsDelivery(id, procNo, s, phone, contents, next, version + 1, createdAt, now);
  }
}
