package kr.go.procurement.gateway;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import kr.go.procurement.gateway.auth.JwtSettings;
import kr.go.procurement.gateway.routing.Service;
import kr.go.procurement.gateway.routing.Upstream;
import kr.go.procurement.platform.config.Env;

/**
 * Everything gateway-svc reads from its environment (see docs/service-environment.md and gateway-svc/README.md).
 *
 * @param upstreamTimeout  time for a service to accept the connection and send its response headers (504 after)
 * @param upstreamPoolSize pooled keep-alive connections per service for ordinary calls
 * @param streamPoolSize   concurrent Server-Sent-Events streams per service (503 beyond)
 * @param rateLimitPerSecond requests per second per caller; 0 turns rate limiting off
 */
public record GatewayConfig(int httpPort, Map<Service, Upstream> upstreams, Duration upstreamTimeout,
                            int upstreamPoolSize, int streamPoolSize, JwtSettings jwt, int rateLimitPerSecond,
                            int rateLimitBurst, List<String> corsAllowedOrigins, boolean localTokens,
                            boolean trustForwardedHeaders, boolean accessLog) {

  public GatewayConfig {
    upstreams = Map.copyOf(upstreams);
    corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
    if (rateLimitPerSecond < 0 || rateLimitBurst < 1) {
      throw new IllegalArgumentException("RATE_LIMIT_PER_SECOND must be 0 (off) or more, RATE_LIMIT_BURST at least 1");
    }
    if (upstreamTimeout.isNegative() || upstreamTimeout.isZero()) {
      throw new IllegalArgumentException("UPSTREAM_TIMEOUT_MS must be positive");
    }
    if (upstreamPoolSize < 1 || streamPoolSize < 1) {
      throw new IllegalArgumentException("UPSTREAM_POOL_SIZE and SSE_MAX_STREAMS must be at least 1");
    }
  }

  public static GatewayConfig fromEnv(Env env) {
    Map<Service, Upstream> upstreams = new EnumMap<>(Service.class);
    for (Service s : Service.values()) {
      upstreams.put(s, Upstream.parse(s, env.string(s.urlVariable(), s.defaultUrl())));
    }
    return new GatewayConfig(
        env.integer("HTTP_PORT", 8088),
        upstreams,
        env.millis("UPSTREAM_TIMEOUT_MS", 5_000),
        env.integer("UPSTREAM_POOL_SIZE", 64),
        env.integer("SSE_MAX_STREAMS", 256),
        JwtSettings.fromEnv(env),
        env.integer("RATE_LIMIT_PER_SECOND", 200),
        env.integer("RATE_LIMIT_BURST", 400),
        env.optional("CORS_ALLOWED_ORIGINS")
            .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList())
            .orElse(List.of()),
        env.bool("GATEWAY_LOCAL_TOKENS", false),
        env.bool("TRUST_FORWARDED_HEADERS", false),
        env.bool("ACCESS_LOG", true));
  }
}
