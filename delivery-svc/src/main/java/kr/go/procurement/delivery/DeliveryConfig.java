package kr.go.procurement.delivery;

import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.config.KafkaConfig;
import kr.go.procurement.platform.config.PgConfig;

/** Everything delivery-svc reads from its environment (see docs/service-environment.md). */
public record DeliveryConfig(int httpPort, PgConfig pg, KafkaConfig kafka) {

  public static DeliveryConfig fromEnv(Env env) {
    return new DeliveryConfig(
        env.integer("HTTP_PORT", 8083),
        PgConfig.fromEnv(env, "delivery"),
        KafkaConfig.fromEnv(env, "delivery-svc"));
  }
}
