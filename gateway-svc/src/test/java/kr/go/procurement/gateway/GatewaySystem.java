package kr.go.procurement.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import kr.go.procurement.gateway.limit.RateLimiter;
import kr.go.procurement.delivery.DeliveryConfig;
import kr.go.procurement.delivery.DeliveryVerticle;
import kr.go.procurement.management.ManagementConfig;
import kr.go.procurement.management.ManagementVerticle;
import kr.go.procurement.notification.NotificationConfig;
import kr.go.procurement.notification.NotificationVerticle;
import kr.go.procurement.platform.config.Env;
import kr.go.procurement.request.RequestConfig;
import kr.go.procurement.request.RequestVerticle;
import kr.go.procurement.statusview.StatusViewConfig;
import kr.go.procurement.statusview.StatusViewVerticle;
import kr.go.procurement.testsupport.Infra;

/**
 * Every service of the system deployed in this JVM against real PostgreSQL, Kafka and MongoDB (as workflow-tests
 * does), with a gateway in front. Started once per test JVM ({@link #shared()}) because the services take seconds
 * to start; tests that need a gateway configured otherwise start their own with {@link #startGateway}.
 *
 * <p>Where a real service cannot show what a test needs (the exact headers that arrived, an event sent at a chosen
 * moment, a service that is slow or stops), {@link #standIn} answers instead, behind its own gateway
 * ({@link #echoGateway()}).
 */
public final class GatewaySystem {

  private static GatewaySystem shared;

  public final Vertx vertx = Vertx.vertx();
  public final Infra infra = Infra.get();
  private final Env env;
  public final int managementPort = freePort();
  public final int requestPort = freePort();
  public final int deliveryPort = freePort();
  public final int statusViewPort = freePort();
  public final int notificationPort = freePort();
  public final Http request = new Http(requestPort);
  public final Http management = new Http(managementPort);
  public final Http delivery = new Http(deliveryPort);
  /** Stands in for status-view and notification-svc behind {@link #echoGateway()}. */
  public final TestUpstream standIn;
  /** The gateway in front of the real services. */
  public final Gateway gateway;
  private Gateway echoGateway;
  private volatile String managementDeployment;

  /** A running gateway: its port and a client for it. */
  public record Gateway(String deploymentId, int port, Http http) {
  }

  public static synchronized GatewaySystem shared() {
    if (shared == null) {
      shared = new GatewaySystem();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> shared.vertx.close(), "gateway-system-stop"));
    }
    return shared;
  }

  private GatewaySystem() {
    Map<String, String> settings = new HashMap<>(infra.env(infra.newDatabase(), infra.newTopic(6),
        infra.newMongoDatabase()));
    settings.put("MANAGEMENT_URL", "http://127.0.0.1:" + managementPort);
    env = new Env(settings);
    Future<String> management = deploy(new ManagementVerticle(ManagementConfig.fromEnv(withPort(managementPort))));
    join(Future.all(
        management,
        deploy(new RequestVerticle(RequestConfig.fromEnv(withPort(requestPort)))),
        deploy(new DeliveryVerticle(DeliveryConfig.fromEnv(withPort(deliveryPort)))),
        deploy(new StatusViewVerticle(StatusViewConfig.fromEnv(withPort(statusViewPort)))),
        deploy(new NotificationVerticle(NotificationConfig.fromEnv(withPort(notificationPort))))));
    managementDeployment = join(management);
    standIn = TestUpstream.start(vertx);
    // A generous limit: the shared gateways are not where rate limiting is tested.
    gateway = startGateway(Map.of());
  }

  /** A gateway whose status-view and notification-svc are the {@link #standIn}; started on first use. */
  public synchronized Gateway echoGateway() {
    if (echoGateway == null) {
      // A short timeout (the stand-in answers at once), so that a stream outliving it shows it bounds only the headers.
      echoGateway = startGateway(Map.of("STATUS_VIEW_URL", standIn.url(), "NOTIFICATION_URL", standIn.url(),
          "UPSTREAM_TIMEOUT_MS", "1500"));
    }
    return echoGateway;
  }

  /**
   * A gateway in front of this system's services with the test secret, the local-token endpoint, a 10 s
   * upstream timeout, a limit no test reaches by accident, and {@code overrides} on top.
   */
  public Gateway startGateway(Map<String, String> overrides) {
    return startGateway(overrides, null);
  }

  /** The same, charging {@code limiter} (with a clock of the test's) instead of buckets of its own. */
  public Gateway startGateway(Map<String, String> overrides, RateLimiter limiter) {
    Map<String, String> settings = new HashMap<>();
    settings.put("HTTP_PORT", "0");
    settings.put("REQUEST_URL", "http://127.0.0.1:" + requestPort);
    settings.put("MANAGEMENT_URL", "http://127.0.0.1:" + managementPort);
    settings.put("DELIVERY_URL", "http://127.0.0.1:" + deliveryPort);
    settings.put("STATUS_VIEW_URL", "http://127.0.0.1:" + statusViewPort);
    settings.put("NOTIFICATION_URL", "http://127.0.0.1:" + notificationPort);
    settings.put("JWT_HS256_SECRET", TestTokens.SECRET);
    settings.put("GATEWAY_LOCAL_TOKENS", "true");
    // Generous: real services on a busy 2-core machine may take a second; tests of the timeout set their own.
    settings.put("UPSTREAM_TIMEOUT_MS", "10000");
    settings.put("RATE_LIMIT_PER_SECOND", "100000");
    settings.put("RATE_LIMIT_BURST", "100000");
    settings.putAll(overrides);
    GatewayVerticle verticle = new GatewayVerticle(GatewayConfig.fromEnv(new Env(settings)), limiter, 1);
    String id = join(deploy(verticle));
    return new Gateway(id, verticle.actualPort(), new Http(verticle.actualPort()));
  }

  /** Stops management-svc (its port then refuses connections), to show what callers see while it is down. */
  public synchronized void stopManagement() {
    if (managementDeployment != null) {
      join(vertx.undeploy(managementDeployment));
      managementDeployment = null;
    }
  }

  /** Starts management-svc again on the same port, against the same database and topic. */
  public synchronized void startManagement() {
    if (managementDeployment == null) {
      managementDeployment = join(deploy(new ManagementVerticle(ManagementConfig.fromEnv(withPort(managementPort)))));
    }
  }

  public void stop(Gateway gateway) {
    join(vertx.undeploy(gateway.deploymentId()));
  }

  private Env withPort(int port) {
    return env.with(Map.of("HTTP_PORT", Integer.toString(port)));
  }

  private Future<String> deploy(VerticleBase verticle) {
    return vertx.deployVerticle(verticle);
  }

  private static <T> T join(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().join();
  }

  static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
