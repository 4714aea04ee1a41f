package kr.go.procurement.platform.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The id that ties one request's log lines, problem body and downstream calls together. A caller's
 * {@code X-Request-Id} is kept when it looks like an id (the gateway sets one and services reuse it), anything
 * else is replaced: the value goes into logs and headers, so it must not carry line breaks or arbitrary text.
 *
 * <p>Log it as a key-value pair, not in the message: {@code log.atInfo().addKeyValue("requestId", RequestId.of(ctx))}.
 */
public final class RequestId {

  public static final String HEADER = "X-Request-Id";

  /** The routing-context key under which the id is stored. */
  public static final String CONTEXT_KEY = "platform.requestId";

  static final int MAX_LENGTH = 128;

  private RequestId() {
  }

  /** The id of this request; generates (and remembers) one if the request-id handler did not run. */
  public static String of(RoutingContext ctx) {
    String id = ctx.get(CONTEXT_KEY);
    if (id == null) {
      id = accept(ctx.request().getHeader(HEADER));
      ctx.put(CONTEXT_KEY, id);
    }
    return id;
  }

  /** The caller's id when it is sane, else a new random one. */
  static String accept(String candidate) {
    return isSane(candidate) ? candidate : newId();
  }

  /** {@code [A-Za-z0-9._:-]{1,128}}, checked with a loop: this runs on every request of every service. */
  static boolean isSane(String candidate) {
    if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * A version-4 (random) UUID from {@link ThreadLocalRandom}: {@link UUID#randomUUID()} shares one
   * {@code SecureRandom} (a lock and a system call per request). A request id is a correlation key printed in logs
   * and answers, not a secret: it must be unique, not unpredictable.
   */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = random.nextLong() & ~0xF000L | 0x4000L;
    long least = random.nextLong() & ~(0xC000_0000_0000_0000L) | 0x8000_0000_0000_0000L;
    return new UUID(most, least).toString();
  }

  /** Assigns the id and echoes it in the response before anything else runs. */
  public static Handler<RoutingContext> handler() {
    return ctx -> {
      String id = accept(ctx.request().getHeader(HEADER));
      ctx.put(CONTEXT_KEY, id);
      ctx.response().putHeader(HEADER, id);
      ctx.next();
    };
  }
}
