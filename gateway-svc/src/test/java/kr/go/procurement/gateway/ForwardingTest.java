package kr.go.procurement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import kr.go.procurement.platform.config.Env;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a request and its answer look like on either side of the gateway, byte for byte on the client's side (raw
 * sockets, so that hop-by-hop headers and HTTP/1.0 can be sent): the hop-by-hop headers stay on their hop, the
 * service sees its own address as {@code Host}, a body goes on with its length, and the answer carries the service's
 * headers, one request id and a {@code Date}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardingTest {

  private static final String TOKEN = TestTokens.token("forwarding-1", null, "agency");

  private final Vertx vertx = Vertx.vertx();
  /** What the service received last: method, uri, headers (lower-case names, repeated ones joined by |), body. */
  private final AtomicReference<JsonObject> received = new AtomicReference<>();
  private HttpServer service;
  private GatewaySystem.Gateway gateway;

  /** A response from raw bytes: status line, headers (lower-case names, in order, repeats kept) and body. */
  record Raw(String statusLine, List<String[]> headers, String body) {
    List<String> all(String name) {
      return headers.stream().filter(h -> h[0].equals(name)).map(h -> h[1]).toList();
    }

    String one(String name) {
      List<String> values = all(name);
      assertThat(values).as(name).hasSizeLessThanOrEqualTo(1);
      return values.isEmpty() ? null : values.get(0);
    }
  }

  @BeforeAll
  void start() {
    service = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      JsonObject headers = new JsonObject();
      req.headers().forEach((name, value) -> {
        String n = name.toLowerCase(Locale.ROOT);
        headers.put(n, headers.containsKey(n) ? headers.getString(n) + "|" + value : value);
      });
      received.set(new JsonObject().put("method", req.method().name()).put("uri", req.uri())
          .put("headers", headers).put("body", body.toString()));
      HttpServerResponse res = req.response()
          .putHeader("Content-Type", "application/json")
          .putHeader("X-Service", "yes")
          .putHeader("Keep-Alive", "timeout=5")
          .putHeader("Connection", "keep-alive")
          .putHeader("X-Request-Id", "set-by-the-service");
      if (req.getParam("dated") != null) {
        res.putHeader("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
        res.headers().add("Warning", "110 svc \"stale\" \"Sun, 06 Nov 1994 08:49:37 GMT\"")
            .add("Warning", "112 svc \"other\" \"Mon, 07 Nov 1994 08:49:37 GMT\"")
            .add("Warning", "199 svc undated");
      }
      if (req.getParam("chunked") != null) {
        res.setChunked(true).write("{\"part\":");
        vertx.setTimer(20, id -> res.end("1}"));
      } else {
        res.end("{\"ok\":true}");
      }
    })).listen(0, "127.0.0.1").await();
    String url = "http://127.0.0.1:" + service.actualPort();
    Map<String, String> settings = new HashMap<>();
    settings.put("HTTP_PORT", "0");
    for (String name : new String[] {"REQUEST_URL", "MANAGEMENT_URL", "DELIVERY_URL", "STATUS_VIEW_URL",
        "NOTIFICATION_URL"}) {
      settings.put(name, url);
    }
    settings.put("JWT_HS256_SECRET", TestTokens.SECRET);
    settings.put("ACCESS_LOG", "false");
    GatewayVerticle verticle = new GatewayVerticle(GatewayConfig.fromEnv(new Env(settings)));
    String id = vertx.deployVerticle(verticle).await();
    gateway = new GatewaySystem.Gateway(id, verticle.actualPort(), new Http(verticle.actualPort()));
  }

  @AfterAll
  void stop() {
    vertx.close().await();
  }

  @Test
  void hopByHopHeadersStayOnTheirHopAndTheServiceSeesItsOwnHost() throws IOException {
    String body = "{\"procNo\":\"f-1\"}";
    Raw answer = exchange("POST /deliveryrequests?a=1&b=%20 HTTP/1.1\r\n"
        + "Host: gateway.example:8088\r\n"
        + "Authorization: Bearer " + TOKEN + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\n"
        + "Connection: close, X-Hop\r\n"
        + "X-Hop: only-to-the-gateway\r\n"
        + "Keep-Alive: timeout=1\r\n"
        + "TE: trailers\r\n"
        + "Trailer: X-Nothing\r\n"
        + "Proxy-Authorization: Basic eDp5\r\n"
        + "X-Kept: kept\r\n"
        + "\r\n"
        + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");
    assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");

    JsonObject seen = received.get();
    JsonObject headers = seen.getJsonObject("headers");
    assertThat(seen.getString("method")).isEqualTo("POST");
    assertThat(seen.getString("uri")).isEqualTo("/deliveryrequests?a=1&b=%20");
    assertThat(seen.getString("body")).isEqualTo(body);
    assertThat(headers.getString("content-length")).isEqualTo(Integer.toString(body.length()));
    assertThat(headers.getString("host")).isEqualTo("127.0.0.1:" + service.actualPort());
    assertThat(headers.getString("x-forwarded-host")).isEqualTo("gateway.example:8088");
    assertThat(headers.getString("x-kept")).isEqualTo("kept");
    assertThat(headers.getString("content-type")).isEqualTo("application/json");
    assertThat(headers.getString("x-user-id")).isEqualTo("forwarding-1");
    assertThat(headers.fieldNames()).doesNotContain("transfer-encoding", "x-hop", "te", "trailer",
        "proxy-authorization", "authorization");
    assertThat(headers.getString("connection", "keep-alive")).isEqualTo("keep-alive");
    assertThat(headers.getString("keep-alive")).isNull();
  }

  @Test
  void theAnswerCarriesTheServicesHeadersOneRequestIdAndADate() throws IOException {
    Raw answer = get("/deliveryrequests/1", "HTTP/1.1", "X-Request-Id: trace-f1\r\n");
    assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
    assertThat(answer.all("x-request-id")).containsExactly("trace-f1");
    assertThat(answer.one("x-service")).isEqualTo("yes");
    assertThat(answer.one("content-type")).isEqualTo("application/json");
    assertThat(answer.one("content-length")).isEqualTo("11");
    assertThat(answer.body()).isEqualTo("{\"ok\":true}");
    assertThat(answer.all("keep-alive")).isEmpty();
    // The service sent none: the gateway's own clock, as an HTTP date.
    assertThat(answer.one("date")).matches("[A-Z][a-z]{2}, \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    assertThat(answer.all("warning")).isEmpty();
  }

  @Test
  void theServicesDateIsKeptAndWarningsOfAnotherDateDropped() throws IOException {
    for (int i = 0; i < 2; i++) {
      Raw answer = get("/deliveryrequests/1?dated=1", "HTTP/1.1", "");
      assertThat(answer.one("date")).isEqualTo("Sun, 6 Nov 1994 08:49:37 GMT");
      assertThat(answer.all("warning")).containsExactly("110 svc \"stale\" \"Sun, 06 Nov 1994 08:49:37 GMT\"",
          "199 svc undated");
    }
  }

  @Test
  void aChunkedAnswerStaysChunkedExceptForAnHttp10Client() throws IOException {
    Raw chunked = get("/deliveryrequests/1?chunked=1", "HTTP/1.1", "");
    assertThat(chunked.one("transfer-encoding")).isEqualTo("chunked");
    assertThat(chunked.all("content-length")).isEmpty();
    assertThat(chunked.body()).isEqualTo("{\"part\":1}");

    Raw http10 = get("/deliveryrequests/1?chunked=1", "HTTP/1.0", "");
    assertThat(http10.statusLine()).startsWith("HTTP/1.0 200");
    assertThat(http10.all("transfer-encoding")).isEmpty();
    assertThat(http10.one("content-length")).isEqualTo("10");
    assertThat(http10.body()).isEqualTo("{\"part\":1}");
  }

  private Raw get(String path, String version, String moreHeaders) throws IOException {
    return exchange("GET " + path + " " + version + "\r\nHost: 127.0.0.1:" + gateway.port() + "\r\n"
        + "Authorization: Bearer " + TOKEN + "\r\nConnection: close\r\n" + moreHeaders + "\r\n");
  }

  /** Sends {@code request} on a new connection and reads one answer (by its length, its chunks, or to the end). */
  private Raw exchange(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      String text;
      while (!(text = all.toString(StandardCharsets.UTF_8)).contains("\r\n\r\n")) {
        assertThat(readSome(in, all)).as("an answer before the connection closed").isTrue();
      }
      int end = text.indexOf("\r\n\r\n");
      String[] lines = text.substring(0, end).split("\r\n");
      List<String[]> headers = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.add(new String[] {lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim()});
      }
      boolean chunked = headers.stream().anyMatch(h -> h[0].equals("transfer-encoding") && h[1].equals("chunked"));
      String length = headers.stream().filter(h -> h[0].equals("content-length")).map(h -> h[1]).findFirst()
          .orElse(null);
      while (true) {
        String body = all.toString(StandardCharsets.UTF_8).substring(end + 4);
        if (chunked && body.endsWith("0\r\n\r\n")) {
          return new Raw(lines[0], headers, dechunk(body));
        }
        if (!chunked && length != null && body.getBytes(StandardCharsets.UTF_8).length >= Integer.parseInt(length)) {
          return new Raw(lines[0], headers, body);
        }
        if (!readSome(in, all)) {
          return new Raw(lines[0], headers, body);
        }
      }
    }
  }

  /** Appends what arrives next; false at the end of the stream. */
  private static boolean readSome(InputStream in, ByteArrayOutputStream to) throws IOException {
    byte[] buffer = new byte[8192];
    int n = in.read(buffer);
    if (n < 0) {
      return false;
    }
    to.write(buffer, 0, n);
    return true;
  }

  private static String dechunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int pos = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", pos);
      int size = Integer.parseInt(chunked.substring(pos, lineEnd).trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      pos = lineEnd + 2 + size + 2;
    }
  }
}
