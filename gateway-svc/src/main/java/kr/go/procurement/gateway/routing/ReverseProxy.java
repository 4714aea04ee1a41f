package kr.go.procurement.gateway.routing;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import kr.go.procurement.platform.http.Problem;
import kr.go.procurement.platform.http.RequestId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a request to its service with vertx-http-proxy's {@link ProxyRequest}/{@link ProxyResponse} and streams
 * the answer back as it arrives: nothing of a response is buffered, so a large page or a Server-Sent-Events stream
 * flows through chunk by chunk.
 *
 * <p>The request body is the one the router's {@code BodyHandler} already read (at most 64 KiB, 413 beyond): that
 * is why this uses the request/response API rather than {@code HttpProxy.handle}, which would read the (consumed)
 * request stream itself. A body of known length also goes upstream with a {@code Content-Length}, whatever framing
 * the client used.
 *
 * <p>Connections are pooled per service and kept alive. Event streams ({@code Accept: text/event-stream}) hold a
 * connection for as long as a client watches, so they get a pool of their own and cannot starve ordinary calls.
 *
 * <p>Failures become problems naming the service, never its address: connection refused or name unknown → 503
 * with {@code Retry-After}; no response headers within {@code UPSTREAM_TIMEOUT_MS} (connecting included) → 504;
 * the connection dropped before an answer → 502; too many callers already waiting for a connection → 503. Once
 * the response has started, a failure can only break the client's connection (the status line is gone).
 */
public final class ReverseProxy {

  /** About the time a restarted service takes to become ready again. */
  static final long RETRY_AFTER_SECONDS = 5;

  private static final Logger log = LoggerFactory.getLogger(ReverseProxy.class);
  private static final List<CharSequence> HOP_BY_HOP = List.of(HttpHeaders.CONNECTION, HttpHeaders.KEEP_ALIVE,
      HttpHeaders.PROXY_AUTHENTICATE, "TE", "Trailer", HttpHeaders.UPGRADE);

  private final HttpClient calls;
  private final HttpClient streams;
  private final Map<Service, Upstream> upstreams;
  private final long timeoutMs;
  private final MeterRegistry meters;

  public ReverseProxy(Vertx vertx, Map<Service, Upstream> upstreams, Duration timeout, int poolSize,
                      int streamPoolSize, MeterRegistry meters) {
    this.upstreams = Map.copyOf(upstreams);
    this.timeoutMs = Math.max(1, timeout.toMillis());
    this.meters = meters;
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        // Idle pooled connections are closed after 30 s: no sockets held to replicas that have gone away.
        .setKeepAliveTimeout(30)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
        .setDecompressionSupported(false)
        .setName("gateway-upstream");
    this.calls = vertx.httpClientBuilder().with(options)
        .with(new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(poolSize * 16))
        .withConnectHandler(ReverseProxy::quietConnection).build();
    this.streams = vertx.httpClientBuilder().with(new HttpClientOptions(options).setName("gateway-streams"))
        .with(new PoolOptions().setHttp1MaxSize(streamPoolSize).setMaxWaitQueueSize(0))
        .withConnectHandler(ReverseProxy::quietConnection).build();
  }

  /**
   * Sends the request in {@code ctx} to {@code service}, with {@code editHeaders} applied to the headers that go
   * upstream, and answers the client with the service's response or, on failure, a problem.
   */
  public void forward(RoutingContext ctx, Service service, Consumer<MultiMap> editHeaders) {
    Upstream upstream = upstreams.get(service);
    HttpServerRequest in = ctx.request();
    ProxyRequest out = ProxyRequest.reverseProxy(in);
    String query = in.query();
    // The normalised path is the one the route table authorised: the service must see exactly that.
    out.setURI(ctx.normalizedPath() + (query == null || query.isEmpty() ? "" : "?" + query));
    Buffer body = ctx.body().buffer();
    out.setBody(body == null ? null : Body.body(body));
    editHeaders.accept(out.headers());

    boolean stream = acceptsEventStream(in);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    RequestOptions options = new RequestOptions()
        .setHost(upstream.host())
        .setPort(upstream.port())
        .setSsl(upstream.ssl())
        // Covers waiting for a pooled connection and opening a new one.
        .setConnectTimeout(timeoutMs);
    (stream ? streams : calls).request(options)
        .compose(request -> {
          // What is left of the budget for the response headers; cancelled by Vert.x once they arrive, so a
          // long-lived stream is not cut afterwards.
          request.idleTimeout(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
          return out.send(request);
        })
        .onComplete(ar -> {
          if (ar.failed()) {
            Problem problem = problemFor(upstream, ar.cause());
            meters.counter("gateway.upstream.failures", "upstream", upstream.name(),
                "status", Integer.toString(problem.status())).increment();
            log.atDebug().addKeyValue("upstream", upstream.name()).addKeyValue("requestId", RequestId.of(ctx))
                .addKeyValue("cause", String.valueOf(ar.cause())).log("Upstream call failed");
            ctx.fail(problem);
            return;
          }
          ProxyResponse response = ar.result();
          // The gateway already set X-Request-Id on its response; the service echoes the same id.
          response.headers().remove(RequestId.HEADER);
          HOP_BY_HOP.forEach(response.headers()::remove);
          response.send().onFailure(e -> log.atDebug().addKeyValue("upstream", upstream.name())
              .addKeyValue("requestId", RequestId.of(ctx)).addKeyValue("cause", String.valueOf(e))
              .log("Response stream ended early (client or service went away)"));
        });
  }

  /**
   * A service that dies mid-request resets its connections; the request that was using one fails and is answered
   * with a problem. Without a handler Vert.x would also log every reset at ERROR.
   */
  private static void quietConnection(HttpConnection connection) {
    connection.exceptionHandler(e -> log.atDebug().addKeyValue("cause", String.valueOf(e))
        .log("Upstream connection failed"));
  }

  static boolean acceptsEventStream(HttpServerRequest request) {
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/event-stream");
  }

  /** The problem a failed upstream call stands for; its detail names the service only. */
  Problem problemFor(Upstream upstream, Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // Netty's ConnectTimeoutException is a ConnectException: timeouts are checked first.
      if (t instanceof TimeoutException || t instanceof io.netty.channel.ConnectTimeoutException) {
        return Problem.gatewayTimeout(upstream.name() + " did not answer within " + timeoutMs + " ms.");
      }
      if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
        return Problem.unavailable(upstream.name() + " is not reachable at the moment; try again later.",
            RETRY_AFTER_SECONDS);
      }
      if (t instanceof ConnectionPoolTooBusyException) {
        return Problem.unavailable("Too many requests are waiting for " + upstream.name() + "; try again later.",
            RETRY_AFTER_SECONDS);
      }
    }
    return new Problem(502, Problem.TYPE_BASE + "bad-gateway", "Bad gateway",
        upstream.name() + " closed the connection without an answer.");
  }

  /** Closes both pools, for the verticle's stop(). */
  public Future<Void> closeAsync() {
    return Future.join(calls.close(), streams.close()).mapEmpty();
  }
}
