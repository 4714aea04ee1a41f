package kr.go.procurement.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmsTextTest {

  @Test
  void aPassNamesTheProcurementItsTitleAndTheResult() {
    assertThat(SmsText.inspectionResult("p01", "사무용 의자", true))
        .isEqualTo("[조달 납품] 조달번호 p01 「사무용 의자」 검사 결과: 합격입니다.");
  }

  @Test
  void aFailSaysSoAndWhereToLook() {
    assertThat(SmsText.inspectionResult("p02", null, false))
        .isEqualTo("[조달 납품] 조달번호 p02 검사 결과: 불합격입니다. 납품현황조회에서 내용을 확인해 주십시오.");
  }

  @Test
  void aLongOrMultiLineTitleIsShortenedToOneLine() {
    String text = SmsText.inspectionResult("p03", "첫 줄\n둘째 줄 " + "가".repeat(50), true);
    String title = text.substring(text.indexOf('「') + 1, text.indexOf('」'));
    assertThat(title).doesNotContain("\n").startsWith("첫 줄 둘째 줄").endsWith("…");
    assertThat(title.codePointCount(0, title.length())).isEqualTo(SmsText.MAX_TITLE);
    assertThat(SmsText.inspectionResult("p04", " \t ", true)).doesNotContain("「");
  }
}
