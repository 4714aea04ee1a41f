package kr.go.procurement.platform.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.HashMap;
import java.util.Map;
import kr.go.procurement.platform.config.KafkaConfig;

/** Kafka producers configured for the contract's guarantees. */
public final class Producers {

  private Producers() {
  }

  /**
   * An idempotent producer with {@code acks=all}: no duplicates from the producer's own retries, and order kept per
   * partition. Timeouts are short so that a Kafka outage is noticed quickly; the outbox keeps the events meanwhile.
   */
  public static KafkaProducer<String, String> create(Vertx vertx, KafkaConfig config, String clientId) {
    return KafkaProducer.create(vertx, properties(config, clientId));
  }

  /**
   * The same producer, built on a worker thread: building a Kafka client loads and initialises hundreds of classes,
   * which at start-up blocked the event loop for seconds. Call it on the event loop that is to use the producer.
   */
  public static Future<KafkaProducer<String, String>> createOffLoop(Vertx vertx, KafkaConfig config,
                                                                    String clientId) {
    Map<String, Object> props = new HashMap<>(properties(config, clientId));
    return vertx.executeBlocking(() -> new org.apache.kafka.clients.producer.KafkaProducer<String, String>(props),
            false)
        .map(producer -> KafkaProducer.create(vertx, producer));
  }

  private static Map<String, String> properties(KafkaConfig config, String clientId) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", config.bootstrapServers());
    props.put("client.id", clientId);
    props.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    props.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    props.put("acks", "all");
    props.put("enable.idempotence", "true");
    props.put("max.in.flight.requests.per.connection", "5");
    // no waiting for more records: the relay hands over a whole batch at once anyway, and every event of a quiet
    // system would otherwise wait out the linger on its way to the status board
    props.put("linger.ms", "0");
    props.put("compression.type", "lz4");
    props.put("max.block.ms", "5000");
    props.put("request.timeout.ms", "5000");
    props.put("delivery.timeout.ms", "15000");
    props.put("reconnect.backoff.max.ms", "2000");
    // no client telemetry push (KIP-714): nothing here collects it, and setting it up costs start-up time
    props.put("enable.metrics.push", "false");
    return props;
  }
}
