package kr.go.procurement.platform.domain;

/**
 * Where a procurement stands. Statuses only move forward, in this order, or end in {@link #CANCELED}.
 */
public enum ProcurementStatus {
  POSTED, DELIVERY_REQUESTED, INSPECTION_REQUESTED, INSPECTED, CANCELED;

  /** True if {@code next} does not go back from this status (staying is allowed, so replays are harmless). */
  public boolean canMoveTo(ProcurementStatus next) {
    if (this == CANCELED || this == INSPECTED) {
      return next == this;
    }
    return next == CANCELED || next.ordinal() >= ordinal();
  }

  public boolean isFinal() {
    return this == CANCELED || this == INSPECTED;
  }
}
