package kr.go.procurement.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import kr.go.procurement.platform.config.Env;

/**
 * How tokens are checked: exactly one key source ({@code JWT_HS256_SECRET} for local use, {@code JWT_PUBLIC_KEY_PEM}
 * with an RS256 or ES256 public key, or {@code JWT_JWKS_URL} of an identity provider such as Keycloak), the
 * issuer and audience a token must name, and the claim holding the roles.
 *
 * @param rolesClaim a claim name or dotted path ({@code realm_access.roles} for Keycloak realm roles)
 */
public record JwtSettings(String hs256Secret, String publicKeyPem, String jwksUrl, String issuer, String audience,
                          String rolesClaim, Duration jwksRefresh) {

  /** RFC 7518 §3.2: an HMAC key at least as long as the hash; shorter secrets are guessable offline. */
  public static final int MIN_SECRET_BYTES = 32;

  public JwtSettings {
    int sources = (hs256Secret != null ? 1 : 0) + (publicKeyPem != null ? 1 : 0) + (jwksUrl != null ? 1 : 0);
    if (sources != 1) {
      throw new IllegalArgumentException(sources == 0
          ? "No token key configured: set one of JWT_HS256_SECRET, JWT_PUBLIC_KEY_PEM or JWT_JWKS_URL"
          : "Set only one of JWT_HS256_SECRET, JWT_PUBLIC_KEY_PEM and JWT_JWKS_URL");
    }
    if (hs256Secret != null && hs256Secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("JWT_HS256_SECRET must be at least " + MIN_SECRET_BYTES + " bytes long");
    }
    if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("JWT_ISSUER and JWT_AUDIENCE must not be blank");
    }
  }

  public static JwtSettings fromEnv(Env env) {
    return new JwtSettings(
        env.optional("JWT_HS256_SECRET").orElse(null),
        // Kubernetes secrets and .env files often carry the PEM on one line with literal \n.
        env.optional("JWT_PUBLIC_KEY_PEM").map(p -> p.replace("\\n", "\n")).orElse(null),
        env.optional("JWT_JWKS_URL").orElse(null),
        env.string("JWT_ISSUER", "procurement-local"),
        env.string("JWT_AUDIENCE", "procurement"),
        env.string("JWT_ROLES_CLAIM", "roles"),
        env.millis("JWT_JWKS_REFRESH_MS", 600_000));
  }

  public boolean isHs256() {
    return hs256Secret != null;
  }

  /** The secret is never printed (records print every component). */
  @Override
  public String toString() {
    return "JwtSettings[" + (hs256Secret != null ? "HS256 secret" : publicKeyPem != null ? "public key" : jwksUrl)
        + ", issuer=" + issuer + ", audience=" + audience + ", rolesClaim=" + rolesClaim + "]";
  }
}
