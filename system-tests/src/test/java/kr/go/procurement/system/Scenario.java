package kr.go.procurement.system;

import java.util.ArrayList;
import java.util.List;

/**
 * One fault injected into the running stack while the workload runs. {@link #inject} returns once the fault has
 * been lifted (the service restarted and ready, the broker back, the delay switched off); from then on the scenario
 * promises that a new workflow completes end to end within {@link #recoveryBoundMillis}.
 */
record Scenario(String name, String id, String fault, int faults, long recoveryBoundMillis, Fault inject) {

  /** Injects the fault and lifts it again. */
  interface Fault {
    void run(Stack stack, Http http);
  }

  static Scenario kill(String service) {
    return new Scenario("kill -9 " + service, "kill-" + service.replace("-svc", ""),
        "SIGKILL " + service + ", then start it again", 1, 60_000, (stack, http) -> {
          stack.kill(service);
          stack.start(service);
        });
  }

  static Scenario kafkaStopped() {
    return new Scenario("Kafka stopped 10 s", "kafka", "broker stopped, started 10 s later", 1, 90_000,
        (stack, http) -> {
          stack.stop("kafka");
          Stack.sleep(10_000);
          stack.start("kafka");
        });
  }

  static Scenario postgresRestarted() {
    return new Scenario("PostgreSQL restarted", "postgres", "PostgreSQL stopped and started", 1, 60_000,
        (stack, http) -> stack.restart("postgres"));
  }

  static Scenario mongoRestarted() {
    return new Scenario("MongoDB-wire restarted", "mongo", "MongoDB-wire server stopped and started", 1, 60_000,
        (stack, http) -> stack.restart("mongo"));
  }

  /** management answers after 1.5 s (request-svc gives up after 1 s) for 15 s: the breaker must open. */
  static Scenario managementSlow() {
    return new Scenario("management slow (breaker)", "slow", "management-svc delayed 1.5 s for 15 s", 1, 60_000,
        (stack, http) -> {
          Http.Answer on = http.send(stack.url("management-svc"), "POST", "/faults/delay?ms=1500", null, null,
              java.util.Map.of());
          if (on.status() != 200) {
            throw new IllegalStateException("could not slow management down (FAULT_INJECTION not passed on?): " + on);
          }
          Stack.sleep(15_000);
          Http.Answer off = http.send(stack.url("management-svc"), "DELETE", "/faults/delay", null, null,
              java.util.Map.of());
          if (off.status() != 204) {
            throw new IllegalStateException("could not switch the delay off: " + off);
          }
        });
  }

  /**
   * A second instance of management-svc and of notification-svc joins its consumer group (Kafka moves half the
   * partitions to it) and leaves again 10 s later (they move back): four rebalances.
   */
  static Scenario rebalance() {
    return new Scenario("partition rebalance", "rebalance",
        "2nd instance of management-svc and notification-svc started, stopped 10 s later", 4, 60_000,
        (stack, http) -> {
          stack.scale("management-svc", 2);
          stack.scale("notification-svc", 2);
          Stack.sleep(10_000);
          stack.scale("management-svc", 1);
          stack.scale("notification-svc", 1);
        });
  }

  /** The default build's short version: under five minutes with the stack's start. */
  static List<Scenario> short_() {
    return List.of(kill("request-svc"), kafkaStopped());
  }

  static List<Scenario> full() {
    List<Scenario> all = new ArrayList<>();
    for (String s : Stack.SERVICES) {
      all.add(kill(s));
    }
    all.add(kafkaStopped());
    all.add(postgresRestarted());
    all.add(mongoRestarted());
    all.add(managementSlow());
    all.add(rebalance());
    return all;
  }
}
