package kr.go.procurement.request.client;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientBuilder;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.endpoint.LoadBalancer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.go.procurement.platform.domain.RuleViolation;
import kr.go.procurement.platform.http.ServiceInstances;
import kr.go.procurement.platform.http.UpstreamRetry;
import kr.go.procurement.request.domain.ProcurementRequest;

/**
 * The synchronous call request→management that announces an inspection result (검사결과 공지), behind the Vert.x
 * circuit breaker. Management's answer is one of: recorded, cancelled there (409, a business answer that does not
 * count against management's health), or a failure (timeout, refused connection, 5xx), which counts. After
 * {@code maxFailures} failures the circuit opens and calls fail at once without touching the network, until the
 * reset timeout lets one trial call through.
 */
public final class ManagementClient {

  /** Management could not be reached, or the circuit is open: the caller should retry after {@link #retryAfter()}. */
  public static final class Unavailable extends RuntimeException {
    private final boolean circuitOpen;

    Unavailable(String message, boolean circuitOpen) {
      super(message, null, false, false);
      this.circuitOpen = circuitOpen;
    }

    public boolean circuitOpen() {
      return circuitOpen;
    }
  }

  public record Options(String baseUrl, Duration timeout, int maxFailures, Duration resetTimeout) {
  }

  private static final String SERVICE = "management-svc";

  private final List<SocketAddress> instances;
  private final ServiceInstances watch;
  private final HttpClientAgent http;
  private final WebClient web;
  private final CircuitBreaker breaker;
  private final Options options;
  private final Counter rejected;
  private final Counter retries;
  private final boolean ssl;

  public ManagementClient(Vertx vertx, Options options, MeterRegistry registry) {
    this.options = options;
    List<SocketAddress> instances = new ArrayList<>();
    boolean ssl = false;
    for (String url : options.baseUrl().split(",")) {
      if (!url.isBlank()) {
        URI base = URI.create(url.trim());
        ssl = "https".equals(base.getScheme());
        instances.add(SocketAddress.inetSocketAddress(base.getPort() > 0 ? base.getPort() : (ssl ? 443 : 80),
            base.getHost()));
      }
    }
    this.instances = List.copyOf(instances);
    SocketAddress first = instances.get(0);
    HttpClientBuilder builder = vertx.httpClientBuilder().with(new WebClientOptions()
        .setDefaultHost(first.host())
        .setDefaultPort(first.port())
        .setSsl(ssl)
        .setConnectTimeout((int) options.timeout().toMillis())
        .setKeepAlive(true));
    this.watch = ServiceInstances.watch(vertx, Map.of(SERVICE, this.instances));
    if (watch.balanced(SERVICE)) {
      // Several instances of management (outside Kubernetes, where a Service is one address): Vert.x's resolver
      // and round-robin balancer spread the calls over the ready ones.
      builder.withAddressResolver(watch.resolver()).withLoadBalancer(LoadBalancer.ROUND_ROBIN);
    }
    this.http = builder.build();
    this.web = WebClient.wrap(http);
    this.ssl = ssl;
    this.breaker = CircuitBreaker.create("management", vertx, new CircuitBreakerOptions()
            .setMaxFailures(options.maxFailures())
            .setTimeout(options.timeout().toMillis())
            .setResetTimeout(options.resetTimeout().toMillis())
            .setFallbackOnFailure(false)
            .setNotificationAddress(null))
        .openHandler(v -> org.slf4j.LoggerFactory.getLogger(ManagementClient.class)
            .warn("circuit to management OPEN: failing fast for {} ms", options.resetTimeout().toMillis()))
        .closeHandler(v -> org.slf4j.LoggerFactory.getLogger(ManagementClient.class)
            .info("circuit to management closed"));
    Gauge.builder("circuit_breaker_state", breaker, b -> switch (b.state()) {
          case CLOSED -> 0;
          case HALF_OPEN -> 1;
          case OPEN -> 2;
        })
        .description("0 closed, 1 half-open, 2 open")
        .tag("name", "management").register(registry);
    Gauge.builder("circuit_breaker_failures", breaker, CircuitBreaker::failureCount)
        .tag("name", "management").register(registry);
    this.rejected = Counter.builder("circuit_breaker_rejected_total").tag("name", "management").register(registry);
    this.retries = Counter.builder("management_call_retries_total")
        .description("calls sent once more on a fresh connection after a pooled one was found closed")
        .register(registry);
  }

  public Duration retryAfter() {
    return options.resetTimeout();
  }

  public CircuitBreakerState state() {
    return breaker.state();
  }

  /**
   * Announces the inspection result to management. Idempotent on management's side, so retrying after a lost answer
   * is safe.
   */
  public Future<Void> announceInspectionResult(ProcurementRequest request, boolean succeeded) {
    if (breaker.state() == CircuitBreakerState.OPEN) {
      rejected.increment();
      return Future.failedFuture(new Unavailable("The management service is not answering; the circuit is open.",
          true));
    }
    JsonObject body = new JsonObject()
        .put("companyNo", request.supplier().companyNo())
        .put("companyNm", request.supplier().companyNm())
        .put("inspectionSuccFlag", succeeded);
    String path = "/deliverymanagements/inspection-results/"
        + URLEncoder.encode(request.procNo(), StandardCharsets.UTF_8);
    // The retry runs inside the breaker's operation and its timeout: a stale pooled connection that a fresh one
    // replaces in time is no failure of management's.
    // With several instances a refused connection, which carried nothing, is retried too.
    Future<Integer> call = breaker.execute(() -> put(web, path, body).recover(e -> {
      boolean severalInstances = watch.balanced(SERVICE);
      if (severalInstances && UpstreamRetry.refused(e)) {
        watch.refused(SERVICE, e);
      }
      if (!(severalInstances && UpstreamRetry.refused(e))
          && !UpstreamRetry.mayRetryOnFreshConnection(new UpstreamRetry.Attempt(HttpMethod.PUT, true, true, e))) {
        return Future.failedFuture(e);
      }
      retries.increment();
      // WebClient does not say which instance failed: with several, the balancer's next pick (the refused one is
      // left out already); with one, a new connection to it.
      return severalInstances ? put(web, path, body) : putOnFreshConnection(path, body);
    }));
    return call.recover(e -> Future.failedFuture(e instanceof RuleViolation ? e
            : new Unavailable("The management service could not be reached.",
                e instanceof io.vertx.circuitbreaker.OpenCircuitException)))
        .compose(status -> switch (status) {
          case 409 -> Future.failedFuture(new RuleViolation("Procurement " + request.procNo()
              + " is cancelled in the management service; the inspection result cannot be registered."));
          case 404 -> Future.failedFuture(new Unavailable("The management service does not know "
              + request.procNo() + " yet.", false));
          default -> Future.<Void>succeededFuture();
        });
  }

  /**
   * One PUT of the announcement. WebClient does not say whether its connection came from the pool, so every
   * failure is treated as possibly a stale pooled connection: the PUT is idempotent, so a second try is harmless.
   */
  private Future<Integer> put(WebClient client, String path, JsonObject body) {
    return client.request(HttpMethod.PUT, new RequestOptions().setURI(path)
            .setServer(watch.addressOf(SERVICE)))
        .timeout(options.timeout().toMillis())
        .sendJsonObject(body)
        .compose(response -> classify(response.statusCode()));
  }

  /** The same PUT on a new connection of its own (WebClient cannot run on an un-pooled connection). */
  private Future<Integer> putOnFreshConnection(String path, JsonObject body) {
    SocketAddress target = watch.retryTarget(SERVICE, null);
    return http.connect(new HttpConnectOptions().setServer(target).setHost(target.host()).setPort(target.port())
            .setSsl(ssl).setConnectTimeout(options.timeout().toMillis()))
        .compose(connection -> connection.request(new RequestOptions()
                .setMethod(HttpMethod.PUT).setURI(path).setIdleTimeout(options.timeout().toMillis())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json"))
            .compose(call -> call.send(body.toBuffer()))
            .compose(response -> response.body().map(ignored -> response.statusCode()))
            .eventually(connection::close))
        .compose(ManagementClient::classify);
  }

  /** 2xx, 404 and 409 are answers (the call worked); anything else is a failure the breaker counts. */
  private static Future<Integer> classify(int status) {
    if (status / 100 == 2 || status == 404 || status == 409) {
      return Future.succeededFuture(status);
    }
    return Future.failedFuture("management answered " + status);
  }

  public void close() {
    breaker.close();
    web.close();
    http.close();
    watch.close();
  }
}
