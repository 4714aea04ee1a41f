package kr.go.procurement.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import kr.go.procurement.platform.http.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Metrics.createVertx("metrics-test");
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private HttpResponse<Buffer> scrape(WebClient client, int port) {
    return client.get(port, "localhost", "/metrics").send().await();
  }

  @Test
  void metricsEndpointExposesHttpServerAndJvmMetricsInPrometheusText() {
    int port = TestServers.start(vertx, router -> router.get("/deliveryrequests/:id").handler(ctx -> ctx.end("{}")));
    WebClient client = WebClient.create(vertx);
    client.get(port, "localhost", "/deliveryrequests/1").send().await();
    client.get(port, "localhost", "/deliveryrequests/2").send().await();

    HttpResponse<Buffer> response = scrape(client, port);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain").contains("version=0.0.4");
    String text = response.bodyAsString();
    assertThat(text).contains("vertx_http_server_requests_total{");
    assertThat(text).contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads",
        "jvm_classes_loaded_classes", "process_uptime_seconds", "system_cpu_count");
    assertThat(text).contains("service=\"");
  }

  @Test
  void httpMetricsUseTheRouteTemplateNotTheRawPath() {
    int port = TestServers.start(vertx, router -> router.get("/deliveryrequests/:id").handler(ctx -> ctx.end("{}")));
    WebClient client = WebClient.create(vertx);
    client.get(port, "localhost", "/deliveryrequests/12345").send().await();
    String text = scrape(client, port).bodyAsString();
    assertThat(text).contains("route=\"/deliveryrequests/:id\"").doesNotContain("/deliveryrequests/12345");
  }

  @Test
  void metersAddedByServicesAppearInTheScrape() {
    Counter.builder("outbox_published").description("events published").register(Metrics.registry()).increment(3);
    int port = TestServers.start(vertx, router -> { });
    String text = scrape(WebClient.create(vertx), port).bodyAsString();
    assertThat(text).contains("outbox_published_total{");
  }

  @Test
  void plainVertxOptionsReportIntoTheSameRegistry() {
    Vertx viaOptions = Vertx.vertx(Metrics.vertxOptions("metrics-test"));
    try {
      assertThat(io.vertx.micrometer.backends.BackendRegistries.getNow(Metrics.REGISTRY_NAME))
          .isSameAs(Metrics.registry());
    } finally {
      viaOptions.close().await();
    }
  }
}
