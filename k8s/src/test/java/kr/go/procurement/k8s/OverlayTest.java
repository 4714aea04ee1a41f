package kr.go.procurement.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every overlay, rendered by every renderer this machine has ({@code kubectl kustomize} where kubectl exists, the
 * Java renderer always), passes every check of {@link Checks}. The checks read probe paths, ports, variable names and
 * shutdown timings from the services' sources ({@link CodeFacts}); the one-line descriptions are in {@link Checks}.
 */
class OverlayTest {

  static Stream<Arguments> renderings() {
    List<Arguments> result = new ArrayList<>();
    for (Profile profile : List.of(Profile.DEV, Profile.PROD)) {
      for (Renderer renderer : Renderer.available()) {
        result.add(Arguments.of(profile.name(), renderer));
      }
    }
    return result.stream();
  }

  private static void check(String check, String overlay, Renderer renderer) {
    Manifests m = renderer.render(Repo.overlay(overlay));
    Profile profile = overlay.equals("prod") ? Profile.PROD : Profile.DEV;
    Checks checks = new Checks(m, CodeFacts.get(), profile);
    List<String> violations = checks.all().get(check).apply(checks);
    assertThat(violations).as("%s check of %s", check, m.name()).isEmpty();
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("renderings")
  void schema(String overlay, Renderer renderer) {
    check("schema", overlay, renderer);
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("renderings")
  void oneDeploymentPerServiceOfTheCode(String overlay, Renderer renderer) {
    check("services", overlay, renderer);
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("renderings")
  void taggedImages(String overlay, Renderer renderer) {
    check("images", overlay, renderer);
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("renderings")
  void probesOnTheServedPathsAndPort(String overlay, Renderer renderer) {
    check("probes", overlay, renderer);
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("renderings")
  void requestsAndLimits(String overlay, Renderer renderer) {
    check("resources", overlay, renderer);
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("renderings")
  void nonRootSecurityContext(String overlay, Renderer renderer) {
    check("security", overlay, renderer);
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("renderings")
  void terminationMatchesTheGracefulShutdown(String overlay, Renderer renderer) {
    check("shutdown", overlay, renderer);
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("renderings")
  void everyVariableTheCodeReadsIsSet(String overlay, Renderer renderer) {
    check("environment", overlay, renderer);
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("renderings")
  void servicesSelectAWorkloadAndADeclaredPort(String overlay, Renderer renderer) {
    check("serviceSelectors", overlay, renderer);
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("renderings")
  void autoscalersTargetExistingDeployments(String overlay, Renderer renderer) {
    check("autoscaling", overlay, renderer);
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("renderings")
  void disruptionBudgetsTargetExistingDeployments(String overlay, Renderer renderer) {
    check("disruptionBudgets", overlay, renderer);
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("renderings")
  void networkPoliciesAllowExactlyTheCallsTheServicesMake(String overlay, Renderer renderer) {
    check("networkPolicies", overlay, renderer);
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("renderings")
  void onlyTheGatewayIsPublished(String overlay, Renderer renderer) {
    check("ingress", overlay, renderer);
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("renderings")
  void topicsAreDeclared(String overlay, Renderer renderer) {
    check("topics", overlay, renderer);
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("renderings")
  void volumesAndClaimsExist(String overlay, Renderer renderer) {
    check("volumes", overlay, renderer);
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("renderings")
  void infrastructureFitsTheOverlay(String overlay, Renderer renderer) {
    check("infrastructure", overlay, renderer);
  }
}
