package kr.go.procurement.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParentWatchTest {

  @Test
  void callbackRunsOnceWhenTheWatchedProcessDies() throws Exception {
    Process parent = new ProcessBuilder("sleep", "60").start();
    CountDownLatch gone = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    try (ParentWatch watch = ParentWatch.watch(parent.pid(), () -> {
      calls.incrementAndGet();
      gone.countDown();
    })) {
      assertThat(watch.fired()).isFalse();
      parent.destroyForcibly().waitFor();
      assertThat(gone.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(watch.fired()).isTrue();
    }
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void callbackRunsAtOnceWhenTheProcessDoesNotExist() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    CountDownLatch gone = new CountDownLatch(1);
    try (ParentWatch watch = ParentWatch.watch(p.pid(), gone::countDown)) {
      assertThat(gone.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void closedWatchDoesNotCallBack() throws Exception {
    Process parent = new ProcessBuilder("sleep", "60").start();
    CountDownLatch gone = new CountDownLatch(1);
    ParentWatch watch = ParentWatch.watch(parent.pid(), gone::countDown);
    watch.close();
    parent.destroyForcibly().waitFor();
    assertThat(gone.getCount()).isEqualTo(1);
  }
}
