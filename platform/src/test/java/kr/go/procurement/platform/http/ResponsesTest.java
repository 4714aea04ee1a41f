package kr.go.procurement.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ResponsesTest {

  private WebClient client;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    port = TestServers.start(vertx, router -> {
      router.post("/echo").handler(ctx -> Responses.ok(ctx, JsonBody.object(ctx)));
      router.post("/deliveryrequests").handler(ctx -> Responses.created(ctx, "/deliveryrequests/1",
          Hal.resource(ctx, JsonBody.object(ctx).put("id", 1), "/deliveryrequests/1", "deliveryRequest")));
      router.delete("/deliveryrequests/:id").handler(Responses::noContent);
      router.get("/plain").handler(ctx -> Responses.json(ctx, 202, new JsonObject().put("accepted", true)));
    });
    client = WebClient.create(vertx);
  }

  @Test
  void koreanTextRoundTripsByteForByte() {
    String json = "{\"procTitle\":\"조달요청서 — 납품요구\",\"procAgency\":\"수요기관\"}";
    byte[] sent = json.getBytes(StandardCharsets.UTF_8);
    HttpResponse<Buffer> response = client.post(port, "localhost", "/echo")
        .putHeader("Content-Type", "application/json; charset=UTF-8")
        .sendBuffer(Buffer.buffer(sent)).await();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo(Hal.CONTENT_TYPE);
    assertThat(response.body().getBytes()).isEqualTo(sent);
  }

  @Test
  void charactersOutsideTheBasicPlaneRoundTripAsTheSameText() {
    // Jackson writes them as surrogate-pair escapes: different bytes, the same JSON string.
    JsonObject sent = new JsonObject().put("procTitle", "납품 🚚");
    HttpResponse<Buffer> response = client.post(port, "localhost", "/echo").sendJsonObject(sent).await();
    assertThat(response.bodyAsJsonObject()).isEqualTo(sent);
  }

  @Test
  void createdAnswers201WithAbsoluteLocationAndTheResource() {
    HttpResponse<Buffer> response = client.post(port, "localhost", "/deliveryrequests")
        .sendJsonObject(new JsonObject().put("procNo", "p01")).await();
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.getHeader("Location")).isEqualTo("http://localhost:" + port + "/deliveryrequests/1");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("procNo")).isEqualTo("p01");
    assertThat(body.getJsonObject("_links").getJsonObject("self").getString("href"))
        .isEqualTo("http://localhost:" + port + "/deliveryrequests/1");
    assertThat(body.getJsonObject("_links").getJsonObject("deliveryRequest").getString("href"))
        .isEqualTo("http://localhost:" + port + "/deliveryrequests/1");
  }

  @Test
  void noContentAnswers204WithoutBody() {
    HttpResponse<Buffer> response = client.delete(port, "localhost", "/deliveryrequests/1").send().await();
    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.body()).isNull();
  }

  @Test
  void jsonAnswersPlainApplicationJson() {
    HttpResponse<Buffer> response = client.get(port, "localhost", "/plain").send().await();
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(response.bodyAsJsonObject().getBoolean("accepted")).isTrue();
  }
}
