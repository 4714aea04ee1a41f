package kr.go.procurement.management.domain;

/** The supplier (조달업체) named in the delivery order. */
public record Supplier(String companyNo, String companyNm) {

  public static final Supplier NONE = new Supplier(null, null);
}
