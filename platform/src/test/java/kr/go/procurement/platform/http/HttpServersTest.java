package kr.go.procurement.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
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
  void serverSentEventsStreamThroughTheBodyHandler(Vertx vertx) throws Exception {
    // The stream never ends: the client must see the first event while the response is still open.
    int port = TestServers.start(vertx, router -> router.get("/stream").handler(ctx -> ctx.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .write("data: {\"procNo\":\"p01\"}\n\n")));
    HttpClient http = vertx.createHttpClient();
    Promise<String> first = Promise.promise();
    http.request(new RequestOptions().setMethod(HttpMethod.GET).setPort(port).setHost("localhost").setURI("/stream"))
        .compose(HttpClientRequest::send)
        .onSuccess(response -> {
          // The handler is set on the event loop as the response arrives, so no chunk can slip past it.
          assertThat(response.statusCode()).isEqualTo(200);
          response.handler(chunk -> first.tryComplete(chunk.toString()));
        })
        .onFailure(first::tryFail);
    assertThat(first.future().await(10, TimeUnit.SECONDS)).isEqualTo("data: {\"procNo\":\"p01\"}\n\n");
  }

  @Test
  void accessLogRecordsMethodPathStatusDurationAndRequestId(Vertx vertx) {
    ch.qos.logback.classic.Logger access = (ch.qos.logback.classic.Logger)
        org.slf4j.LoggerFactory.getLogger("kr.go.procurement.platform.http.access");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
        new ch.qos.logback.core.read.ListAppender<>();
    events.start();
    ch.qos.logback.classic.Level before = access.getLevel();
    access.setLevel(ch.qos.logback.classic.Level.DEBUG);
    access.addAppender(events);
    try {
      int port = TestServers.start(vertx, router -> router.get("/x").handler(ctx -> ctx.end("ok")));
      WebClient.create(vertx).get(port, "localhost", "/x?q=1").putHeader(RequestId.HEADER, "req-42").send().await();
      // The end handler runs as the response completes, which the client may observe first.
      io.vertx.core.Promise<Void> logged = io.vertx.core.Promise.promise();
      vertx.setPeriodic(10, id -> {
        if (!events.list.isEmpty()) {
          vertx.cancelTimer(id);
          logged.tryComplete();
        }
      });
      logged.future().await();
      java.util.Map<String, Object> kv = new java.util.HashMap<>();
      events.list.get(0).getKeyValuePairs().forEach(p -> kv.put(p.key, p.value));
      assertThat(kv).containsEntry("method", "GET").containsEntry("path", "/x").containsEntry("status", 200)
          .containsEntry("requestId", "req-42").containsKey("durationMs");
    } finally {
      access.detachAppender(events);
      access.setLevel(before);
    }
  }

  @Test
  void overlongRequestLineAnswers414Problem(Vertx vertx) throws Exception {
    int port = TestServers.start(vertx, router -> { });
    RawAnswer answer = RawAnswer.of(port, "GET /" + "a".repeat(10 * 1024) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    answer.assertDecoderProblem(414, "URI too long");
  }

  @Test
  void oversizedHeadersAnswer431Problem(Vertx vertx) throws Exception {
    int port = TestServers.start(vertx, router -> { });
    RawAnswer answer = RawAnswer.of(port, "GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Big: "
        + "b".repeat(10 * 1024) + "\r\n\r\n");
    answer.assertDecoderProblem(431, "Request header fields too large");
  }

  @Test
  void garbledRequestAnswers400Problem(Vertx vertx) throws Exception {
    int port = TestServers.start(vertx, router -> { });
    RawAnswer answer = RawAnswer.of(port, "GET /health/live HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Length: lots\r\n\r\n");
    answer.assertDecoderProblem(400, "Bad request");
  }

  @Test
  void oversizedHeadersAnswer431ProblemToAVertxClientToo(Vertx vertx) {
    int port = TestServers.start(vertx, router -> { });
    HttpResponse<Buffer> response = WebClient.create(vertx).get(port, "localhost", "/health/live")
        .putHeader("X-Big", "b".repeat(10 * 1024)).send().await();
    assertThat(response.statusCode()).isEqualTo(431);
    assertThat(response.getHeader("Content-Type")).isEqualTo(Problems.CONTENT_TYPE);
    assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(431);
  }

  /** What a raw HTTP/1.1 exchange read to the end of the connection looked like (the server must close it). */
  private record RawAnswer(int status, java.util.Map<String, String> headers, String body) {

    static RawAnswer of(int port, String request) throws java.io.IOException {
      try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        // readAllBytes returns only at end of stream: a server that kept the connection open fails by timeout.
        String text = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        assertThat(split).as(text).isPositive();
        String[] lines = text.substring(0, split).split("\r\n");
        java.util.Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
          int colon = lines[i].indexOf(':');
          headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
        }
        return new RawAnswer(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(split + 4));
      }
    }

    void assertDecoderProblem(int expectedStatus, String expectedTitle) {
      assertThat(status).as(body).isEqualTo(expectedStatus);
      assertThat(headers.get("Content-Type")).isEqualTo(Problems.CONTENT_TYPE);
      assertThat(headers.get("Connection")).isEqualToIgnoringCase("close");
      assertThat(headers.get("Content-Length")).isEqualTo(
          Integer.toString(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
      io.vertx.core.json.JsonObject problem = new io.vertx.core.json.JsonObject(body);
      assertThat(problem.getInteger("status")).isEqualTo(expectedStatus);
      assertThat(problem.getString("type")).startsWith(Problem.TYPE_BASE);
      assertThat(problem.getString("title")).isEqualTo(expectedTitle);
      assertThat(problem.getString("detail")).isNotBlank();
      assertThat(problem.getString("requestId")).isNotBlank().isEqualTo(headers.get(RequestId.HEADER));
      // The request could not be read, so the problem names no instance (and echoes nothing the client sent).
      assertThat(problem.containsKey("instance")).isFalse();
    }
  }

  @Test
  void listenRecordsTheBoundPort(Vertx vertx) {
    int port = TestServers.start(vertx, router -> { });
    assertThat(vertx.sharedData().getLocalMap(HttpServers.PORTS_MAP).get("http")).isEqualTo(port);
  }
}
