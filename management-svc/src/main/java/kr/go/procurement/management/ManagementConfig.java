package kr.go.procurement.management;

import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.config.KafkaConfig;
import kr.go.procurement.platform.config.PgConfig;

/**
 * Everything management-svc reads from its environment (see docs/service-environment.md).
 *
 * @param faultInjection {@code FAULT_INJECTION}, default false: mounts the test-only slow-down switch
 *                       ({@link kr.go.procurement.management.faults.FaultInjection}) for the system tests
 */
public record ManagementConfig(int httpPort, PgConfig pg, KafkaConfig kafka, boolean faultInjection) {

  public static ManagementConfig fromEnv(Env env) {
    return new ManagementConfig(
        env.integer("HTTP_PORT", 8081),
        PgConfig.fromEnv(env, "management"),
        KafkaConfig.fromEnv(env, "management-svc"),
        env.bool("FAULT_INJECTION", false));
  }
}
