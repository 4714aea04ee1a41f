package kr.go.procurement.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run's reliability table, printed and written to {@code target/reliability-report.md} after every scenario
 * (so an interrupted run still leaves what it measured).
 */
final class Report {

  private static final Report INSTANCE = new Report();

  private final List<ScenarioRun.Result> scenarios = new ArrayList<>();
  private final List<String> campaigns = new ArrayList<>();
  private final long begun = System.currentTimeMillis();
  private final String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));

  static Report get() {
    return INSTANCE;
  }

  synchronized void add(ScenarioRun.Result result) {
    scenarios.add(result);
    write();
  }

  /** One line about the bad-input campaign. */
  synchronized void campaign(String line) {
    campaigns.add(line);
    write();
  }

  synchronized String table() {
    StringBuilder sb = new StringBuilder();
    sb.append("| scenario | workflows | faults injected | lost | duplicated | wrong view documents | "
        + "undocumented errors | max recovery time (bound) | result |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|\n");
    for (ScenarioRun.Result r : scenarios) {
      sb.append(String.format(Locale.ROOT, "| %s | %d (%d cancelled) | %d | %d | %d | %d | %d | %s (%d s) | %s |%n",
          r.scenario().name(), r.workflows(), r.cancelled(), r.faults(), r.lost(), r.duplicated(), r.wrongView(),
          r.violations().size(), r.recoveryMillis() < 0 ? "not recovered"
              : String.format(Locale.ROOT, "%.1f s", r.recoveryMillis() / 1000.0),
          r.scenario().recoveryBoundMillis() / 1000, r.passed() ? "pass" : "FAIL"
              + (r.incomplete() > 0 ? " (" + r.incomplete() + " incomplete)" : "")));
    }
    return sb.toString();
  }

  synchronized void write() {
    StringBuilder md = new StringBuilder("# Reliability report\n\n");
    md.append("Run of ").append(started).append(", ").append(Settings.FULL ? "full" : "short (default build)")
        .append(" version, ").append(Settings.WORKFLOWS).append(" workflows a scenario, stack on ports +")
        .append(Settings.PORT_OFFSET).append(String.format(Locale.ROOT, ", %.1f min so far.%n%n",
            (System.currentTimeMillis() - begun) / 60000.0));
    md.append(table()).append('\n');
    md.append("Recovery time: from the moment the fault was lifted (service restarted and ready, broker or database "
        + "back, delay off) until a workflow started then had its result on the status board and its SMS SENT.\n\n");
    for (ScenarioRun.Result r : scenarios) {
      md.append("- **").append(r.scenario().name()).append("** (").append(r.scenario().fault()).append(", ")
          .append(r.seconds()).append(" s): answers ").append(r.answers());
      r.notes().forEach(n -> md.append("; ").append(n));
      md.append('\n');
      if (!r.passed()) {
        md.append("\n```\n").append(r.details()).append("\n```\n");
      }
    }
    for (String c : campaigns) {
      md.append("- ").append(c).append('\n');
    }
    Path file = Settings.TARGET.resolve("reliability-report.md");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
