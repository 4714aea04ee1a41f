package kr.go.procurement.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Compact JWTs built with the JDK alone, independent of the library the gateway verifies with, so that a test
 * can make every kind of token, forged ones included.
 */
public final class TestTokens {

  public static final String SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
  public static final String ISSUER = "procurement-local";
  public static final String AUDIENCE = "procurement";

  private TestTokens() {
  }

  public static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** Valid claims for {@code sub} with {@code roles} (and {@code companyNo} when not null), expiring in an hour. */
  public static JsonObject claims(String sub, String companyNo, String... roles) {
    JsonObject claims = new JsonObject().put("sub", sub).put("iss", ISSUER).put("aud", AUDIENCE)
        .put("iat", now()).put("exp", now() + 3600).put("roles", new JsonArray(java.util.List.of(roles)));
    if (companyNo != null) {
      claims.put("companyNo", companyNo);
    }
    return claims;
  }

  /** A valid HS256 token signed with {@link #SECRET}. */
  public static String token(String sub, String companyNo, String... roles) {
    return hs256(claims(sub, companyNo, roles), SECRET);
  }

  public static String hs256(JsonObject claims, String secret) {
    return hmac(new JsonObject().put("alg", "HS256").put("typ", "JWT"), claims, secret);
  }

  /** Signed with HMAC-SHA256 whatever {@code header.alg} claims. */
  public static String hmac(JsonObject header, JsonObject claims, String secret) {
    String input = b64(header.encode()) + "." + b64(claims.encode());
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Signed with {@code key}: {@code SHA256withRSA} for RS256, {@code SHA256withECDSAinP1363Format} for ES256 (JOSE
   * wants r||s, not DER).
   */
  public static String signed(String alg, String kid, JsonObject claims, PrivateKey key) {
    JsonObject header = new JsonObject().put("alg", alg).put("typ", "JWT");
    if (kid != null) {
      header.put("kid", kid);
    }
    String input = b64(header.encode()) + "." + b64(claims.encode());
    try {
      Signature signature = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA"
          : "SHA256withECDSAinP1363Format");
      signature.initSign(key);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code header.payload.} with {@code alg: none}, as an attacker would send it. */
  public static String unsigned(JsonObject claims) {
    return b64(new JsonObject().put("alg", "none").put("typ", "JWT").encode()) + "." + b64(claims.encode()) + ".";
  }

  public static String b64(String text) {
    return b64(text.getBytes(StandardCharsets.UTF_8));
  }

  public static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
