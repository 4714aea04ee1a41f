package kr.go.procurement.platform.config;

import java.time.Duration;

/**
 * Kafka addresses and the consumer's retry policy. Dead letters go to {@code <topic>.DLT}.
 *
 * @param groupId the consumer group: one per service, so every service sees every event
 */
public record KafkaConfig(String bootstrapServers, String topic, String groupId, int maxAttempts,
                          Duration retryBackoff) {

  public static KafkaConfig fromEnv(Env env, String groupId) {
    return new KafkaConfig(
        env.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
        env.string("KAFKA_TOPIC", "procurement"),
        env.string("KAFKA_GROUP_ID", groupId),
        env.integer("CONSUMER_MAX_ATTEMPTS", 4),
        env.millis("CONSUMER_RETRY_BACKOFF_MS", 200));
  }

  public String deadLetterTopic() {
    return topic + ".DLT";
  }
}
