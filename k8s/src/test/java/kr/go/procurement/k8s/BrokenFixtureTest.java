package kr.go.procurement.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checks fail on a broken manifest: {@code src/test/resources/broken} is the dev overlay with mistakes (most of
 * them the original's: the gateway left out, probes on /actuator/health and port 8090, a claim under a name nobody
 * created, :latest images), and every check must report its own.
 */
class BrokenFixtureTest {

  /** For each check, a piece of the violation that the fixture's mistake must produce. */
  static final Map<String, List<String>> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("schema", List.of("Deployment/delivery-svc", "unknown field(s) [readinessProbes]"));
    EXPECTED.put("services", List.of("differ from the services in the code"));
    EXPECTED.put("images", List.of("procurement/management-svc:latest has no fixed tag"));
    EXPECTED.put("probes", List.of("Deployment/request-svc: readinessProbe path /actuator/health is not /health/ready",
        "Deployment/request-svc: livenessProbe port 8090 is not the service's port 8080"));
    EXPECTED.put("resources", List.of("Deployment/status-view: needs a cpu request and limit"));
    EXPECTED.put("security", List.of("Deployment/notification-svc: must run as non-root",
        "Deployment/notification-svc: allowPrivilegeEscalation must be false"));
    EXPECTED.put("shutdown", List.of("Deployment/delivery-svc: terminationGracePeriodSeconds 10 < preStop 5 s"));
    EXPECTED.put("environment", List.of("Deployment/request-svc: MANAGEMENT_URL is read by the code",
        "Deployment/request-svc: MANAGMENT_TIMEOUT_MS is set but request-svc never reads it",
        "Deployment/request-svc: MANAGEMENT_CB_RESET_MS=5s is not a valid millis"));
    EXPECTED.put("serviceSelectors", List.of("Service/delivery-svc: selects [], expected exactly one workload"));
    EXPECTED.put("autoscaling", List.of("HorizontalPodAutoscaler/gateway-svc: targets Deployment gateway-svc, which is "
        + "not a Deployment here"));
    EXPECTED.put("disruptionBudgets", List.of("PodDisruptionBudget/status-view: selects [], expected exactly one"));
    EXPECTED.put("networkPolicies", List.of(
        "allowed but no code makes this call: a pod in another namespace -> Deployment/request-svc:8080",
        "blocked, but the system makes this call: Deployment/notification-svc -> StatefulSet/kafka:9092"));
    EXPECTED.put("ingress", List.of("Ingress: path / publishes /metrics"));
    EXPECTED.put("topics", List.of("the dev Job creates topics {procurement=1, procurement.DLT=1}"));
    EXPECTED.put("volumes", List.of("Deployment/request-svc: volume logs claims procurementrequest-disk, which is "
        + "not created here"));
    EXPECTED.put("infrastructure", List.of("StatefulSet/postgres: max_connections 50"));
  }

  static Stream<Arguments> cases() {
    List<Arguments> result = new ArrayList<>();
    for (String check : EXPECTED.keySet()) {
      for (Renderer renderer : Renderer.available()) {
        result.add(Arguments.of(check, renderer));
      }
    }
    return result.stream();
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("cases")
  void theCheckReportsTheFixturesMistake(String check, Renderer renderer) {
    Manifests m = renderer.render(Repo.broken());
    Checks checks = new Checks(m, CodeFacts.get(), Profile.DEV);
    List<String> violations = checks.all().get(check).apply(checks);
    assertThat(violations).as("the %s check must fail on the broken fixture", check).isNotEmpty();
    for (String expected : EXPECTED.get(check)) {
      assertThat(violations).as("%s violations", check).anySatisfy(v -> assertThat(v).contains(expected));
    }
  }

  @Test
  void everyCheckIsProvenByTheFixture() {
    Checks checks = new Checks(Renderer.JAVA.render(Repo.broken()), CodeFacts.get(), Profile.DEV);
    assertThat(EXPECTED.keySet()).containsExactlyElementsOf(checks.all().keySet());
  }
}
