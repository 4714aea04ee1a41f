package kr.go.procurement.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP/1.1 by hand, one connection per request ({@code Connection: close}): sends exactly the bytes a hostile client
 * would, including request targets no URI class accepts ({@code /x/%}, {@code %zz}), and reads whatever comes back.
 * No keep-alive either, so an answer can never be lost to a pooled connection the server had closed.
 */
final class RawHttp {

  private RawHttp() {
  }

  static Http.Answer send(String base, String method, String target, Map<String, String> headers, byte[] body) {
    URI uri = URI.create(base);
    long start = System.nanoTime();
    long at = System.currentTimeMillis();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
      socket.setSoTimeout(30_000);
      StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      head.append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
      head.append("Connection: close\r\n");
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      if (body != null) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.UTF_8));
      if (body != null) {
        try {
          out.write(body);
        } catch (IOException refusedMidway) {
          // a server may answer (413) and close before reading a large body: its answer is still there to read
        }
      }
      out.flush();
      byte[] response = readAll(socket.getInputStream());
      return parse(method, target, response, at, (System.nanoTime() - start) / 1_000_000);
    } catch (IOException e) {
      return new Http.Answer(method, target, -1, e.toString(), HttpHeaders.of(Map.of(), (a, b) -> true), at,
          (System.nanoTime() - start) / 1_000_000);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        all.write(buf, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // a reset after the answer: keep what arrived
      if (all.size() == 0) {
        throw reset;
      }
    }
    return all.toByteArray();
  }

  private static Http.Answer parse(String method, String target, byte[] raw, long at, long millis) throws IOException {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.") || end < 0) {
      throw new IOException("no HTTP answer (" + raw.length + " bytes: "
          + text.substring(0, Math.min(80, text.length())) + ")");
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).trim());
      }
    }
    HttpHeaders h = HttpHeaders.of(headers, (a, b) -> true);
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    if (h.firstValue("Transfer-Encoding").map(v -> v.equalsIgnoreCase("chunked")).orElse(false)) {
      body = dechunk(body);
    }
    return new Http.Answer(method, target, status, new String(body, StandardCharsets.UTF_8), h, at, millis);
  }

  private static byte[] dechunk(byte[] chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < chunked.length) {
      int lineEnd = i;
      while (lineEnd + 1 < chunked.length && !(chunked[lineEnd] == '\r' && chunked[lineEnd + 1] == '\n')) {
        lineEnd++;
      }
      String size = new String(chunked, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
      int n = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
      if (n == 0) {
        break;
      }
      out.write(chunked, lineEnd + 2, Math.min(n, chunked.length - lineEnd - 2));
      i = lineEnd + 2 + n + 2;
    }
    return out.toByteArray();
  }
}
