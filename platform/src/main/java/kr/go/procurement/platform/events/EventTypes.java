package kr.go.procurement.platform.events;

import java.util.Set;

/** The six event types of the contract, named as in the original design. */
public final class EventTypes {

  public static final String PROCUREMENT_REQUEST_POSTED = "ProcurementRequestPosted";
  public static final String PROCUREMENT_REQUEST_CANCELED = "ProcurementRequestCanceled";
  public static final String DELIVERY_REQUEST_PATCHED = "DeliveryRequestPatched";
  public static final String PROCUREMENT_NOTICE_CANCELED = "ProcurementNoticeCanceled";
  public static final String INSPECTION_REQUEST_PATCHED = "InspectionRequestPatched";
  public static final String INSPECTION_RESULT_PATCHED = "InspectionResultPatched";

  public static final Set<String> ALL = Set.of(
      PROCUREMENT_REQUEST_POSTED, PROCUREMENT_REQUEST_CANCELED, DELIVERY_REQUEST_PATCHED,
      PROCUREMENT_NOTICE_CANCELED, INSPECTION_REQUEST_PATCHED, INSPECTION_RESULT_PATCHED);

  private EventTypes() {
  }
}
