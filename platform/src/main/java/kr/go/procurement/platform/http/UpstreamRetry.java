package kr.go.procurement.platform.http;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * When a failed call to another service may be sent once more, the same rule for the gateway's forwarding and
 * request-svc's call to management (nginx's {@code proxy_next_upstream}, Envoy's {@code reset-before-request}).
 *
 * <p>A keep-alive connection taken from a pool may have been closed by the service a moment before (it is
 * restarting, or dropped an idle connection): the request fails with the connection closed or reset before any
 * byte of an answer. That is no outage, so the call is retried once on a fresh connection, but only when doing it
 * twice cannot do harm: the method is idempotent (GET, HEAD, OPTIONS, PUT, DELETE), or the request was provably
 * never written (its write failed, so the service cannot have acted on it). A POST or PATCH that went out is not
 * retried: the service may have acted on it (a registration retried would answer 409).
 *
 * <p>A refused connection is always safe to retry elsewhere: nothing was sent.
 */
public final class UpstreamRetry {

  private UpstreamRetry() {
  }

  /**
   * What is known of a failed attempt. {@code instanceStopping}: the instance had said it is stopping (readiness
   * "draining", or an answer with {@code Connection: close}).
   */
  public record Attempt(HttpMethod method, boolean reusedConnection, boolean written, boolean instanceStopping,
                        Throwable failure) {

    public Attempt(HttpMethod method, boolean reusedConnection, boolean written, Throwable failure) {
      this(method, reusedConnection, written, false, failure);
    }
  }

  /**
   * Whether {@code attempt} may be sent once more, on a fresh connection. Also any method, on any connection, when
   * the instance had said it is stopping: our services stop gracefully, answering every request they took before
   * they close a connection, so a connection such an instance closed unanswered carried a request it never took
   * (a pooled one it closed as idle, or a new one its closing listener had just accepted).
   */
  public static boolean mayRetryOnFreshConnection(Attempt attempt) {
    if (!closedBeforeAnswer(attempt.failure())) {
      return false;
    }
    return attempt.instanceStopping()
        || attempt.reusedConnection() && (idempotent(attempt.method()) || !attempt.written());
  }

  /** RFC 9110 §9.2.2, less TRACE, which no service answers. */
  public static boolean idempotent(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
        || method == HttpMethod.PUT || method == HttpMethod.DELETE;
  }

  /**
   * The connection was closed or reset under the request, before an answer began (a timeout is not: the service
   * may be working on it).
   */
  public static boolean closedBeforeAnswer(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TimeoutException || t instanceof ConnectTimeoutException || t instanceof ConnectException) {
        return false;
      }
      if (t instanceof HttpClosedException || t instanceof ClosedChannelException) {
        return true;
      }
      if (t instanceof IOException && t.getMessage() != null) {
        String message = t.getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("reset") || message.contains("broken pipe") || message.contains("closed")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Nothing listens there (or no route to it): nothing was sent, so another instance may take the request. */
  public static boolean refused(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectTimeoutException || t instanceof TimeoutException) {
        return false;
      }
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return true;
      }
    }
    return false;
  }
}
