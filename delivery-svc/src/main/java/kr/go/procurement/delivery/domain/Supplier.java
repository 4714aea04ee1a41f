package kr.go.procurement.delivery.domain;

/** The supplier (조달업체) the delivery order names: the company that delivers and asks for inspection. */
public record Supplier(String companyNo, String companyNm) {

  public static final Supplier NONE = new Supplier(null, null);
}
