package kr.go.procurement.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import kr.go.procurement.gateway.routing.Service;
import kr.go.procurement.gateway.routing.Upstream;
import kr.go.procurement.platform.config.Env;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

  private static GatewayConfig config(Map<String, String> values) {
    Map<String, String> env = new HashMap<>(Map.of("JWT_HS256_SECRET", TestTokens.SECRET));
    env.putAll(values);
    return GatewayConfig.fromEnv(new Env(env));
  }

  @Test
  void localDefaults() {
    GatewayConfig c = config(Map.of());
    assertThat(c.httpPort()).isEqualTo(8088);
    assertThat(c.upstreams().get(Service.REQUEST)).isEqualTo(new Upstream(Service.REQUEST, "localhost", 8082, false));
    assertThat(c.upstreams().get(Service.MANAGEMENT).port()).isEqualTo(8081);
    assertThat(c.upstreams().get(Service.DELIVERY).port()).isEqualTo(8083);
    assertThat(c.upstreams().get(Service.STATUS_VIEW).port()).isEqualTo(8084);
    assertThat(c.upstreams().get(Service.NOTIFICATION).port()).isEqualTo(8085);
    assertThat(c.upstreamTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.rateLimitPerSecond()).isEqualTo(200);
    assertThat(c.rateLimitBurst()).isEqualTo(400);
    assertThat(c.corsAllowedOrigins()).isEmpty();
    assertThat(c.localTokens()).as("the token endpoint is off unless asked for").isFalse();
    assertThat(c.trustForwardedHeaders()).isFalse();
    assertThat(c.accessLog()).isTrue();
    assertThat(c.jwt().issuer()).isEqualTo("procurement-local");
    assertThat(c.jwt().audience()).isEqualTo("procurement");
    assertThat(c.jwt().toString()).doesNotContain(TestTokens.SECRET);
  }

  @Test
  void clusterSettings() {
    GatewayConfig c = config(Map.of("HTTP_PORT", "8080", "REQUEST_URL", "http://request-svc:8080",
        "STATUS_VIEW_URL", "https://status-view.procurement.svc/", "UPSTREAM_TIMEOUT_MS", "2500",
        "CORS_ALLOWED_ORIGINS", " https://a.example , https://b.example,", "TRUST_FORWARDED_HEADERS", "true"));
    assertThat(c.upstreams().get(Service.REQUEST)).isEqualTo(new Upstream(Service.REQUEST, "request-svc", 8080, false));
    assertThat(c.upstreams().get(Service.STATUS_VIEW))
        .isEqualTo(new Upstream(Service.STATUS_VIEW, "status-view.procurement.svc", 443, true));
    assertThat(c.upstreamTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(c.corsAllowedOrigins()).containsExactly("https://a.example", "https://b.example");
    assertThat(c.trustForwardedHeaders()).isTrue();
  }

  @Test
  void severalInstancesOfAServiceAreACommaSeparatedList() {
    GatewayConfig c = config(Map.of("DELIVERY_URL", "http://localhost:8083, http://localhost:8093"));
    assertThat(c.upstreams().get(Service.DELIVERY).instances()).containsExactly(
        new Upstream.Instance("localhost", 8083), new Upstream.Instance("localhost", 8093));
    assertThatThrownBy(() -> config(Map.of("DELIVERY_URL", "http://a:1,https://b:2"))).hasMessageContaining("mixes");
    assertThatThrownBy(() -> config(Map.of("DELIVERY_URL", " , "))).hasMessageContaining("DELIVERY_URL");
  }

  @Test
  void mistakesFailAtStartUpNamingTheVariable() {
    assertThatThrownBy(() -> config(Map.of("DELIVERY_URL", "http://delivery:8083/api")))
        .hasMessageContaining("DELIVERY_URL");
    assertThatThrownBy(() -> config(Map.of("NOTIFICATION_URL", "notification:8085")))
        .hasMessageContaining("NOTIFICATION_URL");
    assertThatThrownBy(() -> config(Map.of("RATE_LIMIT_PER_SECOND", "-1"))).hasMessageContaining("RATE_LIMIT");
    assertThatThrownBy(() -> config(Map.of("UPSTREAM_TIMEOUT_MS", "0"))).hasMessageContaining("UPSTREAM_TIMEOUT_MS");
    assertThatThrownBy(() -> config(Map.of("JWT_JWKS_URL", "https://idp/certs")))
        .hasMessageContaining("only one");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(new Env(Map.of())))
        .hasMessageContaining("JWT_HS256_SECRET, JWT_PUBLIC_KEY_PEM or JWT_JWKS_URL");
  }
}
