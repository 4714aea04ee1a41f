package kr.go.procurement.gateway.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import kr.go.procurement.gateway.auth.TokenRejected.Reason;
import kr.go.procurement.platform.http.Problem;
import kr.go.procurement.platform.identity.Identity;

/**
 * Reads the bearer token, if any, and records who is calling: the verified {@link Identity}, or why the token was
 * refused. It refuses nothing itself, so that the rate limiter can count a client sending bad tokens by its address;
 * the route decides whether an identity is required ({@link #require}).
 */
public final class Authentication {

  private static final String IDENTITY = "gateway.identity";
  private static final String REJECTION = "gateway.rejection";
  private static final String REALM = "procurement";

  private final TokenVerifier verifier;
  private final MeterRegistry meters;

  public Authentication(TokenVerifier verifier, MeterRegistry meters) {
    this.verifier = verifier;
    this.meters = meters;
  }

  /** The handler, for every route after the open ones (health, metrics, console). */
  public void handle(RoutingContext ctx) {
    List<String> values = ctx.request().headers().getAll(HttpHeaders.AUTHORIZATION);
    if (values.isEmpty()) {
      ctx.put(REJECTION, new TokenRejected(Reason.MISSING, "A bearer token is required"));
      ctx.next();
      return;
    }
    String value = values.get(0).trim();
    if (values.size() > 1 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.put(REJECTION, new TokenRejected(values.size() > 1 ? Reason.MALFORMED : Reason.MISSING,
          "A single Authorization: Bearer <token> header is required"));
      ctx.next();
      return;
    }
    Future<Identity> verified = verifier.verify(value.substring(7).trim());
    if (verified.isComplete()) {
      // The usual case (keys at hand): decided within this event-loop turn, before any body bytes arrive.
      record(ctx, verified);
      ctx.next();
      return;
    }
    // Waiting for the identity provider's keys: hold the body back until the BodyHandler reads it.
    ctx.request().pause();
    verified.onComplete(ar -> {
      record(ctx, verified);
      ctx.next();
    });
  }

  private void record(RoutingContext ctx, Future<Identity> verified) {
    if (verified.succeeded()) {
      ctx.put(IDENTITY, verified.result());
    } else {
      TokenRejected rejected = verified.cause() instanceof TokenRejected t ? t
          : new TokenRejected(Reason.BAD_SIGNATURE, "The token's signature is not valid");
      meters.counter("gateway.auth.failures", "reason", rejected.reason().name().toLowerCase(Locale.ROOT))
          .increment();
      ctx.put(REJECTION, rejected);
    }
  }

  /** The verified caller, or null when the request carries no valid token. */
  public static Identity identity(RoutingContext ctx) {
    return ctx.get(IDENTITY);
  }

  /**
   * The verified caller.
   *
   * @throws Problem 401 with {@code WWW-Authenticate} (RFC 6750 §3) when there is none; 503 when the provider's
   *                 keys are not loaded yet
   */
  public static Identity require(RoutingContext ctx) {
    Identity identity = identity(ctx);
    if (identity != null) {
      return identity;
    }
    TokenRejected rejected = ctx.get(REJECTION);
    if (rejected == null) {
      rejected = new TokenRejected(Reason.MISSING, "A bearer token is required");
    }
    if (rejected.reason() == Reason.KEYS_UNAVAILABLE) {
      throw Problem.unavailable("Tokens cannot be checked at the moment; try again later.", 5);
    }
    String challenge = rejected.reason() == Reason.MISSING
        ? "Bearer realm=\"" + REALM + "\""
        : "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", error_description=\""
            + rejected.getMessage().replace("\"", "'") + "\"";
    ctx.response().putHeader("WWW-Authenticate", challenge);
    throw Problem.unauthorized(rejected.getMessage() + ".");
  }
}
