package kr.go.procurement.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import kr.go.procurement.platform.http.Problem.FieldError;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ProblemsTest {

  private WebClient client;
  private int port;
  private final java.util.concurrent.CompletableFuture<Void> hungUpArrived = new java.util.concurrent.CompletableFuture<>();
  private final java.util.concurrent.CompletableFuture<Void> hungUpHandled = new java.util.concurrent.CompletableFuture<>();

  @BeforeEach
  void start(Vertx vertx) {
    port = TestServers.start(vertx, router -> {
      router.post("/echo").handler(ctx -> Responses.ok(ctx, JsonBody.object(ctx)));
      router.get("/boom").handler(ctx -> {
        throw new IllegalStateException("connection to pg-primary.internal:5432 failed: SELECT * FROM secret");
      });
      router.get("/unavailable").handler(ctx -> {
        throw Problem.unavailable("Management is not answering; try again later", 7);
      });
      router.get("/forbidden").handler(ctx -> ctx.fail(403));
      router.get("/things/:id").handler(ctx -> Responses.ok(ctx, new JsonObject().put("id", ctx.pathParam("id"))));
      router.get("/conflict").handler(ctx ->
          Future.failedFuture(Problem.conflict("procNo p01 already exists")).onFailure(ctx::fail));
      router.get("/validation").handler(ctx -> {
        throw Problem.validation(List.of(new FieldError("procNo", "is required"),
            new FieldError("procPrice", "must be a whole number")));
      });
      router.get("/hung-up").handler(ctx -> {
        ctx.request().connection().closeHandler(v -> {
          ctx.fail(new io.vertx.core.VertxException("Connection was closed"));
          hungUpHandled.complete(null); // the failure handler has run (ctx.fail calls it before returning)
        });
        hungUpArrived.complete(null);
      });
      router.get("/half-written").handler(ctx -> {
        ctx.response().putHeader("Location", "/x/1").putHeader("Content-Type", Hal.CONTENT_TYPE);
        throw new IllegalStateException("failed after headers were prepared");
      });
    });
    client = WebClient.create(vertx);
  }

  private HttpResponse<Buffer> post(String path, String body) {
    return client.post(port, "localhost", path).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body)).await();
  }

  private HttpResponse<Buffer> get(String path) {
    return client.get(port, "localhost", path).send().await();
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status, String instance) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo(Problems.CONTENT_TYPE);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("type")).isNotBlank();
    assertThat(body.getString("title")).isNotBlank();
    assertThat(body.getString("detail")).isNotBlank();
    assertThat(body.getString("instance")).isEqualTo(instance);
    assertThat(body.getString("requestId")).isEqualTo(response.getHeader(RequestId.HEADER));
  }

  @Test
  void aClientHangingUpIsNotLoggedAsAServerError() throws Exception {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Problems.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
        new ch.qos.logback.core.read.ListAppender<>();
    events.start();
    logger.addAppender(events);
    try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
      socket.getOutputStream().write("GET /hung-up HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes());
      socket.getOutputStream().flush();
      hungUpArrived.get(20, java.util.concurrent.TimeUnit.SECONDS); // hang up only once the request is being handled
    }
    hungUpHandled.get(20, java.util.concurrent.TimeUnit.SECONDS);
    // the server still works, and the hang-up left no ERROR line (nothing failed on our side)
    assertProblem(get("/boom"), 500, "/boom");
    logger.detachAppender(events);
    assertThat(events.list).extracting(e -> e.getLevel() + " " + e.getMDCPropertyMap() + " " + e.getKeyValuePairs())
        .filteredOn(line -> line.contains("hung-up")).isEmpty();
    assertThat(events.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR).hasSize(1);
  }

  @Test
  void malformedJsonIsA400Problem() {
    HttpResponse<Buffer> response = post("/echo", "{\"procNo\": ");
    assertProblem(response, 400, "/echo");
    assertThat(response.bodyAsJsonObject().getString("detail")).contains("not valid JSON");
  }

  @Test
  void arrayBodyIsA400Problem() {
    HttpResponse<Buffer> response = post("/echo", "[{\"procNo\":\"p01\"}]");
    assertProblem(response, 400, "/echo");
    assertThat(response.bodyAsJsonObject().getString("detail")).contains("must be a JSON object");
  }

  @Test
  void scalarAndMissingBodiesAre400Problems() {
    assertProblem(post("/echo", "\"just text\""), 400, "/echo");
    assertProblem(post("/echo", "42"), 400, "/echo");
    assertProblem(post("/echo", "null"), 400, "/echo");
    assertProblem(post("/echo", ""), 400, "/echo");
  }

  @Test
  void unknownRouteIsA404Problem() {
    HttpResponse<Buffer> response = get("/nothing-here");
    assertProblem(response, 404, "/nothing-here");
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo(Problem.TYPE_BASE + "not-found");
  }

  @Test
  void wrongMethodOnAKnownPathIsA405Problem() {
    HttpResponse<Buffer> response = client.delete(port, "localhost", "/echo").send().await();
    assertProblem(response, 405, "/echo");
  }

  @Test
  void bodyOver64KiBIsA413Problem() {
    String big = "{\"procContents\":\"" + "가".repeat(30_000) + "\"}"; // 90 000 bytes in UTF-8
    HttpResponse<Buffer> response = post("/echo", big);
    assertProblem(response, 413, "/echo");
  }

  @Test
  void bodyJustUnderTheLimitIsAccepted() {
    String body = "{\"procContents\":\"" + "a".repeat((int) HttpServers.BODY_LIMIT - 100) + "\"}";
    assertThat(post("/echo", body).statusCode()).isEqualTo(200);
  }

  @Test
  void unexpectedExceptionIsA500WithoutInternals() {
    HttpResponse<Buffer> response = get("/boom");
    assertProblem(response, 500, "/boom");
    String text = response.bodyAsString();
    assertThat(text).doesNotContain("pg-primary", "SELECT", "IllegalStateException", "secret", "at kr.go");
    assertThat(response.bodyAsJsonObject().getString("detail")).isEqualTo("The server could not complete the request");
  }

  @Test
  void problemWithRetryAfterSetsTheHeader() {
    HttpResponse<Buffer> response = get("/unavailable");
    assertProblem(response, 503, "/unavailable");
    assertThat(response.getHeader("Retry-After")).isEqualTo("7");
    assertThat(response.bodyAsJsonObject().getString("detail")).isEqualTo("Management is not answering; try again later");
  }

  @Test
  void failWithStatusCodeGivesTheMatchingProblem() {
    HttpResponse<Buffer> response = get("/forbidden");
    assertProblem(response, 403, "/forbidden");
    assertThat(response.bodyAsJsonObject().getString("title")).isEqualTo("Forbidden");
  }

  @Test
  void problemPassedToFailKeepsItsStatusAndDetail() {
    HttpResponse<Buffer> response = get("/conflict");
    assertProblem(response, 409, "/conflict");
    assertThat(response.bodyAsJsonObject().getString("detail")).isEqualTo("procNo p01 already exists");
  }

  @Test
  void validationProblemListsEveryFieldError() {
    HttpResponse<Buffer> response = get("/validation");
    assertProblem(response, 400, "/validation");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("title")).isEqualTo("Validation failed");
    assertThat(body.getJsonArray("errors").getList()).hasSize(2);
    assertThat(body.getJsonArray("errors").getJsonObject(0))
        .isEqualTo(new JsonObject().put("field", "procNo").put("message", "is required"));
  }

  @Test
  void headersPreparedForASuccessDoNotLeakIntoTheProblem() {
    HttpResponse<Buffer> response = get("/half-written");
    assertProblem(response, 500, "/half-written");
    assertThat(response.getHeader("Location")).isNull();
  }

  @Test
  void saneRequestIdIsEchoedAndInsaneOneReplaced() {
    HttpResponse<Buffer> kept = client.get(port, "localhost", "/nothing").putHeader(RequestId.HEADER, "abc-123")
        .send().await();
    assertThat(kept.getHeader(RequestId.HEADER)).isEqualTo("abc-123");
    assertThat(kept.bodyAsJsonObject().getString("requestId")).isEqualTo("abc-123");

    HttpResponse<Buffer> replaced = client.get(port, "localhost", "/nothing")
        .putHeader(RequestId.HEADER, "x".repeat(500)).send().await();
    assertThat(replaced.getHeader(RequestId.HEADER)).isNotBlank().hasSizeLessThan(129);
  }

  @Test
  void generatedRequestIdIsPresentWithoutOne() {
    assertThat(get("/nothing").getHeader(RequestId.HEADER)).isNotBlank();
  }

  @Test
  void toProblemMapsStatusCodesAndExceptions() {
    assertThat(Problems.toProblem(null, 404).status()).isEqualTo(404);
    assertThat(Problems.toProblem(null, 413).status()).isEqualTo(413);
    assertThat(Problems.toProblem(new io.vertx.core.json.DecodeException("bad"), -1).status()).isEqualTo(400);
    assertThat(Problems.toProblem(new io.vertx.ext.web.handler.HttpException(400, "bad query"), -1).status())
        .isEqualTo(400);
    assertThat(Problems.toProblem(new RuntimeException("x"), -1).status()).isEqualTo(500);
    assertThat(Problems.toProblem(new RuntimeException("x"), 500).detail())
        .isEqualTo("The server could not complete the request");
    assertThat(Problems.toProblem(null, 429).title()).isEqualTo("Too Many Requests");
    assertThat(Problems.toProblem(null, 429).type()).isEqualTo("about:blank");
  }

  @Test
  void aDomainRuleViolationIsAConflictWithItsMessage() {
    Problem problem = Problems.toProblem(
        new kr.go.procurement.platform.domain.RuleViolation("Procurement p01 is cancelled."), -1);
    assertThat(problem.status()).isEqualTo(409);
    assertThat(problem.detail()).isEqualTo("Procurement p01 is cancelled.");
  }

  @Test
  void aMalformedPercentEscapeInThePathIsA400Problem() {
    HttpResponse<Buffer> response = get("/things/%zz");
    assertProblem(response, 400, "/things/%zz");
    HttpResponse<Buffer> truncated = get("/things/ab%2");
    assertThat(truncated.statusCode()).isEqualTo(400);
  }

  @Test
  void aDatabaseOrBrokerOutageIsA503WithRetryAfterNotA500() {
    Problem closed = Problems.toProblem(io.vertx.sqlclient.ClosedConnectionException.INSTANCE, -1);
    assertThat(closed.status()).isEqualTo(503);
    assertThat(closed.retryAfterSeconds()).isEqualTo(5L);
    Problem refused = Problems.toProblem(new RuntimeException(new java.net.ConnectException("Connection refused")), -1);
    assertThat(refused.status()).isEqualTo(503);
    // what a pooled connection reports when PostgreSQL restarts under it (seen in the PostgreSQL-restart scenario)
    Problem reset = Problems.toProblem(new java.net.SocketException("Connection reset"), -1);
    assertThat(reset.status()).isEqualTo(503);
    assertThat(Problems.toProblem(new IllegalStateException("a bug"), -1).status()).isEqualTo(500);
  }
}
