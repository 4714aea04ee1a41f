package kr.go.procurement.gateway.limit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets, one per key (a token's subject, or a client address for anonymous calls): each holds up to
 * {@code burst} tokens, refills at {@code perSecond}, and a request takes one. State lives in this process only;
 * with several gateway replicas every replica keeps its own buckets, so the effective limit is multiplied by the
 * number of replicas a client's requests are spread over.
 */
public final class RateLimiter {

  /** Buckets untouched this long are full again and can be forgotten (they would start full anyway). */
  private final long idleNanos;
  private final double perNano;
  private final int burst;
  private final LongSupplier clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** A {@code Retry-After} of 0 means the request may go ahead. */
  public record Decision(boolean allowed, long retryAfterSeconds) {
  }

  private static final Decision ALLOWED = new Decision(true, 0);

  public RateLimiter(double perSecond, int burst) {
    this(perSecond, burst, System::nanoTime);
  }

  /** @param clock nanoseconds, monotonic ({@link System#nanoTime()}; tests pass their own) */
  public RateLimiter(double perSecond, int burst, LongSupplier clock) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("a rate limit needs a positive rate and a burst of at least 1");
    }
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.clock = clock;
    this.idleNanos = (long) Math.ceil(burst / perNano);
  }

  /** Takes a token from {@code key}'s bucket, or says how many whole seconds until one is there. */
  public Decision acquire(String key) {
    long now = clock.getAsLong();
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    }
    double missing = bucket.take(now, perNano, burst);
    if (missing <= 0) {
      return ALLOWED;
    }
    return new Decision(false, Math.max(1, (long) Math.ceil(missing / perNano / 1e9)));
  }

  /** Forgets buckets that have refilled completely, so memory follows the active clients, not all ever seen. */
  public void evictIdle() {
    long now = clock.getAsLong();
    buckets.entrySet().removeIf(e -> e.getValue().idleSince(now, idleNanos));
  }

  /** How many buckets are held (for the metric and tests). */
  public int size() {
    return buckets.size();
  }

  private static final class Bucket {
    private double tokens;
    private long updated;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updated = now;
    }

    /** Refills, then takes one token; returns 0 on success, else the fraction of a token still missing. */
    synchronized double take(long now, double perNano, int burst) {
      tokens = Math.min(burst, tokens + Math.max(0, now - updated) * perNano);
      updated = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return 1 - tokens;
    }

    synchronized boolean idleSince(long now, long idleNanos) {
      return now - updated >= idleNanos;
    }
  }
}
