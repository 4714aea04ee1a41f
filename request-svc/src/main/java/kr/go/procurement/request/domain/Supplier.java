package kr.go.procurement.request.domain;

/** The supplier (조달업체) named in the delivery order. */
public record Supplier(String companyNo, String companyNm) {
}
