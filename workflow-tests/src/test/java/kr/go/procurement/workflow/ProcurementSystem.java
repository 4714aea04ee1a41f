package kr.go.procurement.workflow;

import static kr.go.procurement.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import kr.go.procurement.delivery.DeliveryConfig;
import kr.go.procurement.delivery.DeliveryVerticle;
import kr.go.procurement.management.ManagementConfig;
import kr.go.procurement.management.ManagementVerticle;
import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.request.RequestConfig;
import kr.go.procurement.request.RequestVerticle;
import kr.go.procurement.testsupport.Eventually;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.SamePartition;
import kr.go.procurement.testsupport.TopicProbe;

/**
 * The three workflow services, deployed in this JVM against real PostgreSQL and Kafka (a fresh database and topic
 * per instance). A service can be stopped and started again on the same port, as the original design's
 * fault-isolation demo does by hand.
 */
final class ProcurementSystem implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  final Infra infra = Infra.get();
  static final int PARTITIONS = 6;
  final String topic = infra.newTopic(PARTITIONS);
  private final Env env;
  private final Map<String, String> deployments = new HashMap<>();
  final int managementPort = FreePort.next();
  final int requestPort = FreePort.next();
  final int deliveryPort = FreePort.next();
  final HttpJson request = new HttpJson("http://127.0.0.1:" + requestPort);
  final HttpJson management = new HttpJson("http://127.0.0.1:" + managementPort);
  final HttpJson delivery = new HttpJson("http://127.0.0.1:" + deliveryPort);
  /** Everything the services publish, read from the start of the topic. */
  final TopicProbe published = new TopicProbe(infra.kafkaBootstrapServers(), topic);

  ProcurementSystem(Map<String, String> overrides) {
    Map<String, String> settings = new HashMap<>(infra.env(infra.newDatabase(), topic, null));
    settings.put("MANAGEMENT_URL", "http://127.0.0.1:" + managementPort);
    settings.putAll(overrides);
    env = new Env(settings);
    startManagement();
    startRequest();
    startDelivery();
  }

  ProcurementSystem() {
    this(Map.of());
  }

  void startManagement() {
    deploy("management", port -> new ManagementVerticle(ManagementConfig.fromEnv(port)), managementPort);
  }

  void stopManagement() {
    undeploy("management");
  }

  void startRequest() {
    deploy("request", port -> new RequestVerticle(RequestConfig.fromEnv(port)), requestPort);
  }

  void startDelivery() {
    deploy("delivery", port -> new DeliveryVerticle(DeliveryConfig.fromEnv(port)), deliveryPort);
  }

  void stopDelivery() {
    undeploy("delivery");
  }

  private void deploy(String name, Function<Env, VerticleBase> verticle, int port) {
    Env withPort = env.with(Map.of("HTTP_PORT", Integer.toString(port)));
    deployments.put(name, await(vertx.deployVerticle(verticle.apply(withPort))));
  }

  private void undeploy(String name) {
    String id = deployments.remove(name);
    if (id != null) {
      await(vertx.undeploy(id));
    }
  }

  @Override
  public void close() {
    await(vertx.close());
    published.close();
  }

  /** Marker procurements' procNos start with this; {@link #events} leaves them out. */
  private static final String MARKER = "settle-marker";
  private final AtomicInteger markers = new AtomicInteger();

  /**
   * The events of one procurement (all, if null) in topic order, once at least {@code expected} arrived and nothing
   * more can come: a marker procurement is then taken up to the inspection request on each partition concerned, so
   * each service's relay (request-svc: ProcurementRequestPosted, management: DeliveryRequestPatched, delivery:
   * InspectionRequestPatched) publishes a later event there. A relay publishes in outbox order and each partition
   * is read in order, so once the probe has read every marker event, a duplicate of an earlier event would have
   * been read before it.
   */
  List<EventEnvelope> events(String procNo, int expected) {
    Eventually.until(() -> assertThat(eventsNow(procNo)).hasSizeGreaterThanOrEqualTo(expected));
    Steps steps = new Steps(this);
    List<String> keys = markerKeys(procNo);
    List<Long> ids = keys.stream().map(steps::register).toList();
    for (int i = 0; i < keys.size(); i++) {
      steps.awaitManagement(ids.get(i), "POSTED");
      assertThat(steps.issueDeliveryOrder(ids.get(i), keys.get(i)).status()).isEqualTo(200);
    }
    for (int i = 0; i < keys.size(); i++) {
      steps.awaitDelivery(ids.get(i), "DELIVERY_REQUESTED");
      assertThat(steps.requestInspection(ids.get(i), keys.get(i)).status()).isEqualTo(200);
    }
    for (String key : keys) {
      awaitRead(key, "ProcurementRequestPosted", "DeliveryRequestPatched", "InspectionRequestPatched");
    }
    return eventsNow(procNo);
  }

  /**
   * As {@link #events}, with nothing awaited and a marker from request-svc alone (a registration, which needs neither
   * management nor delivery): for while management is down. It settles only what request-svc published.
   */
  List<EventEnvelope> eventsOfRequestSvc(String procNo) {
    Steps steps = new Steps(this);
    List<String> keys = markerKeys(procNo);
    keys.forEach(steps::register);
    for (String key : keys) {
      awaitRead(key, "ProcurementRequestPosted");
    }
    return eventsNow(procNo);
  }

  /** A fresh marker procNo on {@code procNo}'s partition, or one on every partition if it is null. */
  private List<String> markerKeys(String procNo) {
    String prefix = MARKER + "-" + markers.incrementAndGet();
    if (procNo != null) {
      return List.of(SamePartition.keyLike(procNo, PARTITIONS, prefix));
    }
    List<String> keys = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      keys.add(SamePartition.keyOn(p, PARTITIONS, prefix));
    }
    return keys;
  }

  /** Waits until the probe has read a relayed event of each of {@code eventTypes} for {@code procNo}. */
  private void awaitRead(String procNo, String... eventTypes) {
    for (String type : eventTypes) {
      Eventually.until(() -> assertThat(published.events(type, procNo)).as(type + " for " + procNo).isNotEmpty());
    }
  }

  private List<EventEnvelope> eventsNow(String procNo) {
    return published.matching(r -> r.topic().equals(topic)
            && (procNo == null ? !r.key().startsWith(MARKER) : procNo.equals(r.key())))
        .stream().map(r -> EventEnvelope.fromJson(r.value())).toList();
  }

  /** Ports for services that must come back on the same address after a restart. */
  static final class FreePort {
    static int next() {
      try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
        socket.setReuseAddress(true);
        return socket.getLocalPort();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
