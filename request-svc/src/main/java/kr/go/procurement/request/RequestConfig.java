package kr.go.procurement.request;

import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.config.KafkaConfig;
import kr.go.procurement.platform.config.PgConfig;
import kr.go.procurement.request.client.ManagementClient;

/** Everything request-svc reads from its environment (see docs/service-environment.md). */
public record RequestConfig(int httpPort, PgConfig pg, KafkaConfig kafka, ManagementClient.Options management) {

  public static RequestConfig fromEnv(Env env) {
    return new RequestConfig(
        env.integer("HTTP_PORT", 8082),
        PgConfig.fromEnv(env, "request"),
        KafkaConfig.fromEnv(env, "request-svc"),
        new ManagementClient.Options(
            env.string("MANAGEMENT_URL", "http://localhost:8081"),
            env.millis("MANAGEMENT_TIMEOUT_MS", 1_000),
            env.integer("MANAGEMENT_CB_MAX_FAILURES", 5),
            env.millis("MANAGEMENT_CB_RESET_MS", 5_000)));
  }
}
