package kr.go.procurement.platform.http;

import kr.go.procurement.platform.consumer.Failures;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import kr.go.procurement.platform.domain.NotFound;
import kr.go.procurement.platform.domain.ProcNoMismatch;
import kr.go.procurement.platform.domain.RuleViolation;
import kr.go.procurement.platform.domain.StaleVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into an RFC 9457 {@code application/problem+json} response, so no client ever sees a stack
 * trace, SQL text, host name or Vert.x's plain-text default pages.
 *
 * <ul>
 *   <li>{@link Problem} (thrown or passed to {@code ctx.fail}) → its own status and body;</li>
 *   <li>{@link DecodeException} (malformed JSON) → 400;</li>
 *   <li>{@code ctx.fail(code)} / Vert.x Web {@link HttpException} (BodyHandler's 413, bad query encoding's 400, ...)
 *       → the matching problem;</li>
 *   <li>no route for the path → 404, a route for the path but not the method → 405;</li>
 *   <li>anything else → 500 with a generic detail and the request id; the exception is logged, never sent.</li>
 * </ul>
 */
public final class Problems {

  public static final String CONTENT_TYPE = "application/problem+json";

  private static final Logger log = LoggerFactory.getLogger(Problems.class);

  private static final List<CharSequence> SUCCESS_BODY_HEADERS = List.of(HttpHeaders.CONTENT_TYPE,
      HttpHeaders.CONTENT_LENGTH, HttpHeaders.CONTENT_ENCODING, HttpHeaders.CONTENT_DISPOSITION, HttpHeaders.LOCATION,
      HttpHeaders.ETAG, HttpHeaders.LAST_MODIFIED, HttpHeaders.TRANSFER_ENCODING);

  private Problems() {
  }

  /**
   * Installs the failure handler and the router-level error handlers (which Vert.x Web uses when no route matched,
   * or when a failure escaped every failure handler).
   */
  public static Router install(Router router) {
    router.route().failureHandler(Problems::handleFailure);
    for (int status = 400; status <= 599; status++) {
      router.errorHandler(status, Problems::handleUnrouted);
    }
    return router;
  }

  /** The failure handler: maps {@code ctx.failure()} / {@code ctx.statusCode()} to a problem and writes it. */
  public static void handleFailure(RoutingContext ctx) {
    if (ctx.response().closed() && !(ctx.failure() instanceof Problem)) {
      // The client hung up (a load generator stopping, a browser tab closed): nobody is left to answer, and
      // nothing failed on our side, so this is no server error to log (and no 500 in the metrics).
      log.atDebug().addKeyValue("requestId", RequestId.of(ctx)).addKeyValue("path", ctx.request().path())
          .log("client closed the connection before the answer: {}", String.valueOf(ctx.failure()));
      return;
    }
    Problem problem = toProblem(ctx.failure(), ctx.statusCode());
    logFailure(ctx, problem, ctx.failure());
    write(ctx, problem);
  }

  private static void handleUnrouted(RoutingContext ctx) {
    Problem problem;
    if (ctx.failure() == null && ctx.statusCode() == 404) {
      problem = Problem.notFound("No resource matches " + ctx.request().method() + " " + ctx.request().path());
    } else if (ctx.failure() == null && ctx.statusCode() == 405) {
      problem = Problem.methodNotAllowed("The resource does not support " + ctx.request().method());
    } else {
      problem = toProblem(ctx.failure(), ctx.statusCode());
      logFailure(ctx, problem, ctx.failure());
    }
    write(ctx, problem);
  }

  /** The problem a failure stands for (exposed for tests and for handlers that answer without failing). */
  public static Problem toProblem(Throwable failure, int statusCode) {
    if (failure instanceof Problem p) {
      return p;
    }
    // The domain's refusals: their messages are written for the person who sent the command.
    if (failure instanceof RuleViolation rule) {
      return Problem.conflict(rule.getMessage());
    }
    if (failure instanceof NotFound notFound) {
      return Problem.notFound(notFound.getMessage());
    }
    if (failure instanceof StaleVersion stale) {
      return Problem.preconditionFailed(stale.getMessage());
    }
    if (failure instanceof ProcNoMismatch mismatch) {
      return Problem.validation(java.util.List.of(new Problem.FieldError("procNo", mismatch.getMessage())));
    }
    if (failure instanceof DecodeException) {
      return Problem.badRequest("The request body is not valid JSON");
    }
    if (Failures.isTransient(failure)) {
      // The database or broker is restarting or unreachable: the client may retry shortly, and nothing was changed
      // (commands answer only after their commit).
      return Problem.unavailable("A service this request needs is briefly unavailable; please try again", 5);
    }
    if (failure instanceof HttpException he) {
      return Problem.ofStatus(he.getStatusCode());
    }
    if (statusCode >= 400 && statusCode <= 599) {
      return Problem.ofStatus(statusCode);
    }
    return Problem.internal();
  }

  private static void logFailure(RoutingContext ctx, Problem problem, Throwable failure) {
    if (problem.status() >= 500 && !(failure instanceof Problem)) {
      // The only place the real cause of a 5xx is recorded; the client gets the request id to quote.
      log.atError()
          .setCause(failure)
          .addKeyValue("requestId", RequestId.of(ctx))
          .addKeyValue("method", ctx.request().method().name())
          .addKeyValue("path", ctx.request().path())
          .addKeyValue("status", problem.status())
          .log("Request failed");
    } else if (log.isDebugEnabled()) {
      log.atDebug()
          .addKeyValue("requestId", RequestId.of(ctx))
          .addKeyValue("method", ctx.request().method().name())
          .addKeyValue("path", ctx.request().path())
          .addKeyValue("status", problem.status())
          .log("Request answered with a problem: {}", problem.detail());
    }
  }

  /** Writes a problem response; usable by handlers that answer with a problem without failing the context. */
  public static void write(RoutingContext ctx, Problem problem) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      // The status line is gone already (a streamed response failed half-way): the only honest signal left is
      // to break the connection rather than let the client take a truncated body for a complete one.
      if (!response.ended()) {
        response.reset();
      }
      return;
    }
    String requestId = RequestId.of(ctx);
    // Headers a handler set for its success body must not describe the problem; others (CORS, request id) stay.
    for (CharSequence header : SUCCESS_BODY_HEADERS) {
      response.headers().remove(header);
    }
    response.putHeader(RequestId.HEADER, requestId);
    response.setStatusCode(problem.status());
    response.putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE);
    if (problem.retryAfterSeconds() != null) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(problem.retryAfterSeconds()));
    }
    response.end(problem.toJson(ctx.request().path(), requestId).toBuffer());
  }
}
