package kr.go.procurement.gateway.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import kr.go.procurement.platform.http.RequestId;

/**
 * The platform's {@link RequestId#handler()} for the gateway's hot path: the same rule (a caller's
 * {@code X-Request-Id} is kept when it is 1 to 128 of {@code A-Z a-z 0-9 . _ : -}, anything else is replaced by a
 * new random UUID), stored under {@link RequestId#CONTEXT_KEY} and echoed on the response, so {@link RequestId#of}
 * and everything downstream see no difference. It differs in how the work is done: the check is a character loop
 * instead of a regular expression, and new ids come from {@link ThreadLocalRandom} instead of
 * {@link UUID#randomUUID()}, whose shared {@code SecureRandom} costs a lock and a system call per request. A request
 * id is a correlation key printed in logs and answers, not a secret, so it needs to be unique, not unpredictable.
 */
public final class GatewayRequestId {

  static final int MAX_LENGTH = 128;

  private GatewayRequestId() {
  }

  /** Assigns the id and echoes it in the response before anything else runs. */
  public static Handler<RoutingContext> handler() {
    return ctx -> {
      String id = accept(ctx.request().getHeader(RequestId.HEADER));
      ctx.put(RequestId.CONTEXT_KEY, id);
      ctx.response().putHeader(RequestId.HEADER, id);
      ctx.next();
    };
  }

  /** The caller's id when it is sane, else a new random one. */
  static String accept(String candidate) {
    return isSane(candidate) ? candidate : newId();
  }

  /** {@code [A-Za-z0-9._:-]{1,128}}. */
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

  /** A version-4 (random) UUID, as {@link UUID#randomUUID()} makes them. */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = random.nextLong() & ~0xF000L | 0x4000L;
    long least = random.nextLong() & ~(0xC000_0000_0000_0000L) | 0x8000_0000_0000_0000L;
    return new UUID(most, least).toString();
  }
}
