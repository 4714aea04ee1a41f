package kr.go.procurement.platform.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.function.Consumer;
import kr.go.procurement.platform.health.Readiness;

/** Starts the platform router on a random port with a test's routes added, as a service would. */
public final class TestServers {

  private TestServers() {
  }

  /** Listens on a free port and returns it; the server dies with {@code vertx}. */
  public static int start(Vertx vertx, Consumer<Router> routes) {
    Readiness readiness = Readiness.create(vertx);
    readiness.markStarted();
    return start(vertx, readiness, routes);
  }

  public static int start(Vertx vertx, Readiness readiness, Consumer<Router> routes) {
    Router router = HttpServers.router(vertx, readiness);
    routes.accept(router);
    HttpServer server = HttpServers.listen(vertx, router, 0).await();
    return server.actualPort();
  }
}
