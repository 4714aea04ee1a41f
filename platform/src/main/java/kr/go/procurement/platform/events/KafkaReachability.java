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

  private final Future<KafkaAdminClient> admin;
  private volatile boolean reachedOnce;

  /** Builds the admin client on a worker thread (like every Kafka client, it is slow to build). */
  public KafkaReachability(Vertx vertx, KafkaConfig config) {
    Map<String, Object> props = Map.of(
        "bootstrap.servers", config.bootstrapServers(),
        "request.timeout.ms", "2000",
        "default.api.timeout.ms", "2000",
        "reconnect.backoff.max.ms", "2000");
    this.admin = vertx.executeBlocking(() -> org.apache.kafka.clients.admin.AdminClient.create(props), false)
        .map(client -> KafkaAdminClient.create(vertx, client));
  }

  public Future<Void> probe() {
    if (reachedOnce) {
      return Future.succeededFuture();
    }
    return admin.compose(KafkaAdminClient::describeCluster).map(cluster -> {
      reachedOnce = true;
      return null;
    });
  }

  public Future<Void> close() {
    return admin.compose(KafkaAdminClient::close).recover(e -> Future.succeededFuture());
  }
}
