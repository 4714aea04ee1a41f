package kr.go.procurement.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in service for the gateway's tests, where a real one cannot show what is needed: it answers every
 * request with what it received (method, URI, headers, body size), waits first when the request carries
 * {@code X-Test-Delay-Ms} (a slow service), and serves {@code .../stream} as a Server-Sent-Events stream to which
 * the test sends events with {@link #emit}.
 */
public final class TestUpstream implements AutoCloseable {

  private final Vertx vertx;
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicReference<JsonObject> last = new AtomicReference<>();
  private final List<HttpServerResponse> streams = new CopyOnWriteArrayList<>();

  private TestUpstream(Vertx vertx) {
    this.vertx = vertx;
    this.server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      requests.incrementAndGet();
      JsonObject headers = new JsonObject();
      for (Map.Entry<String, String> h : req.headers()) {
        String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
        headers.put(name, headers.containsKey(name) ? headers.getString(name) + "|" + h.getValue() : h.getValue());
      }
      JsonObject seen = new JsonObject().put("method", req.method().name()).put("uri", req.uri())
          .put("headers", headers).put("bodyLength", body.length());
      last.set(seen);
      HttpServerResponse response = req.response();
      if (req.getHeader("X-Request-Id") != null) {
        response.putHeader("X-Request-Id", req.getHeader("X-Request-Id"));
      }
      if (req.path().endsWith("/stream")) {
        response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
        response.write("event: hello\ndata: " + headers.getString("x-user-id") + "\n\n");
        streams.add(response);
        response.closeHandler(v -> streams.remove(response));
        return;
      }
      String delay = req.getHeader("X-Test-Delay-Ms");
      Runnable answer = () -> response.putHeader("Content-Type", "application/json").end(seen.encode());
      if (delay != null) {
        vertx.setTimer(Long.parseLong(delay), id -> {
          if (!response.closed()) {
            answer.run();
          }
        });
      } else {
        answer.run();
      }
    })).listen(0, "127.0.0.1").await();
  }

  public static TestUpstream start(Vertx vertx) {
    return new TestUpstream(vertx);
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** How many requests reached this service so far. */
  public int requests() {
    return requests.get();
  }

  /** What the last request looked like when it arrived. */
  public JsonObject last() {
    return last.get();
  }

  /** Sends {@code data: <data>} to every open stream. */
  public void emit(String data) {
    vertx.runOnContext(v -> streams.forEach(s -> s.write("data: " + data + "\n\n")));
  }

  public int openStreams() {
    return streams.size();
  }

  @Override
  public void close() {
    streams.forEach(s -> s.reset());
    server.close().await();
  }
}
