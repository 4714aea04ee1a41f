package kr.go.procurement.gateway.auth;

import static kr.go.procurement.gateway.TestTokens.AUDIENCE;
import static kr.go.procurement.gateway.TestTokens.ISSUER;
import static kr.go.procurement.gateway.TestTokens.SECRET;
import static kr.go.procurement.gateway.TestTokens.claims;
import static kr.go.procurement.gateway.TestTokens.now;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import kr.go.procurement.gateway.TestTokens;
import kr.go.procurement.gateway.auth.TokenRejected.Reason;
import kr.go.procurement.localstack.StackTokens;
import kr.go.procurement.platform.identity.Identity;
import kr.go.procurement.platform.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenVerifierTest {

  private static KeyPair rsa;
  private static KeyPair ec;
  private Vertx vertx;
  private TokenVerifier hs256;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
    r.initialize(2048);
    rsa = r.generateKeyPair();
    KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
    e.initialize(new ECGenParameterSpec("secp256r1"));
    ec = e.generateKeyPair();
    hs256 = TokenVerifier.create(vertx, settings(SECRET, null, null));
  }

  @AfterAll
  void stop() {
    vertx.close().await();
  }

  @Test
  void aValidTokenBecomesTheCallersIdentity() {
    Identity identity = accepted(hs256, TestTokens.token("supplier-c01", "c01", "supplier", "auditor"));
    assertThat(identity).isEqualTo(new Identity("supplier-c01", Set.of(Role.SUPPLIER), "c01"));
  }

  @Test
  void anAudienceListNamingUsIsAccepted() {
    JsonObject c = claims("a", null, "agency").put("aud", new JsonArray().add("other").add(AUDIENCE));
    assertThat(accepted(hs256, TestTokens.hs256(c, SECRET)).roles()).containsExactly(Role.AGENCY);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kr.go.procurement.gateway.ForgedTokens#all")
  void forgedStaleAndForeignTokensAreRejected(String kind, String token, Reason reason) {
    assertThat(rejected(hs256, token).reason()).isEqualTo(reason);
  }

  /** The tokens the local stack prints (minted with plain JDK crypto there) are what this verifier accepts. */
  @Test
  void theLocalStacksTokensAreAccepted(@TempDir Path data) {
    String secret = StackTokens.secret(data);
    TokenVerifier verifier = TokenVerifier.create(vertx, new JwtSettings(secret, null, null,
        StackTokens.ISSUER, StackTokens.AUDIENCE, "roles",
        Duration.ofMinutes(10)));
    for (var persona : StackTokens.PERSONAS) {
      String token = StackTokens.mint(secret, persona, Instant.now());
      assertThat(accepted(verifier, token)).isEqualTo(new Identity(persona.subject(),
          Set.of(Role.fromWireName(persona.role()).orElseThrow()), persona.companyNo()));
    }
    String ofAnotherDataDirectory = StackTokens.mint(TestTokens.SECRET,
        StackTokens.PERSONAS.get(0), Instant.now());
    assertThat(rejected(verifier, ofAnotherDataDirectory).reason()).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void clockSkewWithinTheLeewayIsTolerated() {
    JsonObject c = claims("a", null, "agency").put("exp", now() - 5).put("nbf", now() + 5);
    assertThat(accepted(hs256, TestTokens.hs256(c, SECRET)).userId()).isEqualTo("a");
  }

  @Test
  void rs256PublicKeyFromPem() {
    TokenVerifier verifier = TokenVerifier.create(vertx, settings(null, pem(rsa), null));
    String token = TestTokens.signed("RS256", null, claims("pps-1", null, "pps"), rsa.getPrivate());
    assertThat(accepted(verifier, token).roles()).containsExactly(Role.PPS);
    // The classic confusion attack: an HS256 token whose "secret" is the public key text.
    String confused = TestTokens.hs256(claims("pps-1", null, "admin"), pem(rsa));
    assertThat(rejected(verifier, confused).reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
    assertThat(rejected(verifier, TestTokens.token("pps-1", null, "admin")).reason())
        .isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
  }

  @Test
  void es256PublicKeyFromPemWithEscapedNewlines() {
    String oneLine = pem(ec).replace("\n", "\\n");
    TokenVerifier verifier = TokenVerifier.create(vertx, JwtSettings.fromEnv(new kr.go.procurement.platform.config.Env(
        java.util.Map.of("JWT_PUBLIC_KEY_PEM", oneLine))));
    String token = TestTokens.signed("ES256", null, claims("viewer-1", null, "viewer"), ec.getPrivate());
    assertThat(accepted(verifier, token).roles()).containsExactly(Role.VIEWER);
    String byOtherKey = TestTokens.signed("ES256", null, claims("viewer-1", null, "admin"), otherEcKey());
    assertThat(rejected(verifier, byOtherKey).reason()).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void badKeyMaterialFailsAtStartUp() {
    assertThatThrownBy(() -> TokenVerifier.create(vertx, settings(null, "-----BEGIN PUBLIC KEY-----\nAAAA\n"
        + "-----END PUBLIC KEY-----", null))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> settings("too-short", null, null)).hasMessageContaining("at least 32 bytes");
    assertThatThrownBy(() -> settings(null, null, null)).hasMessageContaining("No token key configured");
    assertThatThrownBy(() -> settings(SECRET, pem(rsa), null)).hasMessageContaining("only one");
  }

  /**
   * JWKS: fetched at start, rejected while unavailable (503, not 401), refetched when a token names a new key id
   * (key rotation), and symmetric keys in it are ignored.
   */
  @Test
  void jwksUrlWithKeyRotation() throws Exception {
    KeyPair rotated = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    AtomicReference<JsonObject> published = new AtomicReference<>(new JsonObject().put("keys", new JsonArray()
        .add(jwk(rsa, "k1"))
        .add(new JsonObject().put("kty", "oct").put("kid", "sym").put("alg", "HS256")
            .put("k", TestTokens.b64(SECRET)))));
    AtomicReference<Boolean> up = new AtomicReference<>(false);
    HttpServer idp = vertx.createHttpServer().requestHandler(req -> {
      if (!up.get()) {
        req.response().setStatusCode(503).end();
      } else {
        req.response().putHeader("Content-Type", "application/json").end(published.get().encode());
      }
    }).listen(0).await();
    String url = "http://127.0.0.1:" + idp.actualPort() + "/realms/procurement/protocol/openid-connect/certs";
    TokenVerifier verifier = TokenVerifier.create(vertx, new JwtSettings(null, null, url, ISSUER, AUDIENCE,
        "realm_access.roles", Duration.ofMinutes(10)), () -> now(), 0);
    try {
      JsonObject keycloakClaims = claims("kc-user", null).put("realm_access",
          new JsonObject().put("roles", new JsonArray().add("agency").add("offline_access")));
      String token = TestTokens.signed("RS256", "k1", keycloakClaims, rsa.getPrivate());
      assertThat(rejected(verifier, token).reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);

      up.set(true);
      assertThat(eventually(() -> verifier.verify(token)))
          .isEqualTo(new Identity("kc-user", Set.of(Role.AGENCY), null));
      // The symmetric key in the JWKS must not make the public secret usable for signing.
      assertThat(rejected(verifier, TestTokens.hmac(new JsonObject().put("alg", "HS256").put("kid", "sym"),
          keycloakClaims, SECRET)).reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);

      published.set(new JsonObject().put("keys", new JsonArray().add(jwk(rsa, "k1")).add(jwk(rotated, "k2"))));
      String afterRotation = TestTokens.signed("RS256", "k2", keycloakClaims, rotated.getPrivate());
      assertThat(await(verifier.verify(afterRotation)).userId()).isEqualTo("kc-user");
    } finally {
      verifier.close();
      idp.close().await();
    }
  }

  // ---- verified tokens are remembered, within their validity only ----

  @Test
  void aTokenIsCheckedOnceThenRemembered() {
    TokenVerifier verifier = TokenVerifier.create(vertx, settings(SECRET, null, null));
    String token = TestTokens.token("cached-1", null, "agency");
    Identity first = accepted(verifier, token);
    assertThat(verifier.rememberedTokens()).isEqualTo(1);
    assertThat(accepted(verifier, token)).as("the remembered identity, not a new check").isSameAs(first);
    assertThat(verifier.rememberedTokens()).isEqualTo(1);
  }

  @Test
  void aCachedTokenIsRejectedOnceExpired() {
    AtomicLong clock = new AtomicLong(now());
    TokenVerifier verifier = TokenVerifier.create(vertx, settings(SECRET, null, null), clock::get, 0);
    long exp = clock.get() + 60;
    String token = TestTokens.hs256(claims("cached-2", null, "agency").put("exp", exp), SECRET);
    assertThat(accepted(verifier, token).userId()).isEqualTo("cached-2");
    assertThat(verifier.rememberedTokens()).isEqualTo(1);

    // The last second within the clock skew: still the remembered identity.
    clock.set(exp + TokenVerifier.CLOCK_SKEW_SECONDS - 1);
    assertThat(accepted(verifier, token).userId()).isEqualTo("cached-2");
    // From then on refused exactly as a token never seen, and forgotten.
    clock.set(exp + TokenVerifier.CLOCK_SKEW_SECONDS);
    TokenRejected expired = rejected(verifier, token);
    assertThat(expired.reason()).isEqualTo(Reason.EXPIRED);
    assertThat(expired.getMessage()).isEqualTo(rejected(TokenVerifier.create(vertx, settings(SECRET, null, null),
        clock::get, 0), token).getMessage());
    assertThat(verifier.rememberedTokens()).isZero();
    assertThat(rejected(verifier, token).reason()).isEqualTo(Reason.EXPIRED);
  }

  @Test
  void aCachedTokenIsNotServedBeforeItsNotBeforeWhenTheClockGoesBack() {
    AtomicLong clock = new AtomicLong(now());
    TokenVerifier verifier = TokenVerifier.create(vertx, settings(SECRET, null, null), clock::get, 0);
    long nbf = clock.get();
    String token = TestTokens.hs256(claims("cached-3", null, "agency").put("nbf", nbf).put("iat", nbf), SECRET);
    assertThat(accepted(verifier, token).userId()).isEqualTo("cached-3");
    clock.set(nbf - TokenVerifier.CLOCK_SKEW_SECONDS - 1);
    assertThat(rejected(verifier, token).reason()).isEqualTo(Reason.NOT_YET_VALID);
    clock.set(nbf);
    assertThat(accepted(verifier, token).userId()).isEqualTo("cached-3");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kr.go.procurement.gateway.ForgedTokens#all")
  void refusedTokensAreNeverRemembered(String kind, String token, Reason reason) {
    TokenVerifier verifier = TokenVerifier.create(vertx, settings(SECRET, null, null));
    assertThat(rejected(verifier, token).reason()).isEqualTo(reason);
    assertThat(rejected(verifier, token).reason()).isEqualTo(reason);
    assertThat(verifier.rememberedTokens()).isZero();
  }

  @Test
  void theRememberedTokensAreBounded() {
    AtomicLong clock = new AtomicLong(now());
    TokenVerifier verifier = TokenVerifier.create(vertx, settings(SECRET, null, null), clock::get, 0);
    // A full cache whose tokens have expired makes room by dropping those.
    for (int i = 0; i < TokenVerifier.CACHE_MAX_TOKENS; i++) {
      accepted(verifier, TestTokens.hs256(claims("old-" + i, null, "viewer").put("exp", clock.get() + 60), SECRET));
    }
    assertThat(verifier.rememberedTokens()).isEqualTo(TokenVerifier.CACHE_MAX_TOKENS);
    clock.addAndGet(3600);
    String fresh = TestTokens.hs256(claims("fresh", null, "viewer").put("exp", clock.get() + 3600)
        .put("iat", clock.get()), SECRET);
    assertThat(accepted(verifier, fresh).userId()).isEqualTo("fresh");
    assertThat(verifier.rememberedTokens()).isEqualTo(1);
    // A full cache of valid tokens is emptied rather than grown.
    for (int i = 1; i < TokenVerifier.CACHE_MAX_TOKENS; i++) {
      accepted(verifier, TestTokens.hs256(claims("new-" + i, null, "viewer").put("exp", clock.get() + 60)
          .put("iat", clock.get()), SECRET));
    }
    assertThat(verifier.rememberedTokens()).isEqualTo(TokenVerifier.CACHE_MAX_TOKENS);
    assertThat(accepted(verifier, TestTokens.hs256(claims("one-more", null, "viewer")
        .put("exp", clock.get() + 60).put("iat", clock.get()), SECRET)).userId()).isEqualTo("one-more");
    assertThat(verifier.rememberedTokens()).isEqualTo(1);
  }

  /** A token remembered under keys the provider has since replaced is checked again, against the new keys. */
  @Test
  void aRememberedTokenIsCheckedAgainWhenTheKeysChange() throws Exception {
    KeyPair rotated = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    AtomicReference<JsonObject> published = new AtomicReference<>(new JsonObject().put("keys",
        new JsonArray().add(jwk(rsa, "k1"))));
    HttpServer idp = vertx.createHttpServer().requestHandler(req -> req.response()
        .putHeader("Content-Type", "application/json").end(published.get().encode())).listen(0).await();
    TokenVerifier verifier = TokenVerifier.create(vertx, new JwtSettings(null, null,
        "http://127.0.0.1:" + idp.actualPort() + "/certs", ISSUER, AUDIENCE, "roles", Duration.ofMinutes(10)),
        () -> now(), 0);
    try {
      String underK1 = TestTokens.signed("RS256", "k1", claims("kc-1", null, "agency"), rsa.getPrivate());
      assertThat(eventually(() -> verifier.verify(underK1)).userId()).isEqualTo("kc-1");
      assertThat(verifier.rememberedTokens()).isEqualTo(1);

      // The provider drops k1; a token naming k2 makes the gateway fetch the new set.
      published.set(new JsonObject().put("keys", new JsonArray().add(jwk(rotated, "k2"))));
      String underK2 = TestTokens.signed("RS256", "k2", claims("kc-2", null, "agency"), rotated.getPrivate());
      assertThat(await(verifier.verify(underK2)).userId()).isEqualTo("kc-2");
      assertThat(rejected(verifier, underK1).reason()).isEqualTo(Reason.BAD_SIGNATURE);
    } finally {
      verifier.close();
      idp.close().await();
    }
  }

  // ---- helpers ----

  private static JwtSettings settings(String secret, String pem, String jwks) {
    return new JwtSettings(secret, pem, jwks, ISSUER, AUDIENCE, "roles", Duration.ofMinutes(10));
  }

  private static Identity accepted(TokenVerifier verifier, String token) {
    return await(verifier.verify(token));
  }

  private static TokenRejected rejected(TokenVerifier verifier, String token) {
    Future<Identity> result = verifier.verify(token);
    try {
      result.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(TokenRejected.class);
      return (TokenRejected) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("token accepted: " + token);
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Identity eventually(Supplier<Future<Identity>> attempt) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      try {
        return attempt.get().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError(e);
        }
        Thread.sleep(50);
      }
    }
  }

  private static String pem(KeyPair pair) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static JsonObject jwk(KeyPair pair, String kid) {
    RSAPublicKey key = (RSAPublicKey) pair.getPublic();
    return new JsonObject().put("kty", "RSA").put("kid", kid).put("use", "sig").put("alg", "RS256")
        .put("n", TestTokens.b64(unsigned(key.getModulus())))
        .put("e", TestTokens.b64(unsigned(key.getPublicExponent())));
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private static java.security.PrivateKey otherEcKey() {
    try {
      KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
      e.initialize(new ECGenParameterSpec("secp256r1"));
      return e.generateKeyPair().getPrivate();
    } catch (Exception ex) {
      throw new IllegalStateException(ex);
    }
  }
}
