package kr.go.procurement.gateway;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A blocking HTTP client for tests, as curl or a REST client would call the gateway. */
public final class Http {

  /** One answer; {@code status} -1 when the connection failed. */
  public record Response(int status, String body, HttpHeaders headers, long millis) {
    public JsonObject json() {
      return body == null || body.isBlank() ? new JsonObject() : new JsonObject(body);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1)
      .build();

  private final String base;

  public Http(String base) {
    this.base = base;
  }

  public Http(int port) {
    this("http://127.0.0.1:" + port);
  }

  public String base() {
    return base;
  }

  /** A request under construction. */
  public final class Call {
    private final String method;
    private final String path;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();

    private Call(String method, String path) {
      this.method = method;
      this.path = path;
    }

    public Call token(String token) {
      return token == null ? this : header("Authorization", "Bearer " + token);
    }

    public Call header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    public Call json(JsonObject json) {
      header("Content-Type", "application/json; charset=utf-8");
      body = HttpRequest.BodyPublishers.ofString(json.encode(), StandardCharsets.UTF_8);
      return this;
    }

    public Call body(HttpRequest.BodyPublisher publisher) {
      body = publisher;
      return this;
    }

    private HttpRequest build() {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
          .timeout(Duration.ofSeconds(30)).method(method, body);
      headers.forEach(request::header);
      return request.build();
    }

    public Response send() {
      long start = System.nanoTime();
      try {
        HttpResponse<String> r = CLIENT.send(build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(r.statusCode(), r.body(), r.headers(), (System.nanoTime() - start) / 1_000_000);
      } catch (IOException e) {
        return new Response(-1, e.toString(), HttpHeaders.of(Map.of(), (a, b) -> true),
            (System.nanoTime() - start) / 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    public CompletableFuture<Response> sendAsync() {
      long start = System.nanoTime();
      return CLIENT.sendAsync(build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
          .thenApply(r -> new Response(r.statusCode(), r.body(), r.headers(), (System.nanoTime() - start) / 1_000_000));
    }

    /** Opens a response as a stream of lines (Server-Sent Events); lines arrive as the server sends them. */
    public Stream stream() throws Exception {
      HttpResponse<InputStream> r = CLIENT.send(build(), HttpResponse.BodyHandlers.ofInputStream());
      return new Stream(r);
    }
  }

  /** An open streamed response whose lines are read on a thread of their own. */
  public static final class Stream implements AutoCloseable {
    public final HttpResponse<InputStream> response;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    Stream(HttpResponse<InputStream> response) {
      this.response = response;
      this.reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            lines.add(line);
          }
        } catch (IOException ignored) {
          // closed by the test
        }
      }, "sse-reader");
      reader.setDaemon(true);
      reader.start();
    }

    /** The next line starting with {@code prefix}, or null if none came within {@code timeout}. */
    public String next(String prefix, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null || line.startsWith(prefix)) {
          return line;
        }
      }
    }

    @Override
    public void close() throws IOException {
      response.body().close();
      reader.interrupt();
    }
  }

  public Call call(String method, String path) {
    return new Call(method, path);
  }

  public Response get(String path, String token) {
    return call("GET", path).token(token).send();
  }
}
