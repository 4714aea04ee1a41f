package kr.go.procurement.platform.runtime;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import kr.go.procurement.platform.http.HttpServers;
import kr.go.procurement.platform.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code main} of every service:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   ServiceMain.run("request-svc", RequestVerticle::new);
 * }
 * }</pre>
 *
 * <p>Creates Vert.x with metrics ({@link Metrics#createVertx}), deploys the verticle and logs
 * {@code "<service> started in <ms> ms on port <port>"} (the port {@link HttpServers#listen} bound); a failed
 * deployment logs one line with the reason and exits with status 1. On SIGTERM (shutdown hook) and, when
 * {@code PARENT_PID} is set, once that process is gone, it runs {@link GracefulShutdown}: readiness DOWN,
 * {@code SHUTDOWN_DRAIN_MS} (default 0), {@code vertx.close()}, all within {@value #SHUTDOWN_BUDGET_SECONDS} s.
 * Logging needs no set-up here: logback.xml's {@link LogFormatEncoder} reads {@code LOG_FORMAT} itself.
 */
public final class ServiceMain {

  public static final int SHUTDOWN_BUDGET_SECONDS = 10;

  private ServiceMain() {
  }

  public static void run(String serviceName, Supplier<? extends VerticleBase> verticle) {
    start(serviceName, verticle, System.getenv(), System::exit);
  }

  /**
   * Everything {@link #run} does, with the environment and the exit action passed in so tests can drive it.
   *
   * @return the process's shutdown routine (already run when the deployment failed)
   */
  static GracefulShutdown start(String serviceName, Supplier<? extends VerticleBase> verticle,
                                Map<String, String> env, IntConsumer exit) {
    Logger log = LoggerFactory.getLogger(ServiceMain.class);
    Vertx vertx = Metrics.createVertx(serviceName);
    GracefulShutdown shutdown = new GracefulShutdown(vertx,
        Duration.ofMillis(parseLong(env, "SHUTDOWN_DRAIN_MS", 0, log)),
        Duration.ofSeconds(SHUTDOWN_BUDGET_SECONDS));
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, serviceName + "-shutdown"));

    try {
      vertx.deployVerticle(verticle, new DeploymentOptions()).await();
    } catch (Throwable e) {
      log.atError().addKeyValue("service", serviceName).log("{} failed to start: {}", serviceName, reason(e));
      log.atDebug().setCause(e).log("Start-up failure details");
      shutdown.run();
      exit.accept(1);
      return shutdown;
    }
    Object port = vertx.sharedData().getLocalMap(HttpServers.PORTS_MAP).get("http");
    long startedMs = ManagementFactory.getRuntimeMXBean().getUptime();
    log.atInfo().addKeyValue("service", serviceName).addKeyValue("port", port).addKeyValue("startupMs", startedMs)
        .log("{} started in {} ms{}", serviceName, startedMs, port == null ? "" : " on port " + port);

    String parent = env.get("PARENT_PID");
    if (parent != null && !parent.isBlank()) {
      try {
        long pid = Long.parseLong(parent.trim());
        ParentWatch.watch(pid, () -> {
          log.atWarn().addKeyValue("parentPid", pid).log("Parent process is gone; shutting down");
          shutdown.run();
          exit.accept(0);
        });
      } catch (NumberFormatException e) {
        log.atWarn().addKeyValue("PARENT_PID", parent).log("PARENT_PID is not a process id; not watching a parent");
      }
    }
    return shutdown;
  }

  /** The failure and its innermost cause on one line: what an operator needs to see first. */
  static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName()
        : root.getClass().getSimpleName() + ": " + root.getMessage();
    if (root != e && e.getMessage() != null && !e.getMessage().equals(root.getMessage())) {
      message = e.getMessage() + " (" + message + ")";
    }
    return message.replaceAll("\\s+", " ").trim();
  }

  private static long parseLong(Map<String, String> env, String name, long defaultValue, Logger log) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      log.atWarn().addKeyValue(name, value).log("{} is not a number of milliseconds; using {}", name, defaultValue);
      return defaultValue;
    }
  }
}
