package kr.go.procurement.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import kr.go.procurement.platform.health.Readiness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Once a service is told to stop, its callers must stop reusing their keep-alive connections to it before its
 * listener closes: every answer carries {@code Connection: close}, and the connection closes after that answer.
 */
@ExtendWith(VertxExtension.class)
class DrainingTest {

  private static final byte[] REQUEST = "GET /deliveryrequests HTTP/1.1\r\nHost: localhost\r\n\r\n"
      .getBytes(StandardCharsets.US_ASCII);

  @Test
  void whileDrainingEveryAnswerClosesItsKeepAliveConnectionAfterTheResponse(Vertx vertx) throws Exception {
    Readiness readiness = Readiness.create(vertx);
    readiness.markStarted();
    int port = TestServers.start(vertx, readiness, router -> router.get("/deliveryrequests")
        .handler(ctx -> ctx.end("[]")));
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();

      out.write(REQUEST);
      String before = readResponse(in);
      assertThat(before).startsWith("http/1.1 200").doesNotContain("connection: close");

      readiness.markDraining();
      out.write(REQUEST);
      String during = readResponse(in);
      assertThat(during).as("the in-flight answer is complete").startsWith("http/1.1 200").endsWith("[]")
          .contains("connection: close");
      assertThat(in.read()).as("then the server closes the connection").isEqualTo(-1);
    }
  }

  /** One response with a Content-Length body, lower-cased headers. */
  private static String readResponse(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("connection closed before the headers ended: " + head);
      }
      head.append((char) b);
    }
    String headers = head.toString().toLowerCase(Locale.ROOT);
    int at = headers.indexOf("content-length:");
    int length = Integer.parseInt(headers.substring(at + 15, headers.indexOf("\r\n", at)).trim());
    return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
