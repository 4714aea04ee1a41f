package kr.go.procurement.management;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import kr.go.procurement.platform.config.Env;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test-only slow-down switch: absent unless FAULT_INJECTION=true, and then it delays the API, not health. */
@RealInfra
@ExtendWith(VertxExtension.class)
class FaultInjectionTest {

  @Test
  void absentByDefault(Vertx vertx) throws Exception {
    assertThat(ManagementConfig.fromEnv(new Env(Map.of())).faultInjection()).isFalse();
    int port = deploy(vertx, Map.of());
    WebClient web = WebClient.create(vertx);
    assertThat(send(web, HttpMethod.POST, port, "/faults/delay?ms=1500").statusCode()).isEqualTo(404);
    assertThat(send(web, HttpMethod.DELETE, port, "/faults/delay").statusCode()).isEqualTo(404);
    assertThat(send(web, HttpMethod.GET, port, "/faults/delay").statusCode()).isEqualTo(404);
    assertThat(send(web, HttpMethod.GET, port, "/deliverymanagements").statusCode()).isEqualTo(200);
  }

  @Test
  void delaysTheApiWhileSwitchedOn(Vertx vertx) throws Exception {
    int port = deploy(vertx, Map.of("FAULT_INJECTION", "true"));
    WebClient web = WebClient.create(vertx);
    // The delay is long, so that "not delayed" holds with a wide margin even on a machine busy with other builds
    // (a bound of 400 ms once failed at 402 ms there).
    assertThat(millis(web, port, "/deliverymanagements")).isLessThan(2_000);

    HttpResponse<Buffer> on = send(web, HttpMethod.POST, port, "/faults/delay?ms=2000");
    assertThat(on.statusCode()).isEqualTo(200);
    assertThat(on.bodyAsJsonObject().getLong("delayMs")).isEqualTo(2_000L);
    assertThat(millis(web, port, "/deliverymanagements")).isGreaterThanOrEqualTo(2_000);
    assertThat(millis(web, port, "/deliverymanagements/inspection-results/p1")).isGreaterThanOrEqualTo(2_000);
    assertThat(millis(web, port, "/health/ready")).isLessThan(2_000);
    // a wrong method is still a 405 behind the delay, not a 404
    assertThat(send(web, HttpMethod.POST, port, "/deliverymanagements/1").statusCode()).isEqualTo(405);

    assertThat(send(web, HttpMethod.DELETE, port, "/faults/delay").statusCode()).isEqualTo(204);
    assertThat(millis(web, port, "/deliverymanagements")).isLessThan(2_000);

    HttpResponse<Buffer> bad = send(web, HttpMethod.POST, port, "/faults/delay?ms=nope");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(send(web, HttpMethod.POST, port, "/faults/delay?ms=600001").statusCode()).isEqualTo(400);
  }

  private static int deploy(Vertx vertx, Map<String, String> extra) throws Exception {
    Infra infra = Infra.get();
    Map<String, String> env = infra.env(infra.newDatabase(), infra.newTopic(1), null);
    ManagementVerticle verticle = new ManagementVerticle(ManagementConfig.fromEnv(
        new Env(env).with(Map.of("HTTP_PORT", "0")).with(extra)));
    vertx.deployVerticle(verticle).await(60, SECONDS);
    return verticle.actualPort();
  }

  private static HttpResponse<Buffer> send(WebClient web, HttpMethod method, int port, String path) throws Exception {
    return web.request(method, port, "127.0.0.1", path).send().await(30, SECONDS);
  }

  private static long millis(WebClient web, int port, String path) throws Exception {
    long start = System.nanoTime();
    HttpMethod method = path.contains("inspection-results") ? HttpMethod.PUT : HttpMethod.GET;
    send(web, method, port, path);
    return (System.nanoTime() - start) / 1_000_000;
  }
}
