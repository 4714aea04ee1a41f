package kr.go.procurement.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PhoneNumberTest {

  @Test
  void koreanMobileNumbersInEveryUsualSpellingNormaliseToTheirDigits() {
    for (String written : List.of("010-1234-5678", "01012345678", "010 1234 5678", "010.1234.5678",
        "+82 10-1234-5678", "+82-10-1234-5678", "+821012345678", "+82 010-1234-5678", "0082 10 1234 5678", "82 10-1234-5678",
        " 010-1234-5678 ")) {
      assertThat(PhoneNumber.normalize(written)).as(written).contains("01012345678");
    }
  }

  @Test
  void legacyPrefixesTakeSevenOrEightDigits() {
    assertThat(PhoneNumber.normalize("011-123-4567")).contains("0111234567");
    assertThat(PhoneNumber.normalize("016-1234-5678")).contains("01612345678");
    assertThat(PhoneNumber.normalize("017 123 4567")).contains("0171234567");
    assertThat(PhoneNumber.normalize("018-1234-5678")).contains("01812345678");
    assertThat(PhoneNumber.normalize("+82 19-123-4567")).contains("0191234567");
  }

  @Test
  void everythingElseIsNotAMobileNumber() {
    for (String written : List.of("", "   ", "02-123-4567", "031-123-4567", "010-123-4567", "010-1234-56789",
        "012-1234-5678", "015-1234-5678", "1012345678", "+1 010-1234-5678", "010-12a4-5678", "010--1234",
        "+82 2-123-4567", "0".repeat(40))) {
      assertThat(PhoneNumber.normalize(written)).as(written).isEmpty();
    }
    assertThat(PhoneNumber.normalize(null)).isEmpty();
  }

  @Test
  void aMaskedNumberKeepsOnlyPrefixAndLastFourDigits() {
    assertThat(PhoneNumber.masked("01012345678")).isEqualTo("010-****-5678");
    assertThat(PhoneNumber.masked(null)).isEqualTo("***");
  }
}
