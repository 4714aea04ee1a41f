package kr.go.procurement.notification;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the third-party SMS provider: {@code POST /sms {to, text, reference}}. Like a real provider it
 * deduplicates on {@code reference}: a repeated reference is answered 200 with the first message's id and is not
 * delivered again. It can be switched to fail in the ways the tests need.
 */
final class FakeSmsProvider implements AutoCloseable {

  enum Mode {
    /** Delivers and answers 200. */
    OK,
    /** Answers 500 without delivering. */
    FAIL_500,
    /** Answers 400 without delivering: it refuses the message itself. */
    REFUSE_400,
    /**
     * Holds each request until {@link #releaseHeld()}, then delivers and answers: a provider slower than the client's
     * timeout, however long the client's timer takes to fire on a busy machine.
     */
    SLOW,
    /** Delivers at once and never answers: a sender killed now has sent without recording it. */
    DELIVER_AND_HANG
  }

  /** A delivered message, as the supplier's phone would show it. */
  record Delivered(String to, String text, String reference) {
  }

  private final Vertx vertx;
  private volatile Mode mode = Mode.OK;
  private final List<Runnable> held = new CopyOnWriteArrayList<>();
  private final Map<String, String> messageIds = new ConcurrentHashMap<>();
  private final List<Delivered> delivered = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> callsPerReference = new ConcurrentHashMap<>();
  private final Map<Mode, AtomicInteger> callsPerMode = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();
  private HttpServer server;
  private int port;

  FakeSmsProvider(Vertx vertx) {
    this.vertx = vertx;
  }

  FakeSmsProvider start() {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(port).await();
    port = server.actualPort();
    return this;
  }

  /** Down: connections are refused until {@link #start()} again (same port). */
  void stop() {
    server.close().await();
  }

  String url() {
    return "http://127.0.0.1:" + port + "/sms";
  }

  void mode(Mode mode) {
    this.mode = mode;
  }

  /** Delivers and answers (where the client still listens) every request held so far in {@link Mode#SLOW}. */
  void releaseHeld() {
    List<Runnable> now = List.copyOf(held);
    held.removeAll(now);
    now.forEach(Runnable::run);
  }

  int calls() {
    return calls.get();
  }

  int calls(Mode mode) {
    return callsPerMode.computeIfAbsent(mode, m -> new AtomicInteger()).get();
  }

  int calls(String reference) {
    return callsPerReference.computeIfAbsent(reference, r -> new AtomicInteger()).get();
  }

  /** The messages the phones received, with the given reference. */
  List<Delivered> delivered(String reference) {
    return delivered.stream().filter(d -> d.reference().equals(reference)).toList();
  }

  List<Delivered> delivered() {
    return List.copyOf(delivered);
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      JsonObject sms = body.toJsonObject();
      String reference = sms.getString("reference");
      Mode current = mode;
      calls.incrementAndGet();
      callsPerMode.computeIfAbsent(current, m -> new AtomicInteger()).incrementAndGet();
      callsPerReference.computeIfAbsent(reference, r -> new AtomicInteger()).incrementAndGet();
      switch (current) {
        case OK -> answer(request, deliver(sms));
        case FAIL_500 -> request.response().setStatusCode(500).end("{\"error\":\"internal\"}");
        case REFUSE_400 -> request.response().setStatusCode(400).end("{\"error\":\"bad number\"}");
        case SLOW -> {
          io.vertx.core.Context context = vertx.getOrCreateContext(); // the request's own
          held.add(() -> context.runOnContext(v -> answer(request, deliver(sms))));
        }
        case DELIVER_AND_HANG -> deliver(sms);
      }
    });
  }

  /** Delivers unless this reference was delivered before; the message id either way. */
  private String deliver(JsonObject sms) {
    String reference = sms.getString("reference");
    return messageIds.computeIfAbsent(reference, r -> {
      delivered.add(new Delivered(sms.getString("to"), sms.getString("text"), r));
      return "msg-" + messageIds.size();
    });
  }

  private static void answer(HttpServerRequest request, String messageId) {
    if (!request.response().closed()) {
      request.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("messageId", messageId).encode());
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().await();
    }
  }
}
