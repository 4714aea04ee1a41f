package kr.go.procurement.notification.domain;

/**
 * The text of the inspection-result SMS (검사결과 알림), in Korean. It names the procurement number, the title when
 * the event carries one, and the result:
 *
 * <pre>
 * [조달 납품] 조달번호 p01 「사무용 의자」 검사 결과: 합격입니다.
 * [조달 납품] 조달번호 p01 검사 결과: 불합격입니다. 납품현황조회에서 내용을 확인해 주십시오.
 * </pre>
 */
public final class SmsText {

  /** Titles are cut to this many characters, so the message stays a short SMS rather than a long one. */
  static final int MAX_TITLE = 30;

  private SmsText() {
  }

  public static String inspectionResult(String procNo, String procTitle, boolean passed) {
    StringBuilder text = new StringBuilder("[조달 납품] 조달번호 ").append(procNo);
    String title = title(procTitle);
    if (title != null) {
      text.append(" 「").append(title).append('」');
    }
    text.append(" 검사 결과: ");
    text.append(passed ? "합격입니다." : "불합격입니다. 납품현황조회에서 내용을 확인해 주십시오.");
    return text.toString();
  }

  private static String title(String procTitle) {
    if (procTitle == null) {
      return null;
    }
    // One line: control characters (line breaks a client typed) would break the message's layout.
    String clean = procTitle.replaceAll("\\p{Cntrl}+", " ").trim().replaceAll("\\s{2,}", " ");
    if (clean.isEmpty()) {
      return null;
    }
    if (clean.codePointCount(0, clean.length()) > MAX_TITLE) {
      clean = clean.substring(0, clean.offsetByCodePoints(0, MAX_TITLE - 1)) + "…";
    }
    return clean;
  }
}
