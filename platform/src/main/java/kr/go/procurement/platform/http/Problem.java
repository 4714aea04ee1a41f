package kr.go.procurement.platform.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * An RFC 9457 problem a handler throws (or passes to {@code ctx.fail}) to answer a client with
 * {@code application/problem+json}. {@link Problems} turns it into the response.
 *
 * <p>It carries no stack trace: it describes the client's request, not a fault in the code, and filling stack
 * traces for every 404 would be wasted work.
 */
public final class Problem extends RuntimeException {

  /** Every problem type of this system lives under this URI (a stable name, not a page that must exist). */
  public static final String TYPE_BASE = "https://procurement.example/problems/";

  /** One offending input field and what is wrong with it, in words a person understands. */
  public record FieldError(String field, String message) {
    public FieldError {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(message, "message");
    }

    public JsonObject toJson() {
      return new JsonObject().put("field", field).put("message", message);
    }
  }

  private final String type;
  private final String title;
  private final int status;
  private final String detail;
  private final List<FieldError> errors;
  private final Long retryAfterSeconds;

  public Problem(int status, String type, String title, String detail) {
    this(status, type, title, detail, List.of(), null);
  }

  private Problem(int status, String type, String title, String detail, List<FieldError> errors,
                  Long retryAfterSeconds) {
    super(detail, null, false, false);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("A problem needs an error status (4xx or 5xx), got " + status);
    }
    this.status = status;
    this.type = type == null ? "about:blank" : type;
    this.title = Objects.requireNonNull(title, "title");
    this.detail = detail;
    this.errors = List.copyOf(errors);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static Problem badRequest(String detail) {
    return new Problem(400, TYPE_BASE + "bad-request", "Bad request", detail);
  }

  public static Problem validation(List<FieldError> errors) {
    String detail = errors.size() == 1
        ? "1 field is invalid: " + errors.get(0).field() + " " + errors.get(0).message()
        : errors.size() + " fields are invalid";
    return new Problem(400, TYPE_BASE + "validation", "Validation failed", detail, errors, null);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, TYPE_BASE + "not-found", "Not found", detail);
  }

  public static Problem methodNotAllowed(String detail) {
    return new Problem(405, TYPE_BASE + "method-not-allowed", "Method not allowed", detail);
  }

  public static Problem conflict(String detail) {
    return new Problem(409, TYPE_BASE + "conflict", "Conflict", detail);
  }

  /** 412: the If-Match the client sent names an older version. */
  public static Problem preconditionFailed(String detail) {
    return new Problem(412, TYPE_BASE + "precondition-failed", "Precondition failed", detail);
  }

  public static Problem forbidden(String detail) {
    return new Problem(403, TYPE_BASE + "forbidden", "Forbidden", detail);
  }

  public static Problem unauthorized(String detail) {
    return new Problem(401, TYPE_BASE + "unauthorized", "Unauthorized", detail);
  }

  public static Problem payloadTooLarge() {
    return new Problem(413, TYPE_BASE + "payload-too-large", "Payload too large",
        "The request body is larger than the server accepts");
  }

  /** 414: the request line is longer than the server's HTTP decoder reads. */
  public static Problem uriTooLong() {
    return new Problem(414, TYPE_BASE + "uri-too-long", "URI too long",
        "The request URI is longer than the server accepts");
  }

  /** 431: the request's headers are larger than the server's HTTP decoder reads. */
  public static Problem headersTooLarge() {
    return new Problem(431, TYPE_BASE + "request-header-fields-too-large", "Request header fields too large",
        "The request headers are larger than the server accepts");
  }

  /** 503 with {@code Retry-After}: the caller should try again later (breaker open, dependency down, draining). */
  public static Problem unavailable(String detail, long retryAfterSeconds) {
    return new Problem(503, TYPE_BASE + "service-unavailable", "Service unavailable", detail, List.of(),
        Math.max(0, retryAfterSeconds));
  }

  public static Problem gatewayTimeout(String detail) {
    return new Problem(504, TYPE_BASE + "gateway-timeout", "Gateway timeout", detail);
  }

  /** The generic answer for an unexpected fault; the detail never names the cause. */
  public static Problem internal() {
    return new Problem(500, TYPE_BASE + "internal-error", "Internal server error",
        "The server could not complete the request");
  }

  /**
   * The problem for a bare status code (a handler called {@code ctx.fail(404)}, Vert.x Web failed with 400, ...).
   * Known codes get their own type and title; others get {@code about:blank} and the HTTP reason phrase.
   */
  public static Problem ofStatus(int status) {
    return switch (status) {
      case 400 -> badRequest("The request is not valid");
      case 401 -> unauthorized("Authentication is required");
      case 403 -> forbidden("You are not allowed to do this");
      case 404 -> notFound("No resource matches the request");
      case 405 -> methodNotAllowed("The resource does not support this method");
      case 409 -> conflict("The request conflicts with the current state of the resource");
      case 413 -> payloadTooLarge();
      case 414 -> uriTooLong();
      case 431 -> headersTooLarge();
      case 503 -> unavailable("The service is temporarily unavailable", 5);
      case 504 -> gatewayTimeout("An upstream service did not answer in time");
      default -> {
        if (status < 400 || status > 599 || status == 500) {
          yield internal();
        }
        String reason = io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase();
        yield new Problem(status, "about:blank", reason, reason);
      }
    };
  }

  /** A copy that tells the client when to retry ({@code Retry-After} header). */
  public Problem withRetryAfter(long seconds) {
    return new Problem(status, type, title, detail, errors, Math.max(0, seconds));
  }

  /** A copy with a different detail, keeping type, title, status and errors. */
  public Problem withDetail(String newDetail) {
    return new Problem(status, type, title, newDetail, errors, retryAfterSeconds);
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public int status() {
    return status;
  }

  public String detail() {
    return detail;
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** Seconds for the {@code Retry-After} header, or null when the problem has none. */
  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The RFC 9457 body; {@code instance} is the request path, {@code requestId} an extension member. */
  public JsonObject toJson(String instance, String requestId) {
    JsonObject json = new JsonObject()
        .put("type", type)
        .put("title", title)
        .put("status", status);
    if (detail != null) {
      json.put("detail", detail);
    }
    if (instance != null) {
      json.put("instance", instance);
    }
    if (!errors.isEmpty()) {
      JsonArray list = new JsonArray();
      errors.forEach(e -> list.add(e.toJson()));
      json.put("errors", list);
    }
    if (requestId != null) {
      json.put("requestId", requestId);
    }
    return json;
  }

  @Override
  public String toString() {
    return "Problem[" + status + " " + title + (detail == null ? "" : ": " + detail) + "]";
  }
}
