package kr.go.procurement.platform.runtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import kr.go.procurement.platform.health.Readiness;

/**
 * What a verticle calls while stopping. In {@code stop()}:
 *
 * <pre>{@code
 * public Future<?> stop() {
 *   return Lifecycle.shutdownGracefully(server)      // in-flight requests finish, new connections are refused
 *       .eventually(() -> consumer.close())          // then the rest
 *       .eventually(() -> pool.close());
 * }
 * }</pre>
 *
 * <p>Readiness goes DOWN before that, on its own: {@link ServiceMain} drains every {@link Readiness} created for the
 * Vert.x instance ({@link Readiness#create(Vertx)} registers it) before closing Vert.x.
 */
public final class Lifecycle {

  /** How long in-flight HTTP requests may take to finish once shutdown started. */
  public static final Duration HTTP_GRACE = Duration.ofSeconds(5);

  private Lifecycle() {
  }

  /** Stops accepting connections, lets in-flight requests finish (up to {@link #HTTP_GRACE}), then closes. */
  public static Future<Void> shutdownGracefully(HttpServer server) {
    return shutdownGracefully(server, HTTP_GRACE);
  }

  public static Future<Void> shutdownGracefully(HttpServer server, Duration grace) {
    if (server == null) {
      return Future.succeededFuture();
    }
    return server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Marks every Readiness of {@code vertx} as draining: {@code /health/ready} answers 503 from now on. */
  public static void markDraining(Vertx vertx) {
    Readiness.drainAll(vertx);
  }
}
