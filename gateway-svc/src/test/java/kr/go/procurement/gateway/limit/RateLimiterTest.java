package kr.go.procurement.gateway.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final RateLimiter limiter = new RateLimiter(2, 3, clock::get);

  @Test
  void aBurstPassesThenTheRateHolds() {
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("a").allowed()).isTrue();
    }
    RateLimiter.Decision refused = limiter.acquire("a");
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);

    advance(500); // 2 per second: one token after half a second
    assertThat(limiter.acquire("a").allowed()).isTrue();
    assertThat(limiter.acquire("a").allowed()).isFalse();
  }

  @Test
  void callersHaveTheirOwnBuckets() {
    for (int i = 0; i < 3; i++) {
      limiter.acquire("a");
    }
    assertThat(limiter.acquire("a").allowed()).isFalse();
    assertThat(limiter.acquire("b").allowed()).isTrue();
  }

  @Test
  void refillStopsAtTheBurst() {
    limiter.acquire("a");
    advance(60_000);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("a").allowed()).isTrue();
    }
    assertThat(limiter.acquire("a").allowed()).isFalse();
  }

  @Test
  void retryAfterRoundsUpToWholeSeconds() {
    RateLimiter slow = new RateLimiter(0.25, 1, clock::get);
    assertThat(slow.acquire("a").allowed()).isTrue();
    assertThat(slow.acquire("a").retryAfterSeconds()).isEqualTo(4);
    advance(1_000);
    assertThat(slow.acquire("a").retryAfterSeconds()).isEqualTo(3);
  }

  @Test
  void idleBucketsAreForgottenOnceFull() {
    limiter.acquire("a");
    limiter.acquire("b");
    advance(1_000);
    limiter.acquire("b");
    advance(600); // a: idle 1.6 s ≥ 3 tokens / 2 per s; b: idle 0.6 s
    limiter.evictIdle();
    assertThat(limiter.size()).isEqualTo(1);
  }

  @Test
  void nonsenseLimitsAreRefused() {
    assertThatThrownBy(() -> new RateLimiter(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateLimiter(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  private void advance(long millis) {
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }
}
