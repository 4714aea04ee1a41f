package kr.go.procurement.platform.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import kr.go.procurement.platform.health.Readiness;
import kr.go.procurement.platform.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router and server every service starts from:
 *
 * <pre>{@code
 * Router router = HttpServers.router(vertx, readiness);
 * router.post("/deliveryrequests").handler(this::create);   // the service's routes come after
 * return HttpServers.listen(vertx, router, port).onSuccess(s -> server = s);
 * }</pre>
 *
 * <p>In order: request id (echoed as {@code X-Request-Id}) and DEBUG access log; a {@link BodyHandler} limited to
 * {@value #BODY_LIMIT} bytes without file uploads (a larger body is a 413 problem); {@code GET /health/live},
 * {@code GET /health/ready}, {@code GET /metrics}; and {@link Problems} for every failure, unknown route (404) and
 * wrong method (405). A service must not add a catch-all handler ({@code router.route().handler(..)}) after its own
 * routes: Vert.x Web would then answer 404 instead of 405 for a wrong method. The BodyHandler sits on all routes: a GET has an empty body, so it ends at once and does not
 * delay a Server-Sent-Events stream.
 *
 * <p>A request the HTTP decoder cannot read never reaches the router; {@link #listen} answers it with a problem too
 * (414 for a request line over 4096 bytes, 431 for headers over 8 KiB, 400 for anything else garbled) and closes
 * the connection.
 */
public final class HttpServers {

  /** 64 KiB: far above any legitimate command (procContents ≤ 4000 characters), far below memory trouble. */
  public static final long BODY_LIMIT = 64 * 1024;

  /** The local-map entry in which {@link #listen} records the bound port (the runtime logs it at start-up). */
  public static final String PORTS_MAP = "platform.http.ports";

  private static final Logger accessLog = LoggerFactory.getLogger("kr.go.procurement.platform.http.access");
  private static final Logger log = LoggerFactory.getLogger(HttpServers.class);

  private HttpServers() {
  }

  /** A router reporting to {@link Metrics#registry()}. */
  public static Router router(Vertx vertx, Readiness readiness) {
    return router(vertx, readiness, Metrics.registry());
  }

  public static Router router(Vertx vertx, Readiness readiness, PrometheusMeterRegistry meters) {
    Router router = Router.router(vertx);
    router.route().handler(RequestId.handler());
    router.route().handler(closeConnectionsWhileDraining(readiness));
    router.route().handler(HttpServers::rejectMalformedPath);
    router.route().handler(HttpServers::accessLog);
    router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT).setHandleFileUploads(false));
    // After every catch-all handler: Vert.x Web answers 405 only when no route matched after the one whose path
    // matched, so a catch-all behind these would turn POST /health/live into a 404.
    router.get("/health/live").handler(Readiness.liveHandler());
    router.get("/health/ready").handler(readiness.readyHandler());
    router.get("/metrics").handler(PrometheusScrapingHandler.create(meters));
    Problems.install(router);
    return router;
  }

  /**
   * Once the service is draining (told to stop, readiness DOWN), every answer carries {@code Connection: close}:
   * the caller's keep-alive connection closes after this response, so callers stop reusing connections to this
   * instance before its listener closes instead of finding them closed under their next request. Public for
   * routers that are not built here (the gateway's).
   */
  public static Handler<RoutingContext> closeConnectionsWhileDraining(Readiness readiness) {
    return ctx -> {
      if (readiness.isDraining()) {
        // Vert.x keeps the connection open whatever the header says: it is closed once this answer is out.
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        ctx.addEndHandler(ar -> ctx.request().connection().close());
      }
      ctx.next();
    };
  }

  /**
   * Answers 400 for a path with a malformed percent-escape ({@code %zz}, a lone {@code %}): Vert.x Web would throw
   * while decoding its parameters and the client would get a 500 for its own mistake. Public for routers that are
   * not built here (the gateway's).
   */
  public static void rejectMalformedPath(RoutingContext ctx) {
    String path = ctx.request().path();
    for (int i = path == null ? -1 : path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
      if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0
          || Character.digit(path.charAt(i + 2), 16) < 0) {
        ctx.fail(Problem.badRequest("The request path has a malformed percent-escape"));
        return;
      }
    }
    ctx.next();
  }

  private static void accessLog(RoutingContext ctx) {
    if (accessLog.isDebugEnabled()) {
      long start = System.nanoTime();
      ctx.addEndHandler(ar -> accessLog.atDebug()
          .addKeyValue("method", ctx.request().method().name())
          .addKeyValue("path", ctx.request().path())
          .addKeyValue("status", ctx.response().getStatusCode())
          .addKeyValue("durationMs", (System.nanoTime() - start) / 1_000_000)
          .addKeyValue("requestId", RequestId.of(ctx))
          .log(ar.succeeded() ? "request" : "request (connection closed before the response ended)"));
    }
    ctx.next();
  }

  /**
   * Starts an HTTP server for {@code router} on {@code port} (0 picks a free port; see {@code actualPort()}), with
   * {@link #answerInvalidRequest} for requests the HTTP decoder rejects.
   */
  public static Future<HttpServer> listen(Vertx vertx, Handler<HttpServerRequest> router, int port) {
    return vertx.createHttpServer(new HttpServerOptions().setPort(port))
        .requestHandler(router)
        .invalidRequestHandler(HttpServers::answerInvalidRequest)
        .listen()
        .onSuccess(server -> {
          vertx.sharedData().getLocalMap(PORTS_MAP).put("http", server.actualPort());
          log.atInfo().addKeyValue("port", server.actualPort()).log("HTTP server listening");
        });
  }

  /**
   * The answer to a request Vert.x's HTTP decoder rejected before any router saw it: the status Vert.x's default
   * ({@link HttpServerRequest#DEFAULT_INVALID_REQUEST_HANDLER}) would send, 414 for a too-long request line, 431 for
   * too-large headers, 400 otherwise, but as a problem body instead of an empty one. The request could not be read,
   * so the problem has no {@code instance} and the connection is closed after the answer.
   */
  static void answerInvalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
    Problem problem;
    if (cause instanceof TooLongHttpLineException) {
      problem = Problem.uriTooLong();
    } else if (cause instanceof TooLongHttpHeaderException) {
      problem = Problem.headersTooLarge();
    } else {
      problem = Problem.badRequest("The request is not valid HTTP");
    }
    // The headers may be cut short or garbled: a sane X-Request-Id among them is kept, anything else replaced.
    String requestId = RequestId.accept(request.getHeader(RequestId.HEADER));
    log.atDebug()
        .addKeyValue("requestId", requestId)
        .addKeyValue("status", problem.status())
        // The cause's class, not its message: the message may quote what the client sent.
        .log("Invalid HTTP request: {}", cause == null ? "unknown decoder failure" : cause.getClass().getName());
    HttpServerResponse response = request.response();
    if (response.headWritten()) {
      request.connection().close();
      return;
    }
    response.setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problems.CONTENT_TYPE)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .putHeader(RequestId.HEADER, requestId)
        .end(problem.toJson(null, requestId).toBuffer())
        .onComplete(ar -> request.connection().close());
  }
}
