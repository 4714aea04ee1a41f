package kr.go.procurement.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The scanner that the manifest checks rely on sees what it must: every service, each with its port variable and its
 * three paths, the platform's variables in the services that use those platform classes (and not in the others), and
 * the gateway's upstream variables declared by its enum. And the checks' deliberate lists name only variables some
 * service really reads, so they cannot silently go stale when the code changes.
 */
class CodeFactsTest {

  private final CodeFacts code = CodeFacts.get();

  @Test
  void everyServiceHasAPortAndItsHealthAndMetricsPaths() {
    assertThat(code.services()).containsKeys("gateway-svc", "request-svc", "management-svc", "delivery-svc",
        "status-view", "notification-svc");
    for (CodeFacts.ServiceCode s : code.services().values()) {
      assertThat(s.portVariable()).as(s.name()).endsWith("PORT");
      assertThat(s.localPort()).as(s.name()).isBetween(1024, 65535);
      assertThat(Set.of(s.livePath(), s.readyPath(), s.metricsPath())).as(s.name()).hasSize(3)
          .allSatisfy(p -> assertThat(p).startsWith("/"));
      // Every service runs through ServiceMain and logs through logback.xml.
      assertThat(s.env()).as(s.name()).containsKeys("SHUTDOWN_DRAIN_MS", "PARENT_PID", "LOG_FORMAT", "LOG_LEVEL");
    }
  }

  @Test
  void platformVariablesFollowThePlatformClassesAServiceUses() {
    for (CodeFacts.ServiceCode s : code.services().values()) {
      boolean pg = s.env().containsKey("PG_HOST");
      assertThat(s.env().containsKey("PG_PASSWORD")).as(s.name()).isEqualTo(pg);
      boolean mongo = s.env().containsKey("MONGO_URI");
      assertThat(s.env().containsKey("MONGO_DATABASE")).as(s.name()).isEqualTo(mongo);
      assertThat(pg && mongo).as("%s uses one store", s.name()).isFalse();
    }
    assertThat(code.service("gateway-svc").env()).doesNotContainKeys("PG_HOST", "KAFKA_BOOTSTRAP_SERVERS", "MONGO_URI");
    assertThat(code.service("request-svc").env()).containsKeys("PG_HOST", "KAFKA_BOOTSTRAP_SERVERS", "MANAGEMENT_URL");
  }

  @Test
  void theGatewaysUpstreamVariablesComeFromItsServiceEnum() {
    Set<String> urls = new LinkedHashSet<>();
    code.service("gateway-svc").env().forEach((name, v) -> {
      if (name.endsWith("_URL") && v.readIn().endsWith("Service.java")) {
        urls.add(name);
      }
    });
    assertThat(urls).hasSize(code.services().size() - 1);
  }

  @Test
  void shutdownAndReadinessConstantsAreFound() {
    assertThat(code.shutdownBudgetSeconds()).isPositive();
    assertThat(code.httpGraceSeconds()).isPositive().isLessThan(code.shutdownBudgetSeconds());
    assertThat(code.readinessCheckTimeoutSeconds()).isPositive();
    assertThat(code.deadLetterSuffix()).isNotBlank();
    assertThat(code.routePrefixes("gateway-svc")).isNotEmpty().allSatisfy(p -> assertThat(p).matches("/[A-Za-z]+"));
  }

  @Test
  void theChecksListsNameOnlyVariablesTheCodeReads() {
    Set<String> read = new LinkedHashSet<>();
    code.services().values().forEach(s -> read.addAll(s.env().keySet()));
    assertThat(read).containsAll(Checks.DEFAULTED.keySet()).containsAll(Checks.FORBIDDEN.keySet())
        .containsAll(Checks.REQUIRED_VALUES.keySet());
    Checks.EXACTLY_ONE.forEach(group -> assertThat(read).containsAll(group));
    assertThat(code.services().keySet()).containsAll(Checks.AUTOSCALED);
  }

  @Test
  void commentsAreDroppedButStringsKept() {
    String src = "a(\"http://x:1\"); // env.string(\"NOT_READ\", 1)\n/* env.integer(\"NOR_THIS\", 2) */ b('/');";
    assertThat(JavaSource.withoutComments(src)).contains("\"http://x:1\"").contains("b('/')")
        .doesNotContain("NOT_READ").doesNotContain("NOR_THIS");
  }
}
