package kr.go.procurement.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdTest {

  /** The rule as a regular expression, which the character loop must match exactly. */
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @ParameterizedTest
  @ValueSource(strings = {"abc", "A-b_c.d:e", "0", "9f1c2d3e-0000-4000-8000-000000000000", "", " ", "a b", "a\r\nb",
      "ä", "a/b", "a+b", "a%20", "{x}", "Ω", "a\tb"})
  void keepsASaneIdAndReplacesTheRest(String candidate) {
    assertThat(RequestId.isSane(candidate)).as(candidate).isEqualTo(SANE.matcher(candidate).matches());
    String id = RequestId.accept(candidate);
    if (SANE.matcher(candidate).matches()) {
      assertThat(id).isSameAs(candidate);
    } else {
      assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    }
  }

  @Test
  void lengthLimit() {
    assertThat(RequestId.isSane("a".repeat(128))).isTrue();
    assertThat(RequestId.isSane("a".repeat(129))).isFalse();
    assertThat(RequestId.isSane(null)).isFalse();
  }

  @Test
  void newIdsAreRandomVersion4Uuids() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = RequestId.newId();
      UUID uuid = UUID.fromString(id);
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2);
      assertThat(id).hasSize(36).matches(SANE);
      seen.add(id);
    }
    assertThat(seen).hasSize(10_000);
  }
}
