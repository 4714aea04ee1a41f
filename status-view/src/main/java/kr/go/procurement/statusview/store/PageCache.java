package kr.go.procurement.statusview.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import kr.go.procurement.platform.mongo.MongoPage;

/**
 * List pages of the active view as this process last read them, so that the same list asked again costs no query
 * (without secondary indexes every list query scans and sorts the whole collection).
 *
 * <p>A page is served from here only while
 * <ul>
 *   <li>the {@link ViewGeneration} is the one it was read under: the projection moves it on after every write and
 *       the rebuild after its swap, so a change this process made is visible in the very next list call;</li>
 *   <li>it was read less than {@code maxAge} ago, which bounds how stale a page can be when something outside this
 *       process wrote the view (status-view runs as one replica whose consumer is the only writer, so normally
 *       nothing does); while its re-read is under way it is served a little longer, for as long as that read
 *       takes, rather than making askers queue behind a scan of the whole collection.</li>
 * </ul>
 *
 * <p>The key is everything that shapes the answer: the reader's scope (a supplier's company) and the filter
 * restricted to it, the sort, the offset and the size. Concurrent misses for one key share one query. A page asked
 * for when three quarters of its maximum age have passed is read again in the background, so that a page in steady
 * use never makes its askers wait for the read its expiry would need. At most {@code maxEntries} pages are kept,
 * least recently used first out. A {@code maxAge} of zero turns caching off.
 */
public final class PageCache {

  /** Renderings (base URL and query variants) kept per page; more are rendered without being kept. */
  private static final int MAX_RENDERINGS = 8;

  record Key(String scope, String filter, String sortField, boolean ascending, long offset, int limit) {
  }

  /** One page as read (or being read), plus the representations rendered from it. */
  public static final class Entry {
    private final long generation;
    /** When its read completed (its age counts from there: a scan of a large collection can take seconds). */
    private volatile long readAtNanos;
    private final Future<MongoPage.Page> page;
    private final Map<String, Object> renderings = new ConcurrentHashMap<>();
    /** The read started ahead of this one's expiry, to replace it (guarded by the cache's lock). */
    private Entry refresh;

    private Entry(long generation, long readAtNanos, Future<MongoPage.Page> page) {
      this.generation = generation;
      this.readAtNanos = readAtNanos;
      this.page = page;
    }

    public Future<MongoPage.Page> page() {
      return page;
    }

    /**
     * The representation of this page for {@code variant} (whatever besides the page shapes it, such as the base
     * URL and query of the request), rendered once. Only call once {@link #page()} has succeeded.
     */
    @SuppressWarnings("unchecked")
    public <T> T rendering(String variant, Function<MongoPage.Page, T> render) {
      Object cached = renderings.get(variant);
      if (cached != null) {
        return (T) cached;
      }
      T rendered = render.apply(page.result());
      if (renderings.size() < MAX_RENDERINGS) {
        renderings.putIfAbsent(variant, rendered);
      }
      return rendered;
    }
  }

  private final DeliveryStatusStore store;
  private final ViewGeneration generation;
  private final long maxAgeNanos;
  private final long refreshAfterNanos;
  /** Monotonic nanoseconds; a parameter so that tests decide how old a page is instead of waiting for it. */
  private final LongSupplier nanoTime;
  private final Map<Key, Entry> entries;
  private final Counter hits;
  private final Counter misses;
  private long generationSeen;

  /**
   * @param maxAge     how long a page may be served without reading it again ({@code LIST_CACHE_MAX_AGE_MS});
   *                   zero turns caching off
   * @param maxEntries how many pages are kept at most
   */
  public PageCache(DeliveryStatusStore store, ViewGeneration generation, Duration maxAge, int maxEntries,
                   MeterRegistry registry) {
    this(store, generation, maxAge, maxEntries, registry, System::nanoTime);
  }

  /** @param nanoTime the clock pages age by, in monotonic nanoseconds ({@link System#nanoTime()} in the service) */
  public PageCache(DeliveryStatusStore store, ViewGeneration generation, Duration maxAge, int maxEntries,
                   MeterRegistry registry, LongSupplier nanoTime) {
    this.store = store;
    this.nanoTime = nanoTime;
    this.generation = generation;
    this.maxAgeNanos = Math.max(0, maxAge.toNanos());
    this.refreshAfterNanos = maxAgeNanos / 4 * 3;
    int capacity = Math.max(1, maxEntries);
    this.entries = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
        return size() > capacity;
      }
    };
    this.hits = Counter.builder("view_list_cache_requests_total").tag("result", "hit")
        .description("list pages answered from the cache (hit) or read from MongoDB (miss)").register(registry);
    this.misses = Counter.builder("view_list_cache_requests_total").tag("result", "miss").register(registry);
  }

  /**
   * The page, from the cache when it may be, else read (once, however many ask for it meanwhile).
   *
   * @param scope  the only companyNo the reader may see, or null
   * @param filter already restricted to {@code scope}, checked field values only
   */
  public Entry page(String scope, JsonObject filter, String sortField, boolean ascending, long offset, int limit) {
    long now = nanoTime.getAsLong();
    if (maxAgeNanos == 0) {
      misses.increment();
      return new Entry(0, now, store.page(filter, sortField, ascending, offset, limit));
    }
    Key key = new Key(scope, filter.encode(), sortField, ascending, offset, limit);
    synchronized (entries) {
      long current = generation.current();
      if (current != generationSeen) {
        entries.clear(); // every page read before is stale
        generationSeen = current;
      }
      Entry cached = entries.get(key);
      if (cached != null && cached.generation == current && !cached.page.failed()) {
        if (!cached.page.isComplete()) {
          hits.increment(); // a read under way: share it
          return cached;
        }
        long age = now - cached.readAtNanos;
        if (age < maxAgeNanos) {
          hits.increment();
          if (age >= refreshAfterNanos && cached.refresh == null && cached.page.succeeded()) {
            // Read it again in the background, so that askers never wait for the expiry's read.
            cached.refresh = read(key, current, now, filter, sortField, ascending, offset, limit, false);
          }
          return cached;
        }
        Entry refresh = cached.refresh;
        if (refresh != null && refresh.generation == current && !refresh.page.failed()) {
          hits.increment();
          if (!refresh.page.isComplete()) {
            // Its re-read is still under way (a slow scan): the view has not changed in this process, so the page
            // read before still stands until the new one arrives; askers do not queue behind the scan.
            return cached;
          }
          entries.put(key, refresh);
          return refresh;
        }
      }
      misses.increment();
      return read(key, current, now, filter, sortField, ascending, offset, limit, true);
    }
  }

  /**
   * Starts reading a page under {@code generation}. The entry goes into the cache at once ({@code cacheNow}), or,
   * for a read ahead of the current entry's expiry, once read, if that entry is still the current one and the view
   * has not changed meanwhile. Called with the lock held.
   */
  private Entry read(Key key, long generation, long startedNanos, JsonObject filter, String sortField,
                     boolean ascending, long offset, int limit, boolean cacheNow) {
    Entry fresh = new Entry(generation, startedNanos, store.page(filter, sortField, ascending, offset, limit));
    if (cacheNow) {
      entries.put(key, fresh);
    }
    fresh.page.onComplete(ar -> {
      fresh.readAtNanos = nanoTime.getAsLong();
      synchronized (entries) {
        Entry current = entries.get(key);
        if (ar.failed()) {
          entries.remove(key, fresh);
        } else if (!cacheNow && current != null && current.refresh == fresh
            && generation == this.generation.current()) {
          entries.put(key, fresh);
        }
      }
    });
    return fresh;
  }

  /** Pages kept now (for tests and curiosity). */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
