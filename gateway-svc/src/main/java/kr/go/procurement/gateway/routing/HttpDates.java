package kr.go.procurement.gateway.routing;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Locale;

/**
 * HTTP dates (RFC 9110 §5.6.7) as the gateway reads and prints them in {@code Date} and {@code Warning} headers: the
 * three accepted forms in, RFC 1123 out (as vertx-http-proxy, which the gateway used before, does).
 */
final class HttpDates {

  private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
      .appendPattern("EEEE, dd-MMM-yy HH:mm:ss")
      .parseLenient()
      .appendLiteral(" GMT")
      .toFormatter(Locale.US)
      .withZone(ZoneId.of("UTC"));

  private static final DateTimeFormatter ASC_TIME = new DateTimeFormatterBuilder()
      .appendPattern("EEE MMM d HH:mm:ss yyyy")
      .parseLenient()
      .toFormatter(Locale.US)
      .withZone(ZoneId.of("UTC"));

  private HttpDates() {
  }

  /**
   * {@code Sun, 06 Nov 1994 08:49:37 GMT}, {@code Sunday, 06-Nov-94 08:49:37 GMT} or
   * {@code Sun Nov 6 08:49:37 1994} (two-digit years read as 20yy); null for anything else.
   */
  static Instant parse(String value) {
    try {
      int comma = value.indexOf(',');
      if (comma == 3) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.parse(value, Instant::from);
      }
      if (comma == -1) {
        return ASC_TIME.parse(value, Instant::from);
      }
      return RFC_850.parse(value, Instant::from);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The date of a {@code Warning} value ({@code code agent "text" "date"}), or null. */
  static Instant ofWarning(String value) {
    int index = value.indexOf(' ');
    if (index > 0) {
      index = value.indexOf(' ', index + 1);
      if (index > 0) {
        index = value.indexOf(' ', index + 1);
        if (index > 0) {
          int len = value.length();
          if (index + 2 < len && value.charAt(index + 1) == '"' && value.charAt(len - 1) == '"') {
            return parse(value.substring(index + 2, len - 1));
          }
        }
      }
    }
    return null;
  }

  /** RFC 1123, in GMT. */
  static String format(Instant date) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(OffsetDateTime.ofInstant(date, ZoneOffset.UTC));
  }
}
