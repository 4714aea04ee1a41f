package kr.go.procurement.gateway.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.stream.Collectors;
import kr.go.procurement.gateway.auth.Authentication;
import kr.go.procurement.gateway.routing.OutgoingHeaders;
import kr.go.procurement.gateway.routing.ReverseProxy;
import kr.go.procurement.gateway.routing.RouteTable.MethodNotAllowed;
import kr.go.procurement.gateway.routing.RouteTable.NotRouted;
import kr.go.procurement.gateway.routing.RouteTable.Routed;
import kr.go.procurement.gateway.routing.RouteTable;
import kr.go.procurement.platform.http.HttpServers;
import kr.go.procurement.platform.http.Problem;
import kr.go.procurement.platform.identity.Identity;
import kr.go.procurement.platform.identity.Role;

/**
 * The proxied API: every request that reaches this point is looked up in the {@link RouteTable} (404 / 405 when
 * it has no entry), needs a valid token (401) holding one of the entry's roles (403), and only then has its body
 * read (64 KiB at most, 413 beyond) and goes to the service.
 */
public final class ApiRoutes {

  /** The routing-context key of the {@link Routed} entry; the access log reads the service name from it. */
  public static final String ROUTED = "gateway.routed";

  private final RouteTable table;
  private final ReverseProxy proxy;
  private final OutgoingHeaders outgoing;

  public ApiRoutes(RouteTable table, ReverseProxy proxy, OutgoingHeaders outgoing) {
    this.table = table;
    this.proxy = proxy;
    this.outgoing = outgoing;
  }

  /** Adds the catch-all route; it must come after every open route (health, metrics, console). */
  public void mount(Router router) {
    router.route().handler(this::authorize);
    // After the checks, so a refused request costs no body reading. Routes of their own: Vert.x Web refuses a
    // body handler behind a user handler on the same route.
    router.route().handler(BodyHandler.create(false).setBodyLimit(HttpServers.BODY_LIMIT).setHandleFileUploads(false));
    router.route().handler(this::forward);
  }

  private void authorize(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    RouteTable.Resolution resolution = table.resolve(method, ctx.normalizedPath());
    if (resolution instanceof NotRouted) {
      throw Problem.notFound("No resource matches " + method + " " + ctx.request().path());
    }
    if (resolution instanceof MethodNotAllowed notAllowed) {
      ctx.response().putHeader(HttpHeaders.ALLOW,
          notAllowed.allowed().stream().map(HttpMethod::name).collect(Collectors.joining(", ")));
      throw Problem.methodNotAllowed("The resource does not support " + method);
    }
    Routed routed = (Routed) resolution;
    Identity identity = Authentication.require(ctx);
    if (!routed.permits(identity)) {
      throw Problem.forbidden(method + " " + ctx.request().path() + " needs one of the roles "
          + routed.row().roles().stream().map(Role::wireName).sorted().collect(Collectors.joining(", ")) + ".");
    }
    // A supplier without a company could only ever be refused further on: say so here.
    identity.companyScope();
    ctx.put(ROUTED, routed);
    ctx.next();
  }

  private void forward(RoutingContext ctx) {
    Routed routed = ctx.get(ROUTED);
    Identity identity = Authentication.identity(ctx);
    proxy.forward(ctx, routed.service(), headers -> outgoing.apply(ctx, identity, headers));
  }
}
