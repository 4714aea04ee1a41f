package kr.go.procurement.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The local stack's stand-in for an identity provider: an HS256 secret per data directory ({@code <data>/jwt-secret},
 * created on first use, readable by its owner only), handed to gateway-svc as {@code JWT_HS256_SECRET}, and
 * ready-made tokens for one person of each role, written to {@code <data>/tokens.env} so that
 * {@code source .data/tokens.env} makes {@code $AGENCY_TOKEN} etc. usable with curl.
 *
 * <p>Plain JDK crypto (HmacSHA256): the launcher does not depend on Vert.x. The tokens carry what the gateway checks
 * ({@code iss}, {@code aud}, {@code exp}, {@code sub}, {@code roles}, {@code companyNo}); a fresh data directory
 * means a fresh secret, so tokens of an older one stop working.
 */
public final class StackTokens {

  public static final String ISSUER = "procurement-local";
  public static final String AUDIENCE = "procurement";
  /** Long enough to forget about during development; the secret dies with the data directory anyway. */
  public static final Duration LIFETIME = Duration.ofDays(30);
  public static final String SECRET_FILE = "jwt-secret";
  public static final String ENV_FILE = "tokens.env";

  /** One ready-made user: the variable in tokens.env, the token's subject, its role and company. */
  public record Persona(String variable, String subject, String role, String companyNo) {
  }

  public static final List<Persona> PERSONAS = List.of(
      new Persona("AGENCY_TOKEN", "agency-officer", "agency", null),
      new Persona("PPS_TOKEN", "pps-officer", "pps", null),
      new Persona("SUPPLIER_C01_TOKEN", "supplier-c01", "supplier", "c01"),
      new Persona("SUPPLIER_C02_TOKEN", "supplier-c02", "supplier", "c02"),
      new Persona("VIEWER_TOKEN", "viewer", "viewer", null),
      new Persona("ADMIN_TOKEN", "admin", "admin", null));

  private static final int SECRET_BYTES = 32;

  private StackTokens() {
  }

  /** The secret of {@code dataDir}, created (32 random bytes, base64url, mode 0600) if there is none yet. */
  public static String secret(Path dataDir) {
    Path file = dataDir.resolve(SECRET_FILE);
    try {
      if (!Files.exists(file)) {
        byte[] random = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(random);
        writePrivate(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n");
      }
      String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (secret.getBytes(StandardCharsets.UTF_8).length < SECRET_BYTES) {
        throw new IllegalStateException(file + " holds a secret shorter than " + SECRET_BYTES
            + " bytes; delete it to get a new one");
      }
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  /** A token for {@code persona}, issued at {@code now}, valid for {@link #LIFETIME}. */
  public static String mint(String secret, Persona persona, Instant now) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", persona.subject());
    claims.put("iss", ISSUER);
    claims.put("aud", AUDIENCE);
    claims.put("iat", now.getEpochSecond());
    claims.put("exp", now.plus(LIFETIME).getEpochSecond());
    claims.put("roles", List.of(persona.role()));
    if (persona.companyNo() != null) {
      claims.put("companyNo", persona.companyNo());
    }
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "HS256");
    header.put("typ", "JWT");
    String input = base64Url(Json.write(header)) + "." + base64Url(Json.write(claims));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] signature = mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }

  /** Variable name → token, for every persona, in {@link #PERSONAS} order. */
  public static Map<String, String> mintAll(String secret, Instant now) {
    Map<String, String> tokens = new LinkedHashMap<>();
    for (Persona p : PERSONAS) {
      tokens.put(p.variable(), mint(secret, p, now));
    }
    return tokens;
  }

  /** Writes {@code NAME=token} lines to {@code <data>/tokens.env} (mode 0600, replaced as a whole); returns it. */
  public static Path writeEnvFile(Path dataDir, Map<String, String> tokens) {
    StringBuilder sb = new StringBuilder("# tokens of the local stack's users; source this file, then\n"
        + "# curl -H \"Authorization: Bearer $AGENCY_TOKEN\" http://localhost:8088/deliveryrequests\n");
    tokens.forEach((name, token) -> sb.append(name).append('=').append(token).append('\n'));
    Path file = dataDir.resolve(ENV_FILE);
    Path temp = dataDir.resolve(ENV_FILE + ".tmp");
    try {
      Files.deleteIfExists(temp);
      writePrivate(temp, sb.toString());
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Creates the file readable by its owner only from the first byte on (no window with wider permissions). */
  private static void writePrivate(Path file, String content) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
    }
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
