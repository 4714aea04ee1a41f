package kr.go.procurement.gateway.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import kr.go.procurement.platform.http.JsonBody;
import kr.go.procurement.platform.http.Problem.FieldError;
import kr.go.procurement.platform.http.Problem;
import kr.go.procurement.platform.http.Responses;
import kr.go.procurement.platform.identity.Role;

/**
 * {@code POST /local/tokens} {@code {"sub", "roles": [...], "companyNo"?}} → {@code {"token", "tokenType",
 * "expiresIn"}}: tokens for any role, signed with the local HS256 secret, so a developer (or the web console on a
 * laptop) can act as each role without an identity provider.
 *
 * <p>Mounted only when {@code GATEWAY_LOCAL_TOKENS=true} (the local stack sets it; it is off by default and must
 * never be on in a cluster), and answers only callers connected from this machine's loopback interface and not
 * relayed by a proxy. A request from anywhere else gets 404, as if the endpoint did not exist.
 */
public final class LocalTokens {

  public static final String PATH = "/local/tokens";
  /** A working day: long enough for a session at the console, short enough that a leaked one soon dies. */
  public static final int LIFETIME_SECONDS = 12 * 3600;

  private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._@-]{1,100}");
  private static final Pattern COMPANY = Pattern.compile("[A-Za-z0-9._-]{1,50}");

  private final JWTAuth signer;
  private final JwtSettings settings;

  public LocalTokens(Vertx vertx, JwtSettings settings) {
    if (!settings.isHs256()) {
      throw new IllegalArgumentException(
          "GATEWAY_LOCAL_TOKENS=true needs JWT_HS256_SECRET (tokens are signed with it)");
    }
    this.settings = settings;
    this.signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(settings.hs256Secret())));
  }

  public void handle(RoutingContext ctx) {
    if (!fromThisMachine(ctx)) {
      throw Problem.notFound("No resource matches " + ctx.request().method() + " " + ctx.request().path());
    }
    JsonObject body = JsonBody.object(ctx);
    List<FieldError> errors = new ArrayList<>();
    String sub = body.getValue("sub") instanceof String s && SUBJECT.matcher(s).matches() ? s : null;
    if (sub == null) {
      errors.add(new FieldError("sub", "must be 1 to 100 letters, digits or . _ @ -"));
    }
    JsonArray roles = new JsonArray();
    if (body.getValue("roles") instanceof JsonArray requested && !requested.isEmpty()) {
      for (Object r : requested) {
        if (r instanceof String name && Role.fromWireName(name).isPresent()) {
          roles.add(Role.fromWireName(name).get().wireName());
        } else {
          errors.add(new FieldError("roles", "must hold only agency, pps, supplier, viewer or admin"));
          break;
        }
      }
    } else {
      errors.add(new FieldError("roles", "must be a non-empty list of roles"));
    }
    Object company = body.getValue("companyNo");
    if (company != null && !(company instanceof String c && COMPANY.matcher(c).matches())) {
      errors.add(new FieldError("companyNo", "must be 1 to 50 letters, digits or . _ -"));
    }
    if (company == null && roles.contains("supplier")) {
      errors.add(new FieldError("companyNo", "is required for a supplier"));
    }
    if (!errors.isEmpty()) {
      throw Problem.validation(errors);
    }
    JsonObject claims = new JsonObject().put("roles", roles);
    if (company != null) {
      claims.put("companyNo", company);
    }
    String token = signer.generateToken(claims, new JWTOptions()
        .setAlgorithm("HS256")
        .setSubject(sub)
        .setIssuer(settings.issuer())
        .setAudience(List.of(settings.audience()))
        .setExpiresInSeconds(LIFETIME_SECONDS));
    Responses.json(ctx, 200, new JsonObject().put("token", token).put("tokenType", "Bearer")
        .put("expiresIn", LIFETIME_SECONDS));
  }

  /** The socket's peer is a loopback address and no proxy says it relayed the request. */
  static boolean fromThisMachine(RoutingContext ctx) {
    // The connection's address, not request.remoteAddress(), which X-Forwarded-For may rewrite.
    SocketAddress peer = ctx.request().connection().remoteAddress();
    if (peer == null || peer.hostAddress() == null) {
      return false;
    }
    for (String relayed : Set.of("X-Forwarded-For", "Forwarded", "X-Real-IP")) {
      if (ctx.request().headers().contains(relayed)) {
        return false;
      }
    }
    try {
      // hostAddress() is numeric, so no name lookup happens here.
      return InetAddress.getByName(peer.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
