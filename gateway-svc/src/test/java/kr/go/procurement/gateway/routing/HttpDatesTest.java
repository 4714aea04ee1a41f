package kr.go.procurement.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HttpDatesTest {

  private static final Instant RFC_EXAMPLE = Instant.parse("1994-11-06T08:49:37Z");

  @Test
  void theThreeFormsOfRfc9110() {
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(RFC_EXAMPLE);
    // Two-digit years are read as 20yy (as vertx-http-proxy reads them), so the RFC's own example is no Sunday.
    assertThat(HttpDates.parse("Thursday, 06-Nov-25 08:49:37 GMT")).isEqualTo(Instant.parse("2025-11-06T08:49:37Z"));
    assertThat(HttpDates.parse("Sun Nov 6 08:49:37 1994")).isEqualTo(RFC_EXAMPLE);
    assertThat(HttpDates.parse("yesterday")).isNull();
    assertThat(HttpDates.parse("")).isNull();
  }

  @Test
  void printedAsRfc1123() {
    assertThat(HttpDates.format(RFC_EXAMPLE)).isEqualTo("Sun, 6 Nov 1994 08:49:37 GMT");
  }

  @Test
  void theDateOfAWarning() {
    assertThat(HttpDates.ofWarning("110 proxy \"stale\" \"Sun, 06 Nov 1994 08:49:37 GMT\"")).isEqualTo(RFC_EXAMPLE);
    assertThat(HttpDates.ofWarning("199 proxy undated")).isNull();
    assertThat(HttpDates.ofWarning("199")).isNull();
  }
}
