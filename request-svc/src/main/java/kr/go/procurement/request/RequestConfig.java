package kr.go.procurement.request;

import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.config.KafkaConfig;
import kr.go.procurement.platform.config.PgConfig;
import kr.go.procurement.request.client.ManagementClient;
import kr.go.procurement.request.store.Registrations;

/** Everything request-svc reads from its environment (see docs/service-environment.md). */
public record RequestConfig(int httpPort, PgConfig pg, KafkaConfig kafka, ManagementClient.Options management,
                            Registrations.Options registrations) {

  public static RequestConfig fromEnv(Env env) {
    PgConfig pg = PgConfig.fromEnv(env, "request");
    // As many registration statements at once as the pool has connections: fewer would make requests wait for
    // company while connections sit idle.
    int poolSize = pg.poolSize();
    return new RequestConfig(
        env.integer("HTTP_PORT", 8082),
        pg,
        KafkaConfig.fromEnv(env, "request-svc"),
        new ManagementClient.Options(
            env.string("MANAGEMENT_URL", "http://localhost:8081"),
            env.millis("MANAGEMENT_TIMEOUT_MS", 1_000),
            env.integer("MANAGEMENT_CB_MAX_FAILURES", 5),
            env.millis("MANAGEMENT_CB_RESET_MS", 5_000)),
        new Registrations.Options(
            atLeastOne("REGISTRATION_BATCH_IN_FLIGHT", env.integer("REGISTRATION_BATCH_IN_FLIGHT", poolSize)),
            atLeastOne("REGISTRATION_BATCH_MAX", env.integer("REGISTRATION_BATCH_MAX", 64))));
  }

  private static int atLeastOne(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
    return value;
  }
}
