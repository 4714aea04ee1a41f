package kr.go.procurement.platform.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The current time at the precision PostgreSQL keeps (microseconds), so that the answer to a command shows the same
 * timestamps as every later read of the record.
 */
public final class Timestamps {

  private Timestamps() {
  }

  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
