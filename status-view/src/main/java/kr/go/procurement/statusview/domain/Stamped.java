package kr.go.procurement.statusview.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A value together with the event that set it. Of two, the one from the later event wins (by timestamp, then by
 * eventId as a tie-breaker), so the outcome depends on which events were applied, never on the order they arrived
 * in.
 */
public record Stamped<T>(T value, Instant at, String eventId) {

  private static final Comparator<Stamped<?>> ORDER =
      Comparator.<Stamped<?>, Instant>comparing(Stamped::at).thenComparing(Stamped::eventId);

  public Stamped {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(eventId, "eventId");
  }

  /** The later of the two; either may be null (nothing known yet). */
  public static <T> Stamped<T> later(Stamped<T> a, Stamped<T> b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return ORDER.compare(a, b) >= 0 ? a : b;
  }

  /** The value, or null when nothing is known. */
  public static <T> T valueOf(Stamped<T> stamped) {
    return stamped == null ? null : stamped.value();
  }
}
