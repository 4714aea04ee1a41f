package kr.go.procurement.gateway.api;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import kr.go.procurement.gateway.auth.Authentication;
import kr.go.procurement.gateway.routing.RouteTable.Routed;
import kr.go.procurement.platform.http.RequestId;
import kr.go.procurement.platform.identity.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per request once its response has ended, with the request's facts as key-value pairs (so
 * {@code LOG_FORMAT=json} makes it one JSON object): method, path, status, durationMs, requestId, subject, upstream,
 * client. Logger {@code kr.go.procurement.gateway.access}; {@code ACCESS_LOG=false} turns it off.
 */
public final class AccessLog {

  private static final Logger log = LoggerFactory.getLogger("kr.go.procurement.gateway.access");

  private AccessLog() {
  }

  public static void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(ar -> {
      Identity identity = Authentication.identity(ctx);
      Routed routed = ctx.get(ApiRoutes.ROUTED);
      SocketAddress client = ctx.request().remoteAddress();
      log.atInfo()
          .addKeyValue("method", ctx.request().method().name())
          .addKeyValue("path", ctx.request().path())
          .addKeyValue("status", ctx.response().getStatusCode())
          .addKeyValue("durationMs", (System.nanoTime() - start) / 1_000_000)
          .addKeyValue("requestId", RequestId.of(ctx))
          .addKeyValue("subject", identity == null ? null : identity.userId())
          .addKeyValue("upstream", routed == null ? null : routed.service().serviceName())
          .addKeyValue("client", client == null ? null : client.hostAddress())
          .log(ar.succeeded() ? "request" : "request (connection closed before the response ended)");
    });
    ctx.next();
  }
}
