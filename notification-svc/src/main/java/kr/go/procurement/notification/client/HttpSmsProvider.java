package kr.go.procurement.notification.client;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends SMS by POSTing {@code {"to", "text", "reference"}} as JSON to the provider's URL ({@code SMS_PROVIDER_URL}).
 *
 * <ul>
 *   <li>Each request has a timeout ({@code SMS_TIMEOUT_MS}).</li>
 *   <li>A failed request (timeout, no connection, 5xx, 408, 429) is retried at once a bounded number of times
 *       ({@code SMS_HTTP_RETRIES}) with exponential backoff ({@code SMS_HTTP_RETRY_BACKOFF_MS}); longer outages are
 *       the reconciler's business.</li>
 *   <li>The provider has its own circuit breaker: after {@code SMS_CB_MAX_FAILURES} failed requests in a row it
 *       opens and sends fail at once without a request, until {@code SMS_CB_RESET_MS} lets one trial through.</li>
 *   <li>Any other 4xx means the provider refused the message itself: not retried, and not held against the
 *       provider's health.</li>
 * </ul>
 *
 * <p>Every request carries the same {@code reference} for one SMS, so a provider that deduplicates on it delivers at
 * most one message however often we retry.
 */
public final class HttpSmsProvider implements SmsProvider {

  private static final Logger log = LoggerFactory.getLogger(HttpSmsProvider.class);

  /** The breaker's state for {@code /metrics}: 0 closed, 1 half-open, 2 open (one provider per process). */
  private static final AtomicInteger STATE = new AtomicInteger();

  public record Options(String url, Duration timeout, int retries, Duration retryBackoff, int maxFailures,
                        Duration resetTimeout) {
  }

  private final Vertx vertx;
  private final Options options;
  private final WebClient web;
  private final CircuitBreaker breaker;
  private final MeterRegistry registry;

  public HttpSmsProvider(Vertx vertx, Options options, MeterRegistry registry) {
    if (options.url() == null || !options.url().matches("https?://.+")) {
      throw new IllegalArgumentException("SMS_PROVIDER_URL must be an http(s) URL when SMS_PROVIDER=http");
    }
    this.vertx = vertx;
    this.options = options;
    this.registry = registry;
    this.web = WebClient.create(vertx, new WebClientOptions()
        .setConnectTimeout((int) options.timeout().toMillis())
        .setKeepAlive(true));
    this.breaker = CircuitBreaker.create("sms-provider", vertx, new CircuitBreakerOptions()
            .setMaxFailures(options.maxFailures())
            .setTimeout(options.timeout().toMillis())
            .setResetTimeout(options.resetTimeout().toMillis())
            .setFallbackOnFailure(false)
            .setNotificationAddress(null))
        .openHandler(v -> transition(CircuitBreakerState.OPEN))
        .halfOpenHandler(v -> transition(CircuitBreakerState.HALF_OPEN))
        .closeHandler(v -> transition(CircuitBreakerState.CLOSED));
    STATE.set(0);
    if (registry.find("circuit_breaker_state").tag("name", "sms-provider").gauge() == null) {
      Gauge.builder("circuit_breaker_state", STATE, AtomicInteger::get).description("0 closed, 1 half-open, 2 open")
          .tag("name", "sms-provider").register(registry);
    }
  }

  private void transition(CircuitBreakerState state) {
    STATE.set(switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    });
    registry.counter("circuit_breaker_transitions_total", "name", "sms-provider", "state", state.name()).increment();
    if (state == CircuitBreakerState.OPEN) {
      log.warn("circuit to the SMS provider OPEN: failing fast for {} ms", options.resetTimeout().toMillis());
    } else if (state == CircuitBreakerState.CLOSED) {
      log.info("circuit to the SMS provider closed");
    }
  }

  public CircuitBreakerState state() {
    return breaker.state();
  }

  @Override
  public Future<SmsReceipt> send(SmsMessage message) {
    JsonObject body = new JsonObject().put("to", message.to()).put("text", message.text())
        .put("reference", message.reference());
    return attempt(body, 1, null);
  }

  /**
   * @param earlier why the previous request of this send failed, or null on the first: when a retry finds the
   *                circuit opened by that very failure, the failure is the better reason to record
   */
  private Future<SmsReceipt> attempt(JsonObject body, int attempt, String earlier) {
    Future<HttpResponse<Buffer>> call = breaker.execute(() -> web.postAbs(options.url())
        .timeout(options.timeout().toMillis())
        .sendJsonObject(body)
        .compose(HttpSmsProvider::classify));
    return call.transform(ar -> {
      boolean called = earlier != null || !(ar.failed() && ar.cause() instanceof OpenCircuitException);
      registry.counter("sms_provider_requests_total", "outcome", outcome(ar)).increment();
      if (ar.succeeded()) {
        int status = ar.result().statusCode();
        return status / 100 == 2 ? Future.succeededFuture(new SmsReceipt(messageId(ar.result())))
            : Future.failedFuture(new SmsFailure("the SMS provider refused the message (" + status + ")", false,
                true));
      }
      Throwable e = ar.cause();
      String reason = e instanceof OpenCircuitException && earlier != null ? earlier : reason(e);
      if (e instanceof OpenCircuitException || attempt > options.retries()) {
        return Future.failedFuture(new SmsFailure(reason, true, called));
      }
      return delay(options.retryBackoff().toMillis() << (attempt - 1))
          .compose(v -> attempt(body, attempt + 1, reason));
    });
  }

  /**
   * 2xx is success; a 4xx other than 408 and 429 is the provider's answer about the message (the call worked, so it
   * does not count against the breaker); anything else is a failure the breaker counts.
   */
  private static Future<HttpResponse<Buffer>> classify(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status / 100 == 2) {
      return Future.succeededFuture(response);
    }
    if (status / 100 == 4 && status != 408 && status != 429) {
      return Future.succeededFuture(response);
    }
    return Future.failedFuture(new ProviderStatus(status));
  }

  private static String messageId(HttpResponse<Buffer> response) {
    try {
      JsonObject json = response.bodyAsJsonObject();
      return json == null ? null : json.getString("messageId");
    } catch (RuntimeException e) {
      return null; // accepted; the body is the provider's business
    }
  }

  /** The provider answered with a status that says it is unwell. */
  private static final class ProviderStatus extends RuntimeException {
    final int status;

    ProviderStatus(int status) {
      super("the SMS provider answered " + status, null, false, false);
      this.status = status;
    }
  }

  /** A reason fit for the SMS history: what went wrong, never where. */
  private String reason(Throwable e) {
    if (e instanceof OpenCircuitException) {
      return "the circuit to the SMS provider is open (too many recent failures)";
    }
    if (e instanceof ProviderStatus status) {
      return status.getMessage();
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t.getClass().getName().endsWith("ConnectTimeoutException")) {
        return "the SMS provider could not be reached";
      }
      if (t instanceof java.util.concurrent.TimeoutException || t.getClass().getName().endsWith("TimeoutException")) {
        return "the SMS provider did not answer within " + options.timeout().toMillis() + " ms";
      }
    }
    return "sending failed (" + e.getClass().getSimpleName() + ")";
  }

  private static String outcome(io.vertx.core.AsyncResult<HttpResponse<Buffer>> ar) {
    if (ar.succeeded()) {
      return ar.result().statusCode() / 100 == 2 ? "accepted" : "refused";
    }
    return ar.cause() instanceof OpenCircuitException ? "rejected_open_circuit" : "failed";
  }

  private Future<Void> delay(long millis) {
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(Math.max(1, millis), t -> promise.complete());
    return promise.future();
  }

  @Override
  public Future<Void> close() {
    breaker.close();
    web.close();
    return Future.succeededFuture();
  }
}
