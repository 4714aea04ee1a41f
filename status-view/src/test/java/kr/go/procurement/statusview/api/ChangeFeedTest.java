package kr.go.procurement.statusview.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import kr.go.procurement.testsupport.Eventually;
import org.junit.jupiter.api.Test;

class ChangeFeedTest {

  /** A feed behind a tiny HTTP server, all on one verticle's event loop as in the service. */
  private static final class FeedServer extends VerticleBase {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ChangeFeed feed;
    HttpServer server;
    Context loop;

    @Override
    public Future<?> start() {
      loop = context;
      feed = new ChangeFeed(vertx, 10, Duration.ofHours(1), registry);
      Router router = Router.router(vertx);
      router.get("/stream").handler(ctx -> feed.subscribe(ctx.response(), "http://localhost", d -> true, null));
      return vertx.createHttpServer().requestHandler(router).listen(0).onSuccess(s -> server = s);
    }

    double dropped() {
      return registry.counter("sse_clients_dropped_total").count();
    }
  }

  @Test
  void aClientThatDoesNotReadIsDroppedInsteadOfBufferedFor() throws Exception {
    Vertx vertx = Vertx.vertx();
    FeedServer app = new FeedServer();
    try (Socket socket = new Socket()) {
      vertx.deployVerticle(app).await();
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress("127.0.0.1", app.server.actualPort()));
      OutputStream out = socket.getOutputStream();
      out.write("GET /stream HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Eventually.until(() -> assertThat(subscribers(app)).isEqualTo(1));

      // The client never reads: keep publishing ~12 KB changes until the feed gives up on it. Each batch is awaited
      // on the feed's event loop before the next, so publishing is paced by the loop itself, not by a sleep.
      JsonObject big = new JsonObject().put("_id", "p").put("id", 1).put("procNo", "p")
          .put("procTitle", "가".repeat(4000));
      long deadline = System.nanoTime() + Eventually.TIMEOUT.toNanos();
      while (app.dropped() == 0 && System.nanoTime() < deadline) {
        Future.<Void>future(p -> app.loop.runOnContext(v -> {
          for (int i = 0; i < 50; i++) {
            app.feed.publish(big);
          }
          p.complete();
        })).await();
      }

      assertThat(app.dropped()).isEqualTo(1.0);
      assertThat(subscribers(app)).isZero();
    } finally {
      vertx.close().await();
    }
  }

  private static int subscribers(FeedServer app) {
    return Future.<Integer>future(p -> app.loop.runOnContext(v -> p.complete(app.feed.subscribers()))).await();
  }
}
