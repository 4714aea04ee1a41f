package kr.go.procurement.testsupport;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for asynchronous effects (an event applied, a row published) without fixed sleeps. */
public final class Eventually {

  public static final Duration TIMEOUT = Duration.ofSeconds(20);

  private Eventually() {
  }

  /** The first non-null value {@code probe} gives; fails after {@link #TIMEOUT}, rethrowing the last error. */
  public static <T> T get(Supplier<T> probe) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    AssertionError last = null;
    while (System.nanoTime() < deadline) {
      try {
        T value = probe.get();
        if (value != null) {
          return value;
        }
      } catch (AssertionError e) {
        last = e;
      }
      sleep(Duration.ofMillis(50));
    }
    if (last != null) {
      throw last;
    }
    throw new AssertionError("nothing arrived within " + TIMEOUT.toSeconds() + " s");
  }

  /** Retries {@code assertion} until it passes or {@link #TIMEOUT} is over. */
  public static void until(Runnable assertion) {
    get(() -> {
      assertion.run();
      return Boolean.TRUE;
    });
  }

  public static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
