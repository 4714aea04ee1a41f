package kr.go.procurement.system;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;

/** A blocking HTTP/1.1 client as a REST client uses the API; an answer that never came is status -1. */
final class Http {

  /** One answer: status (-1: no answer, with the error in body), body, headers, when and how long. */
  record Answer(String method, String path, int status, String body, HttpHeaders headers, long atMillis,
                long millis) {

    JsonObject json() {
      return body == null || body.isBlank() ? new JsonObject() : new JsonObject(body);
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    String contentType() {
      String ct = header("Content-Type");
      return ct == null ? "" : ct;
    }

    /** Seconds from a {@code Retry-After: n} header, or null. */
    Integer retryAfter() {
      String value = header("Retry-After");
      if (value == null) {
        return null;
      }
      try {
        return Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }

    @Override
    public String toString() {
      String b = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
      return method + " " + path + " → " + status + " " + b;
    }
  }

  private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (a, b) -> true);

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1)
      .executor(Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "http-client");
        t.setDaemon(true);
        return t;
      }))
      .build();

  Answer json(String base, String method, String path, String token, JsonObject body) {
    return send(base, method, path, token, body == null ? null : body.encode().getBytes(StandardCharsets.UTF_8),
        body == null ? Map.of() : Map.of("Content-Type", "application/json; charset=utf-8"));
  }

  Answer send(String base, String method, String path, String token, byte[] body, Map<String, String> headers) {
    long start = System.nanoTime();
    long at = System.currentTimeMillis();
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      headers.forEach(request::header);
      request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofByteArray(body));
      HttpResponse<String> response = client.send(request.build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(method, path, response.statusCode(), response.body(), response.headers(), at,
          (System.nanoTime() - start) / 1_000_000);
    } catch (IOException | IllegalArgumentException e) {
      return new Answer(method, path, -1, e.toString(), NO_HEADERS, at, (System.nanoTime() - start) / 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
