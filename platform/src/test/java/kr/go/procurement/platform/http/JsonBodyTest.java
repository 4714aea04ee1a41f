package kr.go.procurement.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link JsonBody}: strict about what JSON and UTF-8 are, as lenient as before about everything else. */
@ExtendWith(VertxExtension.class)
class JsonBodyTest {

  private WebClient client;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    port = TestServers.start(vertx, router -> {
      router.post("/echo").handler(ctx -> Responses.ok(ctx, JsonBody.object(ctx)));
      // What the handler received, with the Java type of each value (the echo alone would hide Long vs BigInteger).
      router.post("/types").handler(ctx -> {
        JsonObject body = JsonBody.object(ctx);
        JsonObject types = new JsonObject();
        body.forEach(e -> types.put(e.getKey(), e.getValue() == null ? "null" : e.getValue().getClass().getSimpleName()));
        Responses.ok(ctx, types);
      });
    });
    client = WebClient.create(vertx);
  }

  private HttpResponse<Buffer> post(String path, byte[] body) {
    return client.post(port, "localhost", path).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body)).await();
  }

  private HttpResponse<Buffer> post(String path, String body) {
    return post(path, body.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] procNoWith(byte[] invalid) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("{\"procNo\":\"p".getBytes(StandardCharsets.UTF_8));
    out.writeBytes(invalid);
    out.writeBytes("\",\"procTitle\":\"t\"}".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static void assertBadRequest(HttpResponse<Buffer> response, String detail) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    assertThat(response.getHeader("Content-Type")).isEqualTo(Problems.CONTENT_TYPE);
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(400);
    assertThat(problem.getString("type")).isEqualTo(Problem.TYPE_BASE + "bad-request");
    assertThat(problem.getString("detail")).isEqualTo(detail);
    assertThat(problem.getString("instance")).isEqualTo("/echo");
  }

  @Test
  void invalidUtf8InTheBodyIsA400Problem() {
    List<byte[]> invalid = List.of(
        new byte[] {(byte) 0xff},                                                      // never a UTF-8 byte
        new byte[] {(byte) 0xfe, (byte) 0xff},                                         // a UTF-16 byte-order mark
        new byte[] {(byte) 0x80},                                                      // a lone continuation byte
        new byte[] {(byte) 0xc0, (byte) 0xaf},                                         // overlong '/'
        new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},                            // an encoded surrogate
        new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},  // a 5-byte form
        new byte[] {(byte) 0xe2, (byte) 0x28, (byte) 0xa1},                            // a broken 3-byte sequence
        new byte[] {(byte) 0xea, (byte) 0xb0});                                        // '가' cut short
    for (byte[] bytes : invalid) {
      assertBadRequest(post("/echo", procNoWith(bytes)), "The request body is not valid UTF-8");
    }
    // Outside a string, too: the body is refused before it is parsed.
    assertBadRequest(post("/echo", new byte[] {'{', (byte) 0xff, '}'}), "The request body is not valid UTF-8");
  }

  @Test
  void jsonWithCommentsIsA400Problem() {
    for (String body : List.of("/* c */ {\"procNo\":\"p01\"}", "// c\n{\"procNo\":\"p01\"}",
        "{\"procNo\":\"p01\" /* c */}", "{\"procNo\":\"p01\"} // c", "{\"procNo\":/**/\"p01\"}",
        "# c\n{\"procNo\":\"p01\"}")) {
      assertBadRequest(post("/echo", body), "The request body is not valid JSON");
    }
  }

  @Test
  void validUtf8IncludingKoreanAndAstralCharactersIsAccepted() {
    JsonObject sent = new JsonObject().put("procTitle", "조달요청서 — 납품요구 🚚").put("procAgency", "수요기관");
    HttpResponse<Buffer> response = post("/echo", sent.encode());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject()).isEqualTo(sent);
  }

  @Test
  void aLeadingUtf8ByteOrderMarkIsStillSkipped() {
    byte[] json = "{\"procNo\":\"p01\"}".getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[json.length + 3];
    withBom[0] = (byte) 0xef;
    withBom[1] = (byte) 0xbb;
    withBom[2] = (byte) 0xbf;
    System.arraycopy(json, 0, withBom, 3, json.length);
    HttpResponse<Buffer> response = post("/echo", withBom);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("procNo")).isEqualTo("p01");
  }

  @Test
  void numbersKeepTheirJavaTypesSoTheValidatorSeesWhatItSawBefore() {
    String big = "123456789012345678901234567890";
    HttpResponse<Buffer> response = post("/types", "{\"i\":1,\"l\":9007199254740993,\"b\":" + big
        + ",\"d\":2.5,\"e\":1e400,\"t\":true,\"s\":\"true\",\"n\":null,\"o\":{},\"a\":[]}");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject()
        .put("i", "Integer").put("l", "Long").put("b", "BigInteger").put("d", "Double").put("e", "Double")
        .put("t", "Boolean").put("s", "String").put("n", "null").put("o", "JsonObject").put("a", "JsonArray"));
    JsonObject echoed = post("/echo", "{\"b\":" + big + "}").bodyAsJsonObject();
    assertThat(echoed.getValue("b")).isEqualTo(new BigInteger(big));
  }

  @Test
  void nestingUpToTheParserLimitIsAcceptedAndDeeperIsA400Problem() {
    // Jackson's default StreamReadConstraints allow 1000 levels; the outer object is one of them.
    String ok = "{\"procNo\":" + "[".repeat(999) + "]".repeat(999) + "}";
    assertThat(post("/echo", ok).statusCode()).isEqualTo(200);
    String tooDeep = "{\"procNo\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}";
    assertBadRequest(post("/echo", tooDeep), "The request body is not valid JSON");
  }

  @Test
  void numbersUpToTheParserLimitAreAcceptedAndLongerOnesAre400Problems() {
    assertThat(post("/echo", "{\"n\":" + "9".repeat(1000) + "}").statusCode()).isEqualTo(200);
    assertBadRequest(post("/echo", "{\"n\":" + "9".repeat(1001) + "}"), "The request body is not valid JSON");
  }

  @Test
  void duplicateKeysKeepTheLastValueAsBefore() {
    HttpResponse<Buffer> response = post("/echo", "{\"procNo\":\"a\",\"procNo\":\"b\"}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("procNo")).isEqualTo("b");
  }

  @Test
  void otherMalformedJsonIsStillA400Problem() {
    for (String body : List.of("{'procNo':'p'}", "{\"procNo\":\"p\",}", "{procNo:1}", "{\"procNo\":NaN}",
        "{\"a\":1}{\"b\":2}", "{\"procNo\":01}", "{\"procNo\": ")) {
      assertBadRequest(post("/echo", body), "The request body is not valid JSON");
    }
  }
}
