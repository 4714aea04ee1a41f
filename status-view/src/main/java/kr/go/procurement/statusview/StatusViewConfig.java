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
 * @param listCacheMaxAge {@code LIST_CACHE_MAX_AGE_MS}: how long a list page may be answered from memory without
 *                       reading it again, should something outside this process write the view (this process's
 *                       own changes drop cached pages at once); 0 turns the cache off
 * @param listCacheSize  {@code LIST_CACHE_SIZE}: how many list pages are kept at most
 */
public record StatusViewConfig(int httpPort, MongoConfig mongo, KafkaConfig kafka, Duration sseHeartbeat,
                               int sseBufferSize, Duration listCacheMaxAge, int listCacheSize) {

  public static StatusViewConfig fromEnv(Env env) {
    return new StatusViewConfig(
        env.integer("HTTP_PORT", 8084),
        MongoConfig.fromEnv(env),
        KafkaConfig.fromEnv(env, "status-view"),
        env.millis("SSE_HEARTBEAT_MS", 15_000),
        env.integer("SSE_BUFFER_SIZE", 1000),
        env.millis("LIST_CACHE_MAX_AGE_MS", 1000),
        env.integer("LIST_CACHE_SIZE", 1000));
  }
}
