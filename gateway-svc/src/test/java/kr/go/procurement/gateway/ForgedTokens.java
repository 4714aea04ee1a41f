package kr.go.procurement.gateway;

import static kr.go.procurement.gateway.TestTokens.SECRET;
import static kr.go.procurement.gateway.TestTokens.claims;
import static kr.go.procurement.gateway.TestTokens.now;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.stream.Stream;
import kr.go.procurement.gateway.auth.TokenRejected.Reason;
import kr.go.procurement.gateway.auth.TokenVerifier;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Every kind of bad token, for a gateway holding {@link TestTokens#SECRET}: (description, token, the reason it must
 * be refused for). The verifier's test checks the reasons, the gateway's HTTP test the 401 answers.
 */
public final class ForgedTokens {

  private ForgedTokens() {
  }

  public static Stream<Arguments> all() {
    String other = "another-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
    JsonObject valid = claims("agency-1", null, "agency");
    String good = TestTokens.hs256(valid, SECRET);
    String[] parts = good.split("\\.");
    String tamperedPayload = parts[0] + "." + TestTokens.b64(valid.copy().put("roles", new JsonArray().add("admin"))
        .encode()) + "." + parts[2];
    return Stream.of(
        Arguments.of("garbage", "not-a-jwt", Reason.MALFORMED),
        Arguments.of("two segments", parts[0] + "." + parts[1], Reason.MALFORMED),
        Arguments.of("header not JSON", TestTokens.b64("nope") + "." + parts[1] + "." + parts[2], Reason.MALFORMED),
        Arguments.of("alg none, empty signature", TestTokens.unsigned(valid), Reason.MALFORMED),
        Arguments.of("alg none, with a signature", TestTokens.hmac(new JsonObject().put("alg", "none"), valid, SECRET),
            Reason.UNSUPPORTED_ALGORITHM),
        Arguments.of("alg NoNe", TestTokens.hmac(new JsonObject().put("alg", "NoNe"), valid, SECRET),
            Reason.UNSUPPORTED_ALGORITHM),
        Arguments.of("alg HS512 (not configured)", TestTokens.hmac(new JsonObject().put("alg", "HS512"), valid, SECRET),
            Reason.UNSUPPORTED_ALGORITHM),
        Arguments.of("RS256 token at an HS256 gateway", TestTokens.signed("RS256", null, valid, rsaKey()),
            Reason.UNSUPPORTED_ALGORITHM),
        Arguments.of("crit header", TestTokens.hmac(new JsonObject().put("alg", "HS256").put("crit",
            new JsonArray().add("exp")), valid, SECRET), Reason.MALFORMED),
        Arguments.of("signed with another secret", TestTokens.hs256(valid, other), Reason.BAD_SIGNATURE),
        Arguments.of("payload changed after signing", tamperedPayload, Reason.BAD_SIGNATURE),
        Arguments.of("signature cut short", good.substring(0, good.length() - 2), Reason.BAD_SIGNATURE),
        Arguments.of("expired", TestTokens.hs256(valid.copy().put("exp", now() - 120), SECRET), Reason.EXPIRED),
        Arguments.of("no expiry", TestTokens.hs256(without(valid, "exp"), SECRET), Reason.BAD_CLAIMS),
        Arguments.of("not yet valid (nbf)", TestTokens.hs256(valid.copy().put("nbf", now() + 600), SECRET),
            Reason.NOT_YET_VALID),
        Arguments.of("issued in the future", TestTokens.hs256(valid.copy().put("iat", now() + 600), SECRET),
            Reason.NOT_YET_VALID),
        Arguments.of("wrong issuer", TestTokens.hs256(valid.copy().put("iss", "evil"), SECRET), Reason.WRONG_ISSUER),
        Arguments.of("no issuer", TestTokens.hs256(without(valid, "iss"), SECRET), Reason.WRONG_ISSUER),
        Arguments.of("wrong audience", TestTokens.hs256(valid.copy().put("aud", "billing"), SECRET),
            Reason.WRONG_AUDIENCE),
        Arguments.of("no audience", TestTokens.hs256(without(valid, "aud"), SECRET), Reason.WRONG_AUDIENCE),
        Arguments.of("no subject", TestTokens.hs256(without(valid, "sub"), SECRET), Reason.BAD_CLAIMS),
        Arguments.of("subject with a line break", TestTokens.hs256(valid.copy().put("sub", "a\r\nX-User-Roles: admin"),
            SECRET), Reason.BAD_CLAIMS),
        Arguments.of("roles not a list", TestTokens.hs256(valid.copy().put("roles", "admin"), SECRET),
            Reason.BAD_CLAIMS),
        Arguments.of("companyNo with a comma", TestTokens.hs256(valid.copy().put("companyNo", "c01,c02"), SECRET),
            Reason.BAD_CLAIMS),
        Arguments.of("exp as text", TestTokens.hs256(valid.copy().put("exp", "tomorrow"), SECRET), Reason.BAD_CLAIMS),
        Arguments.of("oversized", "a".repeat(TokenVerifier.MAX_TOKEN_LENGTH) + "." + parts[1] + "." + parts[2],
            Reason.MALFORMED));
  }

  private static JsonObject without(JsonObject claims, String name) {
    JsonObject copy = claims.copy();
    copy.remove(name);
    return copy;
  }

  private static java.security.PrivateKey rsaKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair().getPrivate();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
