package kr.go.procurement.notification.domain;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Korean mobile numbers (휴대전화 번호): {@code 010} with eight digits, and the legacy {@code 011}, {@code 016},
 * {@code 017}, {@code 018}, {@code 019} with seven or eight. Written with or without dashes, spaces or dots, and
 * in international form ({@code +82 10-1234-5678}, {@code +82-010-...}, {@code 0082...}, and {@code 82 10-...}, which
 * is what a query string's unescaped {@code +} decodes to; no domestic number starts with 8). Stored and compared in
 * one normal form, the eleven (or ten) digits of the domestic number: {@code 01012345678}.
 */
public final class PhoneNumber {

  /** Longer input is not a phone number, and is not worth running a pattern over. */
  private static final int MAX_INPUT = 30;
  private static final Pattern SEPARATORS = Pattern.compile("[\\s.\\-()]");
  private static final Pattern DOMESTIC = Pattern.compile("0(10\\d{8}|1[16789]\\d{7,8})");
  private static final Pattern INTERNATIONAL = Pattern.compile("(?:\\+82|0082|82)0?(10\\d{8}|1[16789]\\d{7,8})");

  private PhoneNumber() {
  }

  /** The normal form ({@code 01012345678}), or empty when {@code text} is not a Korean mobile number. */
  public static Optional<String> normalize(String text) {
    if (text == null || text.isBlank() || text.length() > MAX_INPUT) {
      return Optional.empty();
    }
    String compact = SEPARATORS.matcher(text.trim()).replaceAll("");
    Matcher domestic = DOMESTIC.matcher(compact);
    if (domestic.matches()) {
      return Optional.of(compact);
    }
    Matcher international = INTERNATIONAL.matcher(compact);
    if (international.matches()) {
      return Optional.of("0" + international.group(1));
    }
    return Optional.empty();
  }

  /** {@code 010-****-5678}: enough to recognise a number in a log, not enough to call it. */
  public static String masked(String normalized) {
    if (normalized == null || normalized.length() < 10) {
      return "***";
    }
    return normalized.substring(0, 3) + "-****-" + normalized.substring(normalized.length() - 4);
  }
}
