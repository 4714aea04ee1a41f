package kr.go.procurement.statusview.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A number that moves on whenever this process may have changed the active view: after every write of the
 * projection (applied, unchanged-after-retry or failed, since a failed bulk write can have landed in part) and
 * after a rebuild swapped its collection in. Whatever was read from the view under an older number may be stale;
 * the list page cache keys its answers on it.
 */
public final class ViewGeneration {

  private final AtomicLong current = new AtomicLong();

  public long current() {
    return current.get();
  }

  /** The view may have changed: everything read before is stale. */
  public void advance() {
    current.incrementAndGet();
  }
}
