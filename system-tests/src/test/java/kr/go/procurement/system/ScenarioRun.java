package kr.go.procurement.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scenario: N workflows started over a ramp, the fault injected while they run, a canary workflow started
 * the moment the fault is lifted (its end-to-end time is the recovery time), then the checks until the services
 * agree with what their clients were told, or the settle bound is over.
 */
final class ScenarioRun {

  /** What a scenario came to: the report's row, and everything that went wrong. */
  record Result(Scenario scenario, int workflows, int cancelled, int faults, int lost, int duplicated, int wrongView,
                int incomplete, List<String> violations, long recoveryMillis, boolean recovered, String answers,
                List<String> notes, String details, long seconds) {

    boolean passed() {
      return lost == 0 && duplicated == 0 && wrongView == 0 && incomplete == 0 && violations.isEmpty() && recovered
          && notes.stream().noneMatch(n -> n.startsWith("FAILED"));
    }
  }

  private static final Logger log = LoggerFactory.getLogger(ScenarioRun.class);
  /** Time allowed after the workload for the last events to be applied everywhere. */
  private static final long SETTLE_MILLIS = 120_000;

  private final Stack stack;
  private final Http http;
  private final Checker checker;

  ScenarioRun(Stack stack, Http http) {
    this.stack = stack;
    this.http = http;
    this.checker = new Checker(stack, http);
  }

  Result run(Scenario scenario, int index, int n) throws Exception {
    long begun = System.currentTimeMillis();
    String prefix = "st" + index + "-" + scenario.id() + "-";
    Ledger ledger = new Ledger();
    Random random = new Random(index * 7919L + n);
    List<Workflow> workflows = new ArrayList<>();
    int cancelled = 0;
    for (int i = 0; i < n; i++) {
      // a quarter cancelled, at a random step
      int cancelAfter = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0;
      cancelled += cancelAfter > 0 ? 1 : 0;
      workflows.add(new Workflow(stack, http, ledger, prefix + i, cancelAfter, random));
    }
    // New workflows keep starting before, during and after the fault (the slowest fault, two extra JVMs starting,
    // takes about 25 s here): 300 over 45 s, the fault a quarter of the way in.
    long rampMillis = Math.max(6_000, n * 150L);
    long faultAt = rampMillis / 4;
    String circuitBefore = scenario.id().equals("slow") ? circuitRejections() : null;

    ExecutorService pool = Executors.newFixedThreadPool(n + 1, r -> {
      Thread t = new Thread(r, "workflow");
      t.setDaemon(true);
      return t;
    });
    List<Future<?>> running = new ArrayList<>();
    long start = System.currentTimeMillis();
    for (int i = 0; i < n; i++) {
      long startAt = start + i * rampMillis / n;
      Workflow w = workflows.get(i);
      running.add(pool.submit(() -> {
        Stack.sleep(Math.max(0, startAt - System.currentTimeMillis()));
        w.run();
      }));
    }
    // Deploy scenarios also read lists through the gateway the whole time, as the status board and REST clients do:
    // one GET every 20 ms, on a scheduler's fixed rate.
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "list-reader");
      t.setDaemon(true);
      return t;
    });
    if (scenario.expect() != Scenario.Expect.UNAVAILABLE_DURING_FAULT) {
      reader.scheduleAtFixedRate(() -> readList(ledger, reads), 0, 20, TimeUnit.MILLISECONDS);
    }
    double retriesBefore = gatewayRetries();
    Stack.sleep(Math.max(0, start + faultAt - System.currentTimeMillis()));
    log.info("{}: injecting the fault ({}) with {} workflows under way", scenario.name(), scenario.fault(),
        workflows.stream().filter(w -> w.startedAt > 0 && w.finishedAt == 0).count());
    long faultStart = System.currentTimeMillis();
    scenario.inject().run(stack, http);
    long lifted = System.currentTimeMillis();
    log.info("{}: fault lifted after {} ms", scenario.name(), lifted - faultStart);

    // the canary: a new workflow right after the fault, followed until the board and the SMS show its result
    Workflow canary = new Workflow(stack, http, ledger, prefix + "canary", 0, new Random(index));
    canary.run();
    long recovered = canary.outcome() == Workflow.Outcome.INSPECTED ? awaitVisibleEverywhere(canary, lifted
        + scenario.recoveryBoundMillis()) : -1;
    long recoveryMillis = recovered < 0 ? -1 : recovered - lifted;
    log.info("{}: canary done end to end {} ms after the fault was lifted", scenario.name(), recoveryMillis);

    for (Future<?> f : running) {
      f.get(10, TimeUnit.MINUTES);
    }
    pool.shutdown();
    reader.shutdown();
    reader.awaitTermination(60, TimeUnit.SECONDS);
    List<Workflow> all = new ArrayList<>(workflows);
    all.add(canary);
    log.info("{}: workload done ({} answers: {}); checking", scenario.name(), ledger.total(), ledger.histogram());
    Checker.Findings findings = checker.converge(prefix, all, SETTLE_MILLIS);

    List<String> violations = new ArrayList<>(ledger.violations());
    for (Http.Answer a : ledger.unavailableOutside(faultStart, lifted + scenario.recoveryBoundMillis())) {
      violations.add("unavailable outside the fault's window: " + a);
    }
    for (Http.Answer a : ledger.unavailable()) {
      switch (scenario.expect()) {
        case NOTHING_DROPPED -> {
          if (!a.method().equals("POST") && !a.method().equals("PATCH")) {
            violations.add("an idempotent request was not answered during a rolling restart: " + a);
          }
        }
        case ONLY_503_WHILE_DOWN -> {
          if (a.status() != 503) {
            violations.add("while the only instance restarted, an answer other than 503: " + a);
          }
        }
        default -> { }
      }
    }
    List<String> notes = new ArrayList<>();
    if (scenario.expect() != Scenario.Expect.UNAVAILABLE_DURING_FAULT) {
      java.util.Map<String, Long> unavailable = new java.util.TreeMap<>();
      for (Http.Answer a : ledger.unavailable()) {
        unavailable.merge(a.method() + " " + a.path().replaceAll("/[0-9]+", "/{id}").replaceAll("\\?.*", "")
            + " " + (a.status() == -1 ? "no-answer" : a.status()), 1L, Long::sum);
      }
      notes.add(ledger.total() + " requests (" + reads.get() + " list reads), " + ledger.unavailable().size()
          + " answered unavailable " + unavailable + ", gateway retries " + (long) (gatewayRetries() - retriesBefore));
    }
    if (circuitBefore != null) {
      String after = circuitRejections();
      long rejected = (long) (Double.parseDouble(after) - Double.parseDouble(circuitBefore));
      long refused = ledger.count(503);
      notes.add((rejected > 0 ? "" : "FAILED: ") + "breaker opened: " + rejected
          + " calls refused by the open circuit, " + refused + " answers 503 + Retry-After");
    }
    StringBuilder details = new StringBuilder(findings.summary());
    violations.stream().limit(10).forEach(v -> details.append("\n  violation: ").append(v));
    int wfCount = n + 1;
    return new Result(scenario, wfCount, cancelled, scenario.faults(), findings.lost.size(),
        findings.duplicated.size(), findings.wrongView.size(), findings.incomplete.size(), violations,
        recoveryMillis, recovered >= 0 && recoveryMillis <= scenario.recoveryBoundMillis(), ledger.histogram(), notes,
        details.toString(), (System.currentTimeMillis() - begun) / 1000);
  }

  /** The moment the canary's result shows on the status board (through the gateway) and its SMS is SENT. */
  private long awaitVisibleEverywhere(Workflow canary, long deadline) {
    while (System.currentTimeMillis() < deadline) {
      Http.Answer view = http.json(stack.gateway(), "GET", "/deliveryStatusInquiries/" + canary.id,
          stack.token("VIEWER_TOKEN"), null);
      Http.Answer sms = http.json(stack.gateway(), "GET", "/smsHistories/search/findByProcNo?procNo=" + canary.procNo,
          stack.token("AGENCY_TOKEN"), null);
      if (view.status() == 200 && "INSPECTED".equals(view.json().getString("status"))
          && sms.status() == 200 && "SENT".equals(sms.json().getString("status"))) {
        return System.currentTimeMillis();
      }
      Stack.sleep(100);
    }
    return -1;
  }

  private static final String[] LISTS = {"/deliveryStatusInquiries?size=5", "/deliveryrequests?size=5",
      "/deliverymanagements?size=5", "/goodsdeliveries?size=5", "/smsHistories?size=5"};

  /** The next of the five lists, through the gateway. */
  private void readList(Ledger ledger, java.util.concurrent.atomic.AtomicInteger reads) {
    int i = reads.getAndIncrement();
    ledger.record(http.json(stack.gateway(), "GET", LISTS[i % LISTS.length], stack.token("ADMIN_TOKEN"), null));
  }

  /** The gateway's retries so far (all upstreams and reasons), from its Prometheus text. */
  private double gatewayRetries() {
    Http.Answer metrics = http.json(stack.gateway(), "GET", "/metrics", null, null);
    double sum = 0;
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith("gateway_upstream_retries_total")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
      }
    }
    return sum;
  }

  /** request-svc's count of calls the open circuit refused (Prometheus text), "0" if none yet. */
  private String circuitRejections() {
    Http.Answer metrics = http.json(stack.url("request-svc"), "GET", "/metrics", null, null);
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith("circuit_breaker_rejected_total")) {
        return line.substring(line.lastIndexOf(' ') + 1).trim();
      }
    }
    return "0";
  }
}
