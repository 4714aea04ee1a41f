package kr.go.procurement.system;

import java.util.ArrayList;
import java.util.List;

/**
 * One fault injected into the running stack while the workload runs. {@link #inject} returns once the fault has
 * been lifted (the service restarted and ready, the broker back, the delay switched off); from then on the scenario
 * promises that a new workflow completes end to end within {@link #recoveryBoundMillis}.
 */
record Scenario(String name, String id, String fault, int faults, long recoveryBoundMillis, Fault inject,
                Expect expect) {

  /** What clients may see besides the workflow's own answers. */
  enum Expect {
    /** "Unavailable, try again" answers (no answer, 502, 503, 504), but only inside the fault's window. */
    UNAVAILABLE_DURING_FAULT,
    /**
     * A deploy that drops nothing: no unavailable answer at all to an idempotent request (GET, PUT, DELETE); a POST
     * or PATCH may get a retryable one, which its client's retry then completes.
     */
    NOTHING_DROPPED,
    /** A graceful restart of the only instance: while it is down, 503 with Retry-After and nothing else. */
    ONLY_503_WHILE_DOWN
  }

  Scenario(String name, String id, String fault, int faults, long recoveryBoundMillis, Fault inject) {
    this(name, id, fault, faults, recoveryBoundMillis, inject, Expect.UNAVAILABLE_DURING_FAULT);
  }

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

  /**
   * A second instance of {@code service} joins (the gateway and request-svc take it in once it is ready), both are
   * restarted one at a time (each replacement ready before the other stops), and the second leaves again.
   */
  static Scenario rollingRestart(String service) {
    return new Scenario("rolling restart " + service + " (2 instances)", "roll-" + service.replace("-svc", ""),
        "2nd instance of " + service + " started, both restarted in turn (SIGTERM), the 2nd stopped", 3, 60_000,
        (stack, http) -> {
          stack.scale(service, 2);
          stack.restart(service);
          stack.scale(service, 1);
        }, Expect.NOTHING_DROPPED);
  }

  /** The only instance of {@code service} stopped gracefully (SIGTERM) and started again. */
  static Scenario gracefulRestart(String service) {
    return new Scenario("graceful restart " + service + " (1 instance)", "restart-" + service.replace("-svc", ""),
        "SIGTERM " + service + ", then start it again", 1, 60_000,
        (stack, http) -> stack.restart(service), Expect.ONLY_503_WHILE_DOWN);
  }

  /** The default build's short version: a few minutes with the stack's start. */
  static List<Scenario> short_() {
    return List.of(kill("request-svc"), kafkaStopped(), rollingRestart("status-view"), rollingRestart("request-svc"));
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
    // The gateway's own clients know one address: its rolling restart needs a balancer in front (in Kubernetes,
    // the Service), so the five services behind it are rolled here.
    for (String s : Stack.SERVICES) {
      if (!s.equals("gateway-svc")) {
        all.add(rollingRestart(s));
        all.add(gracefulRestart(s));
      }
    }
    return all;
  }
}
