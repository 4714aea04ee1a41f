package kr.go.procurement.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import kr.go.procurement.gateway.auth.TokenRejected.Reason;
import kr.go.procurement.platform.identity.Identity;
import kr.go.procurement.platform.identity.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a bearer token and turns it into the caller's {@link Identity}.
 *
 * <p>{@link JWTAuth} verifies the signature against the configured keys. Everything else is checked here, so each
 * refusal gets its own reason: the compact form and the {@code alg} header before any crypto ({@code none} and any
 * algorithm the configured keys do not have are refused outright, which also rules out RS/HS confusion), then
 * {@code exp} (required: every token must expire), {@code nbf} and {@code iat} with {@value #CLOCK_SKEW_SECONDS} s
 * of clock skew, {@code iss}, {@code aud}, {@code sub}, the roles claim and {@code companyNo}.
 *
 * <p>With a JWKS URL the keys are fetched at start and every {@code JWT_JWKS_REFRESH_MS}, and again (at most every
 * {@value #JWKS_MIN_REFETCH_MS} ms) when a token names a key id not seen yet, which is how a provider's key rotation
 * shows up. Until the first fetch succeeds tokens cannot be checked: {@link Reason#KEYS_UNAVAILABLE}.
 *
 * <p>A client sends the same token with every request, so a token that passed every check is remembered, keyed by
 * its exact text, with the keys it was checked against and its {@code exp}, {@code nbf} and {@code iat}: the next
 * request with it costs a map lookup instead of two Base64 decodes, three JSON parses and a signature check. A
 * remembered token is used only while those keys are still the current ones (a JWKS refresh starts afresh) and
 * only while it is within its validity period (the same skew as above); past {@code exp} it is forgotten and
 * checked again in full, so it is refused exactly as a token never seen would be. Refused tokens are never
 * remembered. At most {@value #CACHE_MAX_TOKENS} tokens and {@value #CACHE_MAX_CHARS} characters of them are held;
 * when full, the expired ones are dropped, and if that is not enough, all of them.
 */
public final class TokenVerifier implements AutoCloseable {

  public static final int CLOCK_SKEW_SECONDS = 30;
  /** Far above any real token (a Keycloak access token with many roles is 2-3 KiB); bounds the work per request. */
  public static final int MAX_TOKEN_LENGTH = 8 * 1024;
  static final long JWKS_MIN_REFETCH_MS = 30_000;
  /** Verified tokens remembered at most (a few thousand active users per gateway instance). */
  static final int CACHE_MAX_TOKENS = 10_000;
  /** And at most this many characters of them (a Keycloak token is 1-3 KiB; HS256 local tokens about 300 B). */
  static final long CACHE_MAX_CHARS = 8L << 20;

  private static final Logger log = LoggerFactory.getLogger(TokenVerifier.class);
  private static final Pattern COMPACT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  /** Visible ASCII: the subject travels in an HTTP header and into logs. */
  private static final Pattern SUBJECT = Pattern.compile("[\\x21-\\x7E]{1,256}");
  private static final Pattern COMPANY = Pattern.compile("[A-Za-z0-9._-]{1,50}");

  /** A verifier for one set of keys, and the algorithms those keys can check. */
  private record Keys(JWTAuth auth, Set<String> algorithms) {
  }

  /** A token that passed every check with {@code keys}, and the dates that bound its validity. */
  private record Verified(Keys keys, Identity identity, long exp, Long nbf, Long iat) {

    /** The same date checks as {@code identity(claims)}, negated. */
    boolean validAt(long now) {
      return now - CLOCK_SKEW_SECONDS < exp
          && (nbf == null || nbf <= now + CLOCK_SKEW_SECONDS)
          && (iat == null || iat <= now + CLOCK_SKEW_SECONDS);
    }
  }

  private final Vertx vertx;
  private final JwtSettings settings;
  private final LongSupplier epochSeconds;
  private volatile Keys keys;
  private WebClient web;
  private long refreshTimer = -1;
  private long lastFetch = Long.MIN_VALUE / 2;
  private Future<Void> fetching;

  private final long minRefetchMs;
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();
  private final AtomicLong verifiedChars = new AtomicLong();

  private TokenVerifier(Vertx vertx, JwtSettings settings, LongSupplier epochSeconds, long minRefetchMs) {
    this.vertx = vertx;
    this.settings = settings;
    this.epochSeconds = epochSeconds;
    this.minRefetchMs = minRefetchMs;
  }

  /**
   * A verifier for {@code settings}. A bad secret or key fails here, at start-up; an unreachable JWKS URL does not
   * (the gateway starts, not ready, and keeps trying).
   */
  public static TokenVerifier create(Vertx vertx, JwtSettings settings) {
    return create(vertx, settings, () -> System.currentTimeMillis() / 1000, JWKS_MIN_REFETCH_MS);
  }

  /** @param minRefetchMs least time between two JWKS fetches caused by unknown key ids (tests use 0) */
  static TokenVerifier create(Vertx vertx, JwtSettings settings, LongSupplier epochSeconds, long minRefetchMs) {
    TokenVerifier verifier = new TokenVerifier(vertx, settings, epochSeconds, minRefetchMs);
    if (settings.hs256Secret() != null) {
      verifier.keys = new Keys(JWTAuth.create(vertx, new JWTAuthOptions()
          .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(settings.hs256Secret()))
          .setJWTOptions(new JWTOptions().setIgnoreExpiration(true))), Set.of("HS256"));
    } else if (settings.publicKeyPem() != null) {
      verifier.keys = fromPem(vertx, settings.publicKeyPem());
    } else {
      verifier.web = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setIdleTimeout(10)
          .setName("jwks"));
      verifier.fetchJwks();
      long period = Math.max(1_000, settings.jwksRefresh().toMillis());
      verifier.refreshTimer = vertx.setPeriodic(period, id -> verifier.fetchJwks());
    }
    return verifier;
  }

  /** Whether tokens can be checked now (always, except before the first successful JWKS fetch). */
  public boolean keysLoaded() {
    return keys != null;
  }

  /**
   * The caller's identity, or a failed future with {@link TokenRejected}. Completes at once unless a JWKS has to be
   * fetched for a key id not seen yet.
   */
  public Future<Identity> verify(String token) {
    Identity known = remembered(token);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    String alg;
    try {
      alg = algorithm(token);
    } catch (TokenRejected e) {
      return Future.failedFuture(e);
    }
    Keys current = keys;
    if (current == null) {
      if (web != null) {
        fetchJwksIfDue();
      }
      return Future.failedFuture(new TokenRejected(Reason.KEYS_UNAVAILABLE,
          "The identity provider's keys are not available yet"));
    }
    if (!current.algorithms().contains(alg)) {
      return Future.failedFuture(new TokenRejected(Reason.UNSUPPORTED_ALGORITHM,
          "Tokens signed with " + (alg.length() > 20 ? "this algorithm" : alg) + " are not accepted"));
    }
    return check(current, token).recover(e -> {
      if (e instanceof NoSuchKeyIdException && web != null && fetchJwksIfDue()) {
        // A key id we have not seen: the provider may have rotated its keys. One more try with fresh keys.
        return fetching.compose(v -> check(keys, token));
      }
      return Future.failedFuture(e);
    }).recover(e -> Future.failedFuture(e instanceof TokenRejected ? e
        : new TokenRejected(Reason.BAD_SIGNATURE, "The token's signature is not valid")));
  }

  private Future<Identity> check(Keys with, String token) {
    try {
      return with.auth().authenticate(new TokenCredentials(token)).map(user -> {
        JsonObject claims = user.attributes().getJsonObject("accessToken");
        Identity identity = identity(claims);
        remember(token, new Verified(with, identity, numericDate(claims, "exp"), numericDate(claims, "nbf"),
            numericDate(claims, "iat")));
        return identity;
      });
    } catch (RuntimeException e) {
      // JWTAuth throws (rather than fails) on some malformed claims; whatever it was, the token is not usable.
      return Future.failedFuture(new TokenRejected(Reason.MALFORMED, "The token could not be read"));
    }
  }

  /** The {@code alg} of a well-formed compact JWS; rejects everything else before any crypto runs. */
  private static String algorithm(String token) {
    if (token.length() > MAX_TOKEN_LENGTH || !COMPACT.matcher(token).matches()) {
      throw new TokenRejected(Reason.MALFORMED, "The bearer token is not a signed JWT");
    }
    JsonObject header;
    try {
      header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
          StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw new TokenRejected(Reason.MALFORMED, "The token's header is not valid JSON");
    }
    if (!(header.getValue("alg") instanceof String alg) || alg.equalsIgnoreCase("none")) {
      throw new TokenRejected(Reason.UNSUPPORTED_ALGORITHM, "Unsigned tokens are not accepted");
    }
    if (header.containsKey("crit")) {
      // RFC 7515 §4.1.11: extensions we do not implement must make the token invalid.
      throw new TokenRejected(Reason.MALFORMED, "The token requires extensions this gateway does not support");
    }
    String payload = token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'));
    JsonObject claims;
    try {
      claims = new JsonObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw new TokenRejected(Reason.MALFORMED, "The token's claims are not valid JSON");
    }
    // JWTAuth reads these as numbers and would throw on anything else.
    for (String date : new String[] {"exp", "nbf", "iat"}) {
      numericDate(claims, date);
    }
    return alg;
  }

  // ---- verified tokens ----

  /**
   * The identity of {@code token} if it passed every check before, with the keys still current, and is within its
   * validity period now; null otherwise (an entry that no longer holds is dropped).
   */
  private Identity remembered(String token) {
    Verified entry = verified.get(token);
    if (entry == null) {
      return null;
    }
    if (entry.keys() == keys && entry.validAt(epochSeconds.getAsLong())) {
      return entry.identity();
    }
    forget(token, entry);
    return null;
  }

  private void remember(String token, Verified entry) {
    if (verified.size() >= CACHE_MAX_TOKENS || verifiedChars.get() + token.length() > CACHE_MAX_CHARS) {
      long now = epochSeconds.getAsLong();
      Keys current = keys;
      verified.forEach((t, e) -> {
        if (e.keys() != current || !e.validAt(now)) {
          forget(t, e);
        }
      });
      if (verified.size() >= CACHE_MAX_TOKENS || verifiedChars.get() + token.length() > CACHE_MAX_CHARS) {
        verified.forEach(this::forget);
      }
    }
    Verified before = verified.put(token, entry);
    verifiedChars.addAndGet(before == null ? token.length() : 0);
  }

  private void forget(String token, Verified entry) {
    if (verified.remove(token, entry)) {
      verifiedChars.addAndGet(-token.length());
    }
  }

  /** How many verified tokens are remembered (tests). */
  int rememberedTokens() {
    return verified.size();
  }

  /** The claims checks that follow a valid signature. */
  private Identity identity(JsonObject claims) {
    long now = epochSeconds.getAsLong();
    Long exp = numericDate(claims, "exp");
    if (exp == null) {
      throw new TokenRejected(Reason.BAD_CLAIMS, "The token has no expiry (exp)");
    }
    if (now - CLOCK_SKEW_SECONDS >= exp) {
      throw new TokenRejected(Reason.EXPIRED, "The token has expired");
    }
    Long nbf = numericDate(claims, "nbf");
    Long iat = numericDate(claims, "iat");
    if (nbf != null && nbf > now + CLOCK_SKEW_SECONDS || iat != null && iat > now + CLOCK_SKEW_SECONDS) {
      throw new TokenRejected(Reason.NOT_YET_VALID, "The token is not valid yet");
    }
    if (!settings.issuer().equals(claims.getValue("iss"))) {
      throw new TokenRejected(Reason.WRONG_ISSUER, "The token was not issued by " + settings.issuer());
    }
    Object aud = claims.getValue("aud");
    boolean audienceOk = aud instanceof String s ? s.equals(settings.audience())
        : aud instanceof JsonArray a && a.contains(settings.audience());
    if (!audienceOk) {
      throw new TokenRejected(Reason.WRONG_AUDIENCE, "The token is not meant for " + settings.audience());
    }
    if (!(claims.getValue("sub") instanceof String sub) || !SUBJECT.matcher(sub).matches()) {
      throw new TokenRejected(Reason.BAD_CLAIMS, "The token's subject (sub) is missing or not usable");
    }
    Object company = claims.getValue("companyNo");
    if (company != null && !(company instanceof String c && COMPANY.matcher(c).matches())) {
      throw new TokenRejected(Reason.BAD_CLAIMS, "The token's companyNo is not a company number");
    }
    return new Identity(sub, roles(claims), (String) company);
  }

  /** Known roles of the roles claim; unknown names are ignored (a provider may issue roles of other systems). */
  private Set<Role> roles(JsonObject claims) {
    Object value = claims;
    for (String part : settings.rolesClaim().split("\\.")) {
      value = value instanceof JsonObject o ? o.getValue(part) : null;
    }
    if (value == null) {
      return Set.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new TokenRejected(Reason.BAD_CLAIMS, "The token's " + settings.rolesClaim() + " claim is not a list");
    }
    Set<Role> roles = new LinkedHashSet<>();
    for (Object r : array) {
      if (r instanceof String s) {
        Role.fromWireName(s).ifPresent(roles::add);
      }
    }
    return roles;
  }

  private static Long numericDate(JsonObject claims, String name) {
    Object v = claims.getValue(name);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
      return (long) Math.floor(n.doubleValue());
    }
    throw new TokenRejected(Reason.BAD_CLAIMS, "The token's " + name + " is not a date");
  }

  // ---- key sources ----

  private static Keys fromPem(Vertx vertx, String pem) {
    String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("JWT_PUBLIC_KEY_PEM is not a PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    String algorithm = publicKeyAlgorithm(der);
    String normalised = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END PUBLIC KEY-----\n";
    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(normalised))
        .setJWTOptions(new JWTOptions().setIgnoreExpiration(true)));
    log.atInfo().addKeyValue("algorithm", algorithm).log("Tokens are checked with the configured public key");
    return new Keys(auth, Set.of(algorithm));
  }

  /** RS256 for an RSA key, ES256/384/512 for an EC key of that size: the only algorithm the key is used for. */
  private static String publicKeyAlgorithm(byte[] der) {
    X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
    if (parse("RSA", spec) != null) {
      return "RS256";
    }
    if (parse("EC", spec) instanceof ECPublicKey ec) {
      return switch (ec.getParams().getCurve().getField().getFieldSize()) {
        case 256 -> "ES256";
        case 384 -> "ES384";
        case 521 -> "ES512";
        default -> throw new IllegalArgumentException("JWT_PUBLIC_KEY_PEM: unsupported EC curve");
      };
    }
    throw new IllegalArgumentException("JWT_PUBLIC_KEY_PEM must be an RSA or EC public key");
  }

  private static PublicKey parse(String type, X509EncodedKeySpec spec) {
    try {
      return KeyFactory.getInstance(type).generatePublic(spec);
    } catch (InvalidKeySpecException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has " + type, e);
    }
  }

  /** Starts a JWKS fetch unless one ran less than {@value #JWKS_MIN_REFETCH_MS} ms ago; true if one is under way. */
  private boolean fetchJwksIfDue() {
    if (fetching != null && !fetching.isComplete()) {
      return true;
    }
    if (System.currentTimeMillis() - lastFetch < minRefetchMs) {
      return false;
    }
    fetchJwks();
    return true;
  }

  private void fetchJwks() {
    if (fetching != null && !fetching.isComplete()) {
      return;
    }
    lastFetch = System.currentTimeMillis();
    Promise<Void> done = Promise.promise();
    fetching = done.future();
    web.getAbs(settings.jwksUrl()).timeout(10_000).send().onComplete(ar -> {
      try {
        if (ar.failed()) {
          throw new IllegalStateException(ar.cause().getMessage());
        }
        if (ar.result().statusCode() != 200) {
          throw new IllegalStateException("HTTP " + ar.result().statusCode());
        }
        Keys loaded = fromJwks(vertx, ar.result().bodyAsJsonObject());
        boolean first = keys == null;
        keys = loaded;
        log.atInfo().addKeyValue("algorithms", loaded.algorithms()).log(first
            ? "Token keys fetched from the JWKS URL" : "Token keys refreshed from the JWKS URL");
      } catch (RuntimeException e) {
        // Keep the keys we have: a provider hiccup must not lock everybody out.
        log.atWarn().addKeyValue("cause", String.valueOf(e.getMessage()))
            .log("Could not fetch the token keys from JWT_JWKS_URL");
      }
      done.complete();
    });
  }

  /**
   * Only asymmetric signing keys: a symmetric ("oct") key in a public document would let anyone sign tokens.
   *
   * @throws IllegalStateException when none is usable (keeping the old keys beats having none)
   */
  static Keys fromJwks(Vertx vertx, JsonObject jwks) {
    JsonArray all = jwks == null ? null : jwks.getJsonArray("keys");
    List<JsonObject> usable = new ArrayList<>();
    Set<String> algorithms = new LinkedHashSet<>();
    if (all != null) {
      for (Object o : all) {
        if (o instanceof JsonObject k && ("RSA".equals(k.getString("kty")) || "EC".equals(k.getString("kty")))
            && (k.getString("use") == null || "sig".equals(k.getString("use")))) {
          String alg = Optional.ofNullable(k.getString("alg"))
              .orElse("RSA".equals(k.getString("kty")) ? "RS256" : "ES256");
          if (alg.startsWith("RS") || alg.startsWith("PS") || alg.startsWith("ES")) {
            usable.add(k);
            algorithms.add(alg);
          }
        }
      }
    }
    if (usable.isEmpty()) {
      throw new IllegalStateException("the JWKS holds no RSA or EC signing key");
    }
    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions().setJwks(usable)
        .setJWTOptions(new JWTOptions().setIgnoreExpiration(true)));
    return new Keys(auth, Set.copyOf(algorithms));
  }

  @Override
  public void close() {
    if (refreshTimer >= 0) {
      vertx.cancelTimer(refreshTimer);
    }
    if (web != null) {
      web.close();
    }
  }
}
