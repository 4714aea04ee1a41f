package kr.go.procurement.statusview;

import java.time.Duration;
import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.config.KafkaConfig;
import kr.go.procurement.platform.config.MongoConfig;

/**
 * Everything status-view reads from its environment (see docs/service-environment.md).
 *
 * @param sseHeartbeat   {@code SSE_HEARTBEAT_MS}: how often an idle stream gets a comment line, so proxies and
 *                       clients see it is alive
 * @param sseBufferSize  {@code SSE_BUFFER_SIZE}: how many recent changes a reconnecting client can catch up on
 */
public record StatusViewConfig(int httpPort, MongoConfig mongo, KafkaConfig kafka, Duration sseHeartbeat,
                               int sseBufferSize) {

  public static StatusViewConfig fromEnv(Env env) {
    return new StatusViewConfig(
        env.integer("HTTP_PORT", 8084),
        MongoConfig.fromEnv(env),
        KafkaConfig.fromEnv(env, "status-view"),
        env.millis("SSE_HEARTBEAT_MS", 15_000),
        env.integer("SSE_BUFFER_SIZE", 1000));
  }
}
