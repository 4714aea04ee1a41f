package kr.go.procurement.platform.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import java.util.Map;
import kr.go.procurement.platform.config.KafkaConfig;

/**
 * The readiness probe for Kafka. A service is not ready until it has reached Kafka once (so a fresh deployment
 * against a broken broker address never takes traffic); after that, a Kafka outage does not make it unready,
 * because commands keep working through the outbox and taking the service out of rotation would turn a Kafka outage
 * into a full outage.
 */
public final class KafkaReachability {

  private final KafkaAdminClient admin;
  private volatile boolean reachedOnce;

  public KafkaReachability(Vertx vertx, KafkaConfig config) {
    this.admin = KafkaAdminClient.create(vertx, Map.of(
        "bootstrap.servers", config.bootstrapServers(),
        "request.timeout.ms", "2000",
        "default.api.timeout.ms", "2000",
        "reconnect.backoff.max.ms", "2000"));
  }

  public Future<Void> probe() {
    if (reachedOnce) {
      return Future.succeededFuture();
    }
    return admin.describeCluster().map(cluster -> {
      reachedOnce = true;
      return null;
    });
  }

  public Future<Void> close() {
    return admin.close().recover(e -> Future.succeededFuture());
  }
}
