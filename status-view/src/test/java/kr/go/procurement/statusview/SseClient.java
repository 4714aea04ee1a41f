package kr.go.procurement.statusview;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Server-Sent-Events client for tests: frames as they arrive, with the arrival time. */
final class SseClient implements AutoCloseable {

  /** One frame: its fields, comment lines, and {@link System#nanoTime()} when its last line arrived. */
  record Frame(String id, String event, String data, List<String> comments, long arrivedNanos) {
    JsonObject json() {
      return new JsonObject(data);
    }
  }

  private final HttpClient client;
  private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final StringBuilder pending = new StringBuilder();
  private final HttpClientResponse response;

  private SseClient(HttpClient client, HttpClientResponse response) {
    this.client = client;
    this.response = response;
  }

  static SseClient connect(Vertx vertx, int port, String path, String... headers) {
    HttpClient client = vertx.createHttpClient();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(path);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    SseClient[] holder = new SseClient[1];
    HttpClientResponse response = RunningStatusView.await(client.request(options).compose(req -> req.send())
        .map(r -> {
          SseClient sse = new SseClient(client, r);
          holder[0] = sse;
          r.handler(buffer -> sse.feed(buffer.toString(StandardCharsets.UTF_8)));
          return r;
        }));
    if (response.statusCode() != 200) {
      throw new AssertionError("stream answered " + response.statusCode());
    }
    return holder[0];
  }

  int status() {
    return response.statusCode();
  }

  String header(String name) {
    return response.getHeader(name);
  }

  private synchronized void feed(String text) {
    pending.append(text);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + 2);
      String id = null;
      String event = null;
      StringBuilder data = null;
      List<String> comments = new ArrayList<>();
      for (String line : block.split("\n")) {
        if (line.startsWith(":")) {
          comments.add(line.substring(1).trim());
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data = data == null ? new StringBuilder() : data.append('\n');
          data.append(line.substring(5).trim());
        }
      }
      frames.add(new Frame(id, event, data == null ? null : data.toString(), comments, System.nanoTime()));
    }
  }

  /** The next frame carrying data or an event (comments and the retry preamble skipped). */
  Frame nextEvent(long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      Frame f = next(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (f == null) {
        return null;
      }
      if (f.data() != null || f.event() != null) {
        return f;
      }
    }
  }

  /** The next frame of any kind, or null after the timeout. */
  Frame next(long timeoutMillis) {
    try {
      return frames.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  @Override
  public void close() {
    RunningStatusView.await(client.close());
  }
}
