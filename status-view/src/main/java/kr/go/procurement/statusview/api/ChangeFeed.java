package kr.go.procurement.statusview.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Server-Sent-Events feed of {@code GET /deliveryStatusInquiries/stream}: one event per changed document, a
 * comment line as heartbeat, and a bounded in-memory buffer of recent changes for reconnecting clients.
 *
 * <ul>
 *   <li>Event ids increase monotonically. They start from the process's start time in microseconds, so ids of an
 *       earlier process (or another replica) are recognisably not this one's.</li>
 *   <li>A client reconnecting with {@code Last-Event-ID} gets every buffered change after that id. If changes it
 *       missed are no longer buffered (more than {@code capacity} changes since, a restart of this service, another
 *       replica, a rebuild) it gets an {@code event: reset} instead and should reload the list.</li>
 *   <li>Slow clients are dropped, not buffered for: when a connection's write queue is full the connection is
 *       closed; the client reconnects with its last id and catches up from the buffer.</li>
 * </ul>
 *
 * <p>Every method runs on the verticle's event loop (the HTTP server, the consumer and the rebuild all live there),
 * so there is no locking.
 */
public final class ChangeFeed {

  private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);

  private final Vertx vertx;
  private final int capacity;
  private final ArrayDeque<Change> recent = new ArrayDeque<>();
  private final Set<Subscriber> subscribers = new LinkedHashSet<>();
  /** Open streams of every feed in this process (one per process, except in tests running several services). */
  private static final AtomicInteger OPEN_STREAMS = new AtomicInteger();

  private final Counter dropped;
  private final long heartbeatTimer;
  private long nextId = System.currentTimeMillis() * 1000;

  /** A change as the feed keeps it: the stored document (rendered per subscriber, who may be behind a gateway). */
  record Change(long id, JsonObject document) {
  }

  public ChangeFeed(Vertx vertx, int capacity, Duration heartbeat, MeterRegistry registry) {
    this.vertx = vertx;
    this.capacity = Math.max(1, capacity);
    this.dropped = Counter.builder("sse_clients_dropped_total")
        .description("stream clients disconnected because they did not keep up").register(registry);
    if (registry.find("sse_clients").gauge() == null) {
      Gauge.builder("sse_clients", OPEN_STREAMS, AtomicInteger::get).description("open stream connections")
          .register(registry);
    }
    this.heartbeatTimer = vertx.setPeriodic(Math.max(1, heartbeat.toMillis()), t -> heartbeat());
  }

  /** Announces a changed document to every subscriber whose filter matches it. */
  public void publish(JsonObject document) {
    Change change = new Change(nextId++, document);
    recent.addLast(change);
    if (recent.size() > capacity) {
      recent.removeFirst();
    }
    // Rendered once per base URL (direct, or behind the gateway), not once per subscriber.
    Map<String, String> frames = new HashMap<>();
    for (Subscriber s : List.copyOf(subscribers)) {
      if (s.filter.test(document)) {
        s.write(frames.computeIfAbsent(s.baseUrl, base -> frame(change, s)));
      }
    }
  }

  /**
   * The whole view was replaced (a rebuild): buffered changes no longer describe it, so every subscriber is told
   * to reload, and reconnects naming an older id get the same answer.
   */
  public void reset() {
    recent.clear();
    for (Subscriber s : List.copyOf(subscribers)) {
      s.write(resetFrame());
    }
  }

  /**
   * Starts a stream on {@code response}: headers, then the buffered changes after {@code lastEventId} (or a reset),
   * then live changes.
   *
   * @param lastEventId the {@code Last-Event-ID} the client sent, or null
   */
  void subscribe(HttpServerResponse response, String baseUrl, Predicate<JsonObject> filter, String lastEventId) {
    response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        // nginx-style proxies would otherwise buffer the stream
        .putHeader("X-Accel-Buffering", "no");
    Subscriber subscriber = new Subscriber(response, baseUrl, filter);
    add(subscriber);
    response.closeHandler(v -> remove(subscriber));
    response.exceptionHandler(e -> remove(subscriber));

    StringBuilder start = new StringBuilder("retry: 2000\n: connected\n\n");
    Long last = parse(lastEventId);
    if (last != null) {
      long oldest = recent.isEmpty() ? nextId : recent.getFirst().id();
      if (last + 1 < oldest || last >= nextId) {
        start.append(resetFrame());
      } else {
        for (Change change : recent) {
          if (change.id() > last && filter.test(change.document())) {
            start.append(frame(change, subscriber));
          }
        }
      }
    }
    subscriber.write(start.toString());
  }

  public int subscribers() {
    return subscribers.size();
  }

  /** Ends every stream (so a graceful shutdown does not wait for them) and stops the heartbeat. */
  public void close() {
    vertx.cancelTimer(heartbeatTimer);
    for (Subscriber s : List.copyOf(subscribers)) {
      remove(s);
      if (!s.response.ended() && !s.response.closed()) {
        s.response.end();
      }
    }
  }

  private void add(Subscriber s) {
    if (subscribers.add(s)) {
      OPEN_STREAMS.incrementAndGet();
    }
  }

  private void remove(Subscriber s) {
    if (subscribers.remove(s)) {
      OPEN_STREAMS.decrementAndGet();
    }
  }

  private void heartbeat() {
    for (Subscriber s : List.copyOf(subscribers)) {
      s.write(": heartbeat\n\n");
    }
  }

  private static String frame(Change change, Subscriber s) {
    return "id: " + change.id() + "\ndata: " + Representations.inquiry(s.baseUrl, change.document()).encode()
        + "\n\n";
  }

  /** Names the latest id, so a client that reloads and then reconnects resumes from here. */
  private String resetFrame() {
    return "id: " + (nextId - 1) + "\nevent: reset\ndata: {}\n\n";
  }

  private static Long parse(String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(lastEventId.trim());
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE; // not one of ours: certainly a gap
    }
  }

  private final class Subscriber {
    final HttpServerResponse response;
    final String baseUrl;
    final Predicate<JsonObject> filter;

    Subscriber(HttpServerResponse response, String baseUrl, Predicate<JsonObject> filter) {
      this.response = response;
      this.baseUrl = baseUrl;
      this.filter = filter;
    }

    void write(String text) {
      if (response.closed() || response.ended()) {
        remove(this);
        return;
      }
      if (response.writeQueueFull()) {
        // Buffering for a client that does not read would grow without bound; it reconnects and catches up.
        remove(this);
        dropped.increment();
        log.atInfo().log("dropping a stream client that does not keep up");
        response.reset();
        return;
      }
      response.write(text);
    }
  }
}
