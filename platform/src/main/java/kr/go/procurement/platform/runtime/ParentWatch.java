package kr.go.procurement.platform.runtime;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Calls back once a given process is gone. The local-stack launcher passes its pid as {@code PARENT_PID}, so when
 * it dies, even by SIGKILL, which runs no hooks, its services follow instead of lingering on their ports.
 *
 * <p>{@link ProcessHandle#onExit()} reacts at once where the platform can wait on the process; a 1-second poll of
 * {@link ProcessHandle#isAlive()} backs it up (for a non-child process the JDK may only poll, and slowly).
 */
public final class ParentWatch implements AutoCloseable {

  private static final long POLL_MILLIS = 1000;

  private final AtomicBoolean fired = new AtomicBoolean();
  private final Thread poller;
  private final Runnable onGone;

  private ParentWatch(long pid, Runnable onGone) {
    this.onGone = onGone;
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    handle.ifPresent(h -> h.onExit().thenRun(this::fire));
    poller = new Thread(() -> poll(pid), "parent-watch-" + pid);
    poller.setDaemon(true);
    poller.start();
  }

  /** Starts watching {@code pid}; {@code onGone} runs once (on its own thread) when the process is gone. */
  public static ParentWatch watch(long pid, Runnable onGone) {
    return new ParentWatch(pid, onGone);
  }

  private void poll(long pid) {
    try {
      while (!fired.get()) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          fire();
          return;
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void fire() {
    if (fired.compareAndSet(false, true)) {
      // Its own thread: onGone blocks (graceful shutdown, then exit) and must not hold the JDK's exit-notification
      // thread or the poller.
      Thread runner = new Thread(onGone, "parent-gone");
      runner.setDaemon(false);
      runner.start();
    }
  }

  /** Whether the callback has been triggered. */
  public boolean fired() {
    return fired.get();
  }

  /** Stops watching (the callback will not run unless it already did). */
  @Override
  public void close() {
    fired.set(true);
    poller.interrupt();
  }
}
