package kr.go.procurement.gateway.routing;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientBuilder;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.endpoint.LoadBalancer;
import io.vertx.core.streams.Pipe;
import io.vertx.ext.web.RoutingContext;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import kr.go.procurement.platform.http.Problem;
import kr.go.procurement.platform.http.RequestId;
import kr.go.procurement.platform.http.ServiceInstances;
import kr.go.procurement.platform.http.UpstreamRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a request to its service over a pooled {@link HttpClient} connection and streams the answer back as it
 * arrives: nothing of a response is buffered, so a large page or a Server-Sent-Events stream flows through chunk by
 * chunk.
 *
 * <p>It does what vertx-http-proxy's {@code ProxyRequest}/{@code ProxyResponse} do for a reverse proxy (hop-by-hop
 * headers dropped both ways, the service's own address as {@code Host}, a {@code Date} on every answer, an HTTP/1.0
 * client's unframed answer buffered), written out here because they copy every header twice each way and parse and
 * re-print the service's {@code Date} on every response: about a tenth of the gateway's CPU per request, measured.
 *
 * <p>The request body is the one the router's {@code BodyHandler} already read (at most 64 KiB, 413 beyond). A body
 * of known length also goes upstream with a {@code Content-Length}, whatever framing the client used.
 *
 * <p>Connections are pooled per service and kept alive. Event streams ({@code Accept: text/event-stream}) hold a
 * connection for as long as a client watches, so they get a pool of their own and cannot starve ordinary calls.
 *
 * <p>Failures become problems naming the service, never its address: connection refused or name unknown → 503
 * with {@code Retry-After}; no response headers within {@code UPSTREAM_TIMEOUT_MS} (connecting included) → 504;
 * the connection dropped before an answer → 502; too many callers already waiting for a connection → 503. Once
 * the response has started, a failure can only break the client's connection (the status line is gone).
 *
 * <p>A pooled connection the service closed while it sat idle (a restart, the service's own idle timeout) is not a
 * failure of the service: a request that meets one is sent once more on a fresh, un-pooled connection when
 * {@link UpstreamRetry} says that is safe, within the same deadline.
 */
public final class ReverseProxy {

  /** About the time a restarted service takes to become ready again. */
  static final long RETRY_AFTER_SECONDS = 5;

  private static final Logger log = LoggerFactory.getLogger(ReverseProxy.class);
  private static final String EVENT_STREAM = "text/event-stream";
  // AsciiStrings (createOptimized): their hash is computed once, not on every lookup.
  private static final CharSequence DATE = HttpHeaders.createOptimized("date");
  private static final CharSequence WARNING = HttpHeaders.createOptimized("warning");

  private final HttpClientAgent calls;
  private final HttpClientAgent streams;
  private final Map<Service, Upstream> upstreams;
  private final ServiceInstances instances;
  private final long timeoutMs;
  private final MeterRegistry meters;
  /**
   * Pooled connections that have not carried a request yet: a request that fails on one of these met a real
   * failure, not a connection the service had already closed while it sat in the pool.
   */
  private final Set<HttpConnection> unusedConnections = ConcurrentHashMap.newKeySet();
  /** The last {@code Date} a service sent and how it is printed on the answer (services send one per second). */
  private volatile Printed lastServiceDate = new Printed("", "");
  /** The current second as a {@code Date} value, for answers without one. */
  private volatile Printed lastNow = new Printed("", "");

  private record Printed(String key, String value) {
  }

  /** Watches the instances of every upstream (see {@link ServiceInstances}), by service name. */
  public static ServiceInstances watch(Vertx vertx, Map<Service, Upstream> upstreams) {
    Map<String, List<SocketAddress>> byName = new java.util.LinkedHashMap<>();
    upstreams.forEach((service, upstream) -> byName.put(upstream.name(), upstream.instances().stream()
        .map(i -> SocketAddress.inetSocketAddress(i.port(), i.host())).toList()));
    return ServiceInstances.watch(vertx, byName);
  }

  /** @param instances which instances of each service are ready ({@link #watch}); closed by whoever made it */
  public ReverseProxy(Vertx vertx, Map<Service, Upstream> upstreams, ServiceInstances instances, Duration timeout,
                      int poolSize, int streamPoolSize, MeterRegistry meters) {
    this.upstreams = Map.copyOf(upstreams);
    this.instances = instances;
    this.timeoutMs = Math.max(1, timeout.toMillis());
    this.meters = meters;
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        // Idle pooled connections are closed after 30 s: no sockets held to replicas that have gone away.
        .setKeepAliveTimeout(30)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
        .setDecompressionSupported(false)
        .setName("gateway-upstream");
    this.calls = balanced(vertx.httpClientBuilder().with(options)
        .with(new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(poolSize * 16))
        .withConnectHandler(this::newConnection)).build();
    this.streams = balanced(vertx.httpClientBuilder().with(new HttpClientOptions(options).setName("gateway-streams"))
        .with(new PoolOptions().setHttp1MaxSize(streamPoolSize).setMaxWaitQueueSize(0))
        .withConnectHandler(this::newConnection)).build();
  }

  /** Vert.x's resolver and round-robin balancer, when some service has several instances (else: no cost). */
  private HttpClientBuilder balanced(HttpClientBuilder builder) {
    return instances.anyBalanced()
        ? builder.withAddressResolver(instances.resolver()).withLoadBalancer(LoadBalancer.ROUND_ROBIN) : builder;
  }

  /**
   * Sends the request in {@code ctx} to {@code service}, with {@code editHeaders} applied to the headers that go
   * upstream (the client's, less the hop-by-hop ones and {@code Host}), and answers the client with the service's
   * response or, on failure, a problem.
   */
  public void forward(RoutingContext ctx, Service service, Consumer<MultiMap> editHeaders) {
    Upstream upstream = upstreams.get(service);
    HttpServerRequest in = ctx.request();
    // Nothing more is read from the client meanwhile (its body, if any, is already in ctx.body()).
    in.pause();
    String query = in.query();
    // The normalised path is the one the route table authorised: the service must see exactly that.
    String uri = ctx.normalizedPath() + (query == null || query.isEmpty() ? "" : "?" + query);
    Call call = new Call(in, ctx.body().buffer(), editHeaders, upstream, uri,
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
    HttpClientAgent client = acceptsEventStream(in) ? streams : calls;
    viaPool(client, call)
        .recover(failure -> retry(client, call, failure))
        .onComplete(ar -> {
          if (ar.failed()) {
            call.closeFreshConnection();
            Problem problem = problemFor(upstream, ar.cause());
            meters.counter("gateway.upstream.failures", "upstream", upstream.name(),
                "status", Integer.toString(problem.status())).increment();
            log.atDebug().addKeyValue("upstream", upstream.name()).addKeyValue("requestId", RequestId.of(ctx))
                .addKeyValue("cause", String.valueOf(ar.cause())).log("Upstream call failed");
            ctx.fail(problem);
            return;
          }
          HttpClientResponse response = ar.result();
          if (closesConnection(response)) {
            // The instance is draining (our services say so this way): choose the others from now on.
            instances.draining(upstream.name(), call.instance);
          }
          respond(in, response).onComplete(done -> {
            call.closeFreshConnection();
            if (done.failed()) {
              log.atDebug().addKeyValue("upstream", upstream.name()).addKeyValue("requestId", RequestId.of(ctx))
                  .addKeyValue("cause", String.valueOf(done.cause()))
                  .log("Response stream ended early (client or service went away)");
            }
          });
        });
  }

  /** One client request on its way to a service, over one or (retried) two attempts. */
  private static final class Call {
    final HttpServerRequest in;
    final Buffer body;
    final Consumer<MultiMap> editHeaders;
    final Upstream upstream;
    final String uri;
    /** System.nanoTime() by which the response headers must have arrived, retry included. */
    final long deadline;
    boolean reusedConnection;
    /** The instance the last attempt went to (its connection's remote address). */
    SocketAddress instance;
    /** Set only when the write failed: until then the service may have the request. */
    boolean writeFailed;
    /** The un-pooled connection of a retry, closed once its response is over. */
    HttpClientConnection freshConnection;

    Call(HttpServerRequest in, Buffer body, Consumer<MultiMap> editHeaders, Upstream upstream, String uri,
         long deadline) {
      this.in = in;
      this.body = body;
      this.editHeaders = editHeaders;
      this.upstream = upstream;
      this.uri = uri;
      this.deadline = deadline;
    }

    long remainingMs() {
      return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }

    void closeFreshConnection() {
      if (freshConnection != null) {
        freshConnection.close();
        freshConnection = null;
      }
    }
  }

  private static RequestOptions requestOptions(Call call) {
    return new RequestOptions()
        .setHost(call.upstream.host())
        .setPort(call.upstream.port())
        .setSsl(call.upstream.ssl())
        .setMethod(call.in.method())
        .setURI(call.uri);
  }

  /** One attempt over a pooled connection (to the instance the balancer picks, where there are several). */
  private Future<HttpClientResponse> viaPool(HttpClientAgent client, Call call) {
    RequestOptions options = requestOptions(call)
        .setServer(instances.addressOf(call.upstream.name()))
        // Covers waiting for a pooled connection and opening a new one.
        .setConnectTimeout(Math.max(1, call.remainingMs()));
    return client.request(options).compose(request -> {
      call.reusedConnection = !unusedConnections.remove(request.connection());
      call.instance = request.connection().remoteAddress();
      return send(call, request);
    });
  }

  /**
   * At most one more attempt, within what is left of the deadline: a refused connection to one instance of a
   * service with several goes to the next one (nothing was sent); a call that failed on a reused keep-alive
   * connection before any answer, when it may be sent twice ({@link UpstreamRetry}), goes on a new connection of
   * its own, to another ready instance where there is one. Anything else fails as it did.
   */
  private Future<HttpClientResponse> retry(HttpClientAgent client, Call call, Throwable failure) {
    long remaining = call.remainingMs();
    String service = call.upstream.name();
    if (remaining <= 0) {
      return Future.failedFuture(failure);
    }
    if (instances.balanced(service) && UpstreamRetry.refused(failure)) {
      instances.refused(service, failure);
      meters.counter("gateway.upstream.retries", "upstream", call.upstream.name(), "reason", "refused").increment();
      return viaPool(client, call);
    }
    if (!UpstreamRetry.mayRetryOnFreshConnection(new UpstreamRetry.Attempt(call.in.method(),
        call.reusedConnection, !call.writeFailed, instances.stopping(service, call.instance), failure))) {
      return Future.failedFuture(failure);
    }
    meters.counter("gateway.upstream.retries", "upstream", call.upstream.name(), "reason", "stale-connection")
        .increment();
    SocketAddress address = instances.retryTarget(service, call.instance);
    return calls.connect(new HttpConnectOptions().setServer(address).setHost(call.upstream.host())
            .setPort(address.port()).setSsl(call.upstream.ssl()).setConnectTimeout(remaining))
        .compose(connection -> {
          call.freshConnection = connection;
          connection.exceptionHandler(e -> log.atDebug().addKeyValue("cause", String.valueOf(e))
              .log("Upstream connection failed"));
          return connection.request(requestOptions(call));
        })
        .compose(request -> {
          call.reusedConnection = false;
          call.writeFailed = false;
          return send(call, request);
        })
        // A new connection closed before any answer, right after a pooled one was: the instance is stopping (its
        // listener took the connection as it closed). That is a service not reachable at the moment, not a 502.
        .recover(e -> Future.failedFuture(UpstreamRetry.closedBeforeAnswer(e) ? new StoppingUpstream(e) : e));
  }

  /** The retry's fresh connection was closed unanswered too: answered as an unreachable service (503). */
  static final class StoppingUpstream extends ConnectException {
    StoppingUpstream(Throwable cause) {
      super("the service closed a new connection without an answer (stopping)");
      initCause(cause);
    }
  }

  /** Writes the request upstream; the service's response, paused until {@link #respond} streams it. */
  private static Future<HttpClientResponse> send(Call call, HttpClientRequest request) {
    HttpServerRequest in = call.in;
    // What is left of the budget for the response headers; cancelled by Vert.x once they arrive, so a
    // long-lived stream is not cut afterwards.
    request.idleTimeout(Math.max(1, call.remainingMs()));
    // The client went away: so does the call (an event stream's connection goes back to its pool).
    in.response().exceptionHandler(e -> request.reset(0L, e));
    MultiMap headers = request.headers();
    for (Map.Entry<String, String> header : in.headers()) {
      String name = header.getKey();
      if (!isHopByHopOrHost(name)) {
        headers.add(name, header.getValue());
      }
    }
    call.editHeaders.accept(headers);
    Buffer body = call.body;
    Future<Void> written;
    if (body == null) {
      if (in.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
        request.putHeader(HttpHeaders.CONTENT_LENGTH, "0");
      }
      written = request.end();
    } else {
      request.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
      written = request.end(body);
    }
    written.onFailure(e -> {
      call.writeFailed = true;
      request.reset();
    });
    return request.response().map(response -> response.pause());
  }

  /** Answers the client with {@code response}: status, headers, then the body as it arrives. */
  private Future<Void> respond(HttpServerRequest in, HttpClientResponse response) {
    HttpServerResponse out = in.response();
    out.setStatusCode(response.statusCode());
    String statusMessage = response.statusMessage();
    if (statusMessage != null) {
      out.setStatusMessage(statusMessage);
    }
    MultiMap received = response.headers();
    out.putHeader(DATE, date(received));
    if (received.contains(WARNING)) {
      out.putHeader("warning", warnings(received));
    }
    long length = contentLength(received.get(HttpHeaders.CONTENT_LENGTH));
    MultiMap sent = out.headers();
    for (Map.Entry<String, String> header : received) {
      String name = header.getKey();
      if (!isDroppedFromResponses(name, length >= 0)) {
        sent.add(name, header.getValue());
      }
    }
    String contentType = received.get(HttpHeaders.CONTENT_TYPE);
    if (contentType != null) {
      out.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    }
    if (length >= 0) {
      out.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
    } else if (in.version() == HttpVersion.HTTP_1_0) {
      // No chunked encoding for an HTTP/1.0 client: the whole answer, then its length.
      Future<Buffer> whole = response.body();
      response.resume();
      return whole.compose(out::end);
    } else {
      out.setChunked(true);
    }
    Pipe<Buffer> pipe = response.pipe();
    pipe.endOnSuccess(true);
    pipe.endOnFailure(false);
    return pipe.to(out).andThen(ar -> {
      if (ar.failed()) {
        response.request().reset();
        out.reset();
      }
    });
  }

  /**
   * Not copied to the service: the hop-by-hop headers (RFC 9110 §7.6.1: {@code Connection}, {@code Keep-Alive},
   * {@code Proxy-Authenticate}, {@code Proxy-Authorization}, {@code TE}, {@code Trailer}, {@code Transfer-Encoding},
   * {@code Upgrade}), and {@code Host}, which names the service's own address.
   */
  static boolean isHopByHopOrHost(String name) {
    return switch (name.length()) {
      case 2 -> name.equalsIgnoreCase("te");
      case 4 -> name.equalsIgnoreCase("host");
      case 7 -> name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade");
      case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
      case 17 -> name.equalsIgnoreCase("transfer-encoding");
      case 18 -> name.equalsIgnoreCase("proxy-authenticate");
      case 19 -> name.equalsIgnoreCase("proxy-authorization");
      default -> false;
    };
  }

  /**
   * Not copied from the service's answer as it is: the hop-by-hop headers the client's connection has its own of
   * ({@code Connection}, {@code Keep-Alive}, {@code Proxy-Authenticate}, {@code TE}, {@code Trailer},
   * {@code Transfer-Encoding}, {@code Upgrade}); {@code X-Request-Id} (the gateway already set it on the answer, the
   * service echoes the same id); and those set on their own: {@code Date}, {@code Warning}, {@code Content-Type}
   * and, when it is a number, {@code Content-Length}.
   */
  static boolean isDroppedFromResponses(String name, boolean lengthKnown) {
    return switch (name.length()) {
      case 2 -> name.equalsIgnoreCase("te");
      case 4 -> name.equalsIgnoreCase("date");
      case 7 -> name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade")
          || name.equalsIgnoreCase("warning");
      case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
      case 12 -> name.equalsIgnoreCase("content-type") || name.equalsIgnoreCase(RequestId.HEADER);
      case 14 -> lengthKnown && name.equalsIgnoreCase("content-length");
      case 17 -> name.equalsIgnoreCase("transfer-encoding");
      case 18 -> name.equalsIgnoreCase("proxy-authenticate");
      default -> false;
    };
  }

  private static long contentLength(String header) {
    if (header != null) {
      try {
        return Long.parseLong(header);
      } catch (NumberFormatException e) {
        // Unframed, as vertx-http-proxy treats it.
      }
    }
    return -1;
  }

  /**
   * The answer's {@code Date}: the service's, as an RFC 1123 date (else the date of its first dated
   * {@code Warning}), else now. Printed once per distinct value: services send a new one once a second.
   */
  private String date(MultiMap received) {
    String sent = received.get(DATE);
    if (sent != null) {
      Printed last = lastServiceDate;
      if (last.key().equals(sent)) {
        return last.value();
      }
      Instant parsed = HttpDates.parse(sent);
      if (parsed != null) {
        String printed = HttpDates.format(parsed);
        lastServiceDate = new Printed(sent, printed);
        return printed;
      }
    } else {
      for (String warning : received.getAll(WARNING)) {
        Instant dated = HttpDates.ofWarning(warning);
        if (dated != null) {
          return HttpDates.format(dated);
        }
      }
    }
    long second = System.currentTimeMillis() / 1000;
    String key = Long.toString(second);
    Printed now = lastNow;
    if (!now.key().equals(key)) {
      now = new Printed(key, HttpDates.format(Instant.ofEpochSecond(second)));
      lastNow = now;
    }
    return now.value();
  }

  /** The service's {@code Warning}s, less those whose date is not the answer's own (RFC 7234 §5.5). */
  private static List<String> warnings(MultiMap received) {
    List<String> warnings = new ArrayList<>(received.getAll(WARNING));
    String date = received.get(DATE);
    Instant dated = date == null ? null : HttpDates.parse(date);
    warnings.removeIf(w -> {
      Instant at = HttpDates.ofWarning(w);
      return at != null && dated != null && !at.equals(dated);
    });
    return warnings;
  }

  /**
   * A service that dies mid-request resets its connections; the request that was using one fails and is answered
   * with a problem. Without a handler Vert.x would also log every reset at ERROR.
   */
  private void newConnection(HttpConnection connection) {
    connection.exceptionHandler(e -> log.atDebug().addKeyValue("cause", String.valueOf(e))
        .log("Upstream connection failed"));
    unusedConnections.add(connection);
    connection.closeHandler(v -> unusedConnections.remove(connection));
  }

  private static boolean closesConnection(HttpClientResponse response) {
    String connection = response.headers().get(HttpHeaders.CONNECTION);
    return connection != null && connection.equalsIgnoreCase("close");
  }

  static boolean acceptsEventStream(HttpServerRequest request) {
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    if (accept == null) {
      return false;
    }
    // accept.toLowerCase(Locale.ROOT).contains(EVENT_STREAM), without the copy (header values are ASCII here).
    for (int i = accept.indexOf('/'); i >= 0; i = accept.indexOf('/', i + 1)) {
      if (i >= 4 && accept.regionMatches(true, i - 4, EVENT_STREAM, 0, EVENT_STREAM.length())) {
        return true;
      }
    }
    return false;
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
