package kr.go.procurement.platform.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.EnumSet;
import org.slf4j.LoggerFactory;

/**
 * The process's one Micrometer registry, exposed in Prometheus text format at {@code GET /metrics}.
 *
 * <p>It holds Vert.x's own meters (HTTP server and client, pools, net client; event bus and datagram off),
 * JVM meters (memory, GC, threads, class loading, processor, uptime, file descriptors) and whatever services add
 * through {@link #registry()} (outbox backlog, consumer lag, breaker state). Every meter carries the common tag
 * {@code service=<name>}.
 *
 * <p>Vert.x Micrometer 5.0.8 uses {@code io.micrometer.prometheusmetrics.PrometheusMeterRegistry} (Micrometer 1.13+,
 * Prometheus client 1.x), the registry class used here.
 */
public final class Metrics {

  /** The name under which Vert.x Micrometer keeps our registry in {@link BackendRegistries}. */
  public static final String REGISTRY_NAME = "procurement";

  private static PrometheusMeterRegistry registry;
  private static String serviceName;

  private Metrics() {
  }

  /**
   * Creates the registry tagged {@code service=<serviceName>} and binds the JVM meters, once per process.
   * The tag has to be configured before any meter exists, which is why {@link #vertxOptions} calls this first.
   */
  public static synchronized PrometheusMeterRegistry init(String service) {
    if (registry != null) {
      if (!service.equals(serviceName)) {
        // Only happens when several services share one JVM (integration tests): they share one registry.
        LoggerFactory.getLogger(Metrics.class).atDebug()
            .addKeyValue("service", serviceName).addKeyValue("requested", service)
            .log("Metrics were already initialised for another service name; keeping the first");
      }
      return registry;
    }
    PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    created.config().commonTags("service", service);
    new ClassLoaderMetrics().bindTo(created);
    new JvmMemoryMetrics().bindTo(created);
    // Lives as long as the process: the registry is never closed, so neither is the GC listener.
    new JvmGcMetrics().bindTo(created);
    new JvmThreadMetrics().bindTo(created);
    new ProcessorMetrics().bindTo(created);
    new UptimeMetrics().bindTo(created);
    new FileDescriptorMetrics().bindTo(created);
    registry = created;
    serviceName = service;
    return created;
  }

  /** The registry services add their meters to (initialised with service {@code "unknown"} if nobody did). */
  public static synchronized PrometheusMeterRegistry registry() {
    return registry != null ? registry : init("unknown");
  }

  /**
   * Vert.x options with Micrometer metrics enabled and reporting into {@link #registry()}.
   * Prefer {@link #createVertx(String)}, which passes the registry explicitly; plain
   * {@code Vertx.vertx(Metrics.vertxOptions(name))} also ends up in the same registry.
   */
  public static VertxOptions vertxOptions(String service) {
    PrometheusMeterRegistry meters = init(service);
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName(REGISTRY_NAME)
        // Bound once in init(): Vert.x would bind them again for every Vert.x instance.
        .setJvmMetricsEnabled(false)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        // Route templates, not raw paths: /deliveryrequests/:id is one series, not one per id.
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE,
            Label.POOL_NAME, Label.CLIENT_NAME))
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET);
    // Vert.x looks registries up by name: make the name point at ours for the ServiceLoader path too.
    BackendRegistries.setupBackend(options, meters);
    return new VertxOptions().setMetricsOptions(options);
  }

  /** A Vert.x instance whose metrics go to {@link #registry()}. */
  public static Vertx createVertx(String service) {
    return createVertx(vertxOptions(service));
  }

  /** A Vert.x instance with these options (from {@link #vertxOptions}, maybe adjusted) reporting to our registry. */
  public static Vertx createVertx(VertxOptions options) {
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry())).build();
  }

  /** {@code GET /metrics}: Prometheus text format 0.0.4 (OpenMetrics when the scraper asks for it). */
  public static Handler<RoutingContext> scrapeHandler() {
    return PrometheusScrapingHandler.create(registry());
  }
}
