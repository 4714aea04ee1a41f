package kr.go.procurement.system;

import java.nio.file.Path;

/**
 * What a run is asked to do, from system properties (the module's POM passes {@code -Dsystem.*} through):
 * {@code system.full} (every scenario, 300 workflows each, a larger bad-input campaign), {@code system.workflows},
 * {@code system.scenarios} (ids to run, by prefix), {@code system.portOffset} (the launched stack's ports are the contract's plus this). The bad-input campaign's size
 * is jqwik's {@code jqwik.tries.default}, which the POM sets from {@code system.badInputTries}.
 */
final class Settings {

  static final boolean FULL = Boolean.parseBoolean(value("system.full", "false"));
  static final int WORKFLOWS = Integer.parseInt(value("system.workflows", FULL ? "300" : "40"));
  /** Only the scenarios whose id starts with one of these (comma-separated, e.g. {@code roll,restart}); empty: all. */
  static final java.util.List<String> SCENARIOS = java.util.Arrays.stream(value("system.scenarios", "").split(","))
      .map(String::trim).filter(x -> !x.isEmpty()).toList();
  static final int PORT_OFFSET = Integer.parseInt(value("system.portOffset", "2000"));
  /** The repository: {@code <root>/<module>/target/<module>.jar}. */
  static final Path ROOT = Path.of(value("system.root", "..")).toAbsolutePath().normalize();
  /** Where the stack's data, its log and the report go. */
  static final Path TARGET = Path.of(value("system.target", "target")).toAbsolutePath().normalize();

  private Settings() {
  }

  private static String value(String name, String defaultValue) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? defaultValue : v.trim();
  }
}
