package kr.go.procurement.delivery.domain;

/** What the supplier writes in the inspection request (검사검수요청서). Validated at the API edge. */
public record InspectionRequest(String companyPhoneNo, String inspectionContents) {
}
