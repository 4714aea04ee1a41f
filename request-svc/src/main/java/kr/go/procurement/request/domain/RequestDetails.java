package kr.go.procurement.request.domain;

/** What the agency officer writes in a procurement request (조달요청서). Validated at the API edge. */
public record RequestDetails(String procTitle, String procContents, Long procPrice, String procAgency,
                             Double procQty) {
}
