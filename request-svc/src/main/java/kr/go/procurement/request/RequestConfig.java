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
            // Two: one statement committing while the next group gathers. More only split the load into smaller
            // groups that wait for the same WAL flush (bench: 3,100 req/s with 8, 4,500 with 2).
            atLeastOne("REGISTRATION_BATCH_IN_FLIGHT", env.integer("REGISTRATION_BATCH_IN_FLIGHT", 2)),
            atLeastOne("REGISTRATION_BATCH_MAX", env.integer("REGISTRATION_BATCH_MAX", 64))));
  }

  private static int atLeastOne(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
    return value;
  }
}
