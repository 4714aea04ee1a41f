package kr.go.procurement.workflow;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A blocking JSON client for tests, as a REST client (or the original's HTTPie commands) would use the API. */
final class HttpJson {

  record Response(int status, String body, java.net.http.HttpHeaders headers, long millis) {
    JsonObject json() {
      return body == null || body.isBlank() ? new JsonObject() : new JsonObject(body);
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1)
      .build();

  private final String base;

  HttpJson(String base) {
    this.base = base;
  }

  Response get(String path) {
    return send("GET", path, null);
  }

  Response post(String path, JsonObject body) {
    return send("POST", path, body.encode());
  }

  Response patch(String path, JsonObject body) {
    return send("PATCH", path, body.encode());
  }

  Response put(String path, JsonObject body) {
    return send("PUT", path, body.encode());
  }

  Response delete(String path) {
    return send("DELETE", path, null);
  }

  Response send(String method, String path, String body) {
    return sendWithHeader(method, path, body, null, null);
  }

  Response sendWithHeader(String method, String path, String body, String header, String value) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (header != null) {
      request.header(header, value);
    }
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json; charset=utf-8")
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    long start = System.nanoTime();
    try {
      HttpResponse<String> response = CLIENT.send(request.build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(response.statusCode(), response.body(), response.headers(),
          (System.nanoTime() - start) / 1_000_000);
    } catch (IOException e) {
      return new Response(-1, e.toString(), java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true),
          (System.nanoTime() - start) / 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
