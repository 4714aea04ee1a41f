package kr.go.procurement.platform.identity;

import java.util.Locale;
import java.util.Optional;

/**
 * The roles of the contract. The gateway grants access by them; the services read them from {@link Identity} to
 * confine a supplier to its own company's rows.
 */
public enum Role {
  /** 수요기관 담당자: registers procurement requests and inspection results, may cancel. */
  AGENCY,
  /** 조달청 담당자: issues the delivery order. */
  PPS,
  /** 조달업체 담당자, bound to one company: registers the inspection request. */
  SUPPLIER,
  /** Reads the status board and the collections; changes nothing. */
  VIEWER,
  /** Everything, unrestricted by company. */
  ADMIN;

  /** The name in tokens and in {@link Identity#ROLES_HEADER}: lower case ({@code "agency"}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role a wire name stands for (case-insensitive, trimmed); empty for names this system does not know. */
  public static Optional<Role> fromWireName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (Role r : values()) {
      if (r.wireName().equals(n)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
