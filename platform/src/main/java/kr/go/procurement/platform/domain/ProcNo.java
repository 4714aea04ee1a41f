package kr.go.procurement.platform.domain;

import java.util.regex.Pattern;

/** The procurement number (조달번호) every service and event is keyed by: 1 to 50 of {@code [A-Za-z0-9_-]}. */
public final class ProcNo {

  public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_-]{1,50}");
  /** The rule as a validation message says it. */
  public static final String RULE = "must be 1 to 50 letters, digits, '-' or '_'";
  public static final int MAX_LENGTH = 50;

  private ProcNo() {
  }

  public static boolean isValid(String value) {
    return value != null && PATTERN.matcher(value).matches();
  }
}
