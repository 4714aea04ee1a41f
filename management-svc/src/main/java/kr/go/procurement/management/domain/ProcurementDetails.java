package kr.go.procurement.management.domain;

/** The procurement request as posted by the agency (조달요청서), copied from {@code ProcurementRequestPosted}. */
public record ProcurementDetails(String procTitle, String procContents, Long procPrice, String procAgency,
                                 Double procQty) {
}
