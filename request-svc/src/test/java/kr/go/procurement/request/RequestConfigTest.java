package kr.go.procurement.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import kr.go.procurement.platform.config.Env;
import org.junit.jupiter.api.Test;

class RequestConfigTest {

  @Test
  void registrationsBatchUpTo64WithTwoStatementsInFlightUnlessConfigured() {
    RequestConfig defaults = RequestConfig.fromEnv(new Env(Map.of()));
    assertThat(defaults.registrations().maxBatch()).isEqualTo(64);
    assertThat(defaults.registrations().maxInFlight()).isEqualTo(2);

    RequestConfig set = RequestConfig.fromEnv(new Env(Map.of(
        "REGISTRATION_BATCH_MAX", "32", "REGISTRATION_BATCH_IN_FLIGHT", "4")));
    assertThat(set.registrations().maxBatch()).isEqualTo(32);
    assertThat(set.registrations().maxInFlight()).isEqualTo(4);
  }

  @Test
  void aBatchSettingBelowOneFailsStartUpNamingTheVariable() {
    assertThatThrownBy(() -> RequestConfig.fromEnv(new Env(Map.of("REGISTRATION_BATCH_MAX", "0"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REGISTRATION_BATCH_MAX");
    assertThatThrownBy(() -> RequestConfig.fromEnv(new Env(Map.of("REGISTRATION_BATCH_IN_FLIGHT", "-1"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REGISTRATION_BATCH_IN_FLIGHT");
  }
}
