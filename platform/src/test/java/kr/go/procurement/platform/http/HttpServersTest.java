package kr.go.procurement.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class HttpServersTest {

  @Test
  void platformRoutesAnswerBeforeServiceRoutes(Vertx vertx) {
    int port = TestServers.start(vertx, router -> router.get("/deliveryrequests").handler(ctx -> ctx.end("[]")));
    WebClient client = WebClient.create(vertx);
    assertThat(client.get(port, "localhost", "/health/live").send().await().statusCode()).isEqualTo(200);
    assertThat(client.get(port, "localhost", "/health/ready").send().await().statusCode()).isEqualTo(200);
    assertThat(client.get(port, "localhost", "/metrics").send().await().statusCode()).isEqualTo(200);
    assertThat(client.get(port, "localhost", "/deliveryrequests").send().await().bodyAsString()).isEqualTo("[]");
  }

  @Test
  void postToAHealthRouteIsA405Problem(Vertx vertx) {
    int port = TestServers.start(vertx, router -> { });
    HttpResponse<Buffer> response = WebClient.create(vertx).post(port, "localhost", "/health/live").send().await();
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.getHeader("Content-Type")).isEqualTo(Problems.CONTENT_TYPE);
  }

  @Test
  void serverSentEventsStreamThroughTheBodyHandler(Vertx vertx) {
    // The stream never ends: the client must see the first event while the response is still open.
    int port = TestServers.start(vertx, router -> router.get("/stream").handler(ctx -> ctx.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .write("data: {\"procNo\":\"p01\"}\n\n")));
    HttpClient http = vertx.createHttpClient();
    HttpClientResponse response = http.request(new RequestOptions().setMethod(HttpMethod.GET).setPort(port)
        .setHost("localhost").setURI("/stream")).compose(req -> req.send()).await();
    assertThat(response.statusCode()).isEqualTo(200);
    io.vertx.core.Promise<String> first = io.vertx.core.Promise.promise();
    response.handler(chunk -> first.tryComplete(chunk.toString()));
    assertThat(first.future().await()).isEqualTo("data: {\"procNo\":\"p01\"}\n\n");
  }

  @Test
  void listenRecordsTheBoundPort(Vertx vertx) {
    int port = TestServers.start(vertx, router -> { });
    assertThat(vertx.sharedData().getLocalMap(HttpServers.PORTS_MAP).get("http")).isEqualTo(port);
  }
}
