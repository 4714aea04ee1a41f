package kr.go.procurement.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steady workload under faults, one scenario after the other on one running local stack: the short version
 * (kill -9 of request-svc, Kafka stopped) in the default build, every scenario with {@code -Dsystem.full=true}.
 */
class ReliabilityIT {

  private static final Logger log = LoggerFactory.getLogger(ReliabilityIT.class);

  @TestFactory
  Stream<DynamicTest> scenarios() {
    Stack stack = Stack.get();
    Http http = new Http();
    ScenarioRun runner = new ScenarioRun(stack, http);
    List<Scenario> scenarios = (Settings.FULL ? Scenario.full() : Scenario.short_()).stream()
        .filter(s -> Settings.SCENARIOS.isEmpty() || Settings.SCENARIOS.stream().anyMatch(s.id()::startsWith))
        .toList();
    AtomicInteger index = new AtomicInteger();
    return scenarios.stream().map(scenario -> DynamicTest.dynamicTest(scenario.name(), () -> {
      ScenarioRun.Result result = runner.run(scenario, index.incrementAndGet(), Settings.WORKFLOWS);
      Report.get().add(result);
      log.info("\n{}\n{}: {}", Report.get().table(), scenario.name(), result.details());
      assertTrue(result.passed(), () -> scenario.name() + " failed: " + result.details()
          + (result.recovered() ? "" : "\n  not recovered within the bound: " + result.recoveryMillis() + " ms")
          + "\n  notes: " + result.notes());
    }));
  }
}
