package kr.go.procurement.platform.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Reads configuration values from environment variables, with local defaults. A malformed value fails start-up
 * with a message naming the variable, rather than surfacing later as a confusing runtime error.
 */
public final class Env {

  private final Map<String, String> values;

  public Env(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static Env system() {
    return new Env(System.getenv());
  }

  /** The same environment with some values replaced (tests point services at their own servers this way). */
  public Env with(Map<String, String> overrides) {
    var merged = new java.util.HashMap<>(values);
    merged.putAll(overrides);
    return new Env(merged);
  }

  public Optional<String> optional(String name) {
    String v = values.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  public String string(String name, String defaultValue) {
    return optional(name).orElse(defaultValue);
  }

  public int integer(String name, int defaultValue) {
    return optional(name).map(v -> {
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'");
      }
    }).orElse(defaultValue);
  }

  public long longValue(String name, long defaultValue) {
    return optional(name).map(v -> {
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'");
      }
    }).orElse(defaultValue);
  }

  /** A duration in milliseconds, the unit every `*_MS` variable uses. */
  public Duration millis(String name, long defaultMillis) {
    return Duration.ofMillis(longValue(name, defaultMillis));
  }

  public boolean bool(String name, boolean defaultValue) {
    return optional(name).map(v -> switch (v.toLowerCase()) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
    }).orElse(defaultValue);
  }
}
