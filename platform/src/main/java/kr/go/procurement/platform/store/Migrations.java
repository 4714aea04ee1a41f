package kr.go.procurement.platform.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import kr.go.procurement.platform.config.PgConfig;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flyway migrations of a service's schema, run at start-up on a worker thread (Flyway is JDBC, so never on an event
 * loop). The platform's own tables (outbox, processed_events) come first as versions 0.x; a service's migrations
 * live in {@code db/<schema>} and start at version 1. Flyway's lock makes concurrent replicas safe.
 *
 * <p>Most starts find the schema already migrated. Then {@link #migrate(Vertx, PgConfig, SqlClient)} does not run
 * Flyway at all (loading and configuring it was a second of every start-up): it compares Flyway's history table with
 * the bundled scripts, version for version and checksum for checksum (Flyway's own checksum: CRC-32 of the script's
 * lines), and only an exact match skips Flyway. Anything else (a fresh schema, a new script, a changed or failed
 * one, an unexpected file) runs Flyway as before, with its validation and its errors.
 */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__.+\\.sql");

  private Migrations() {
  }

  /** Runs Flyway unless the schema is already exactly at the bundled scripts (checked with {@code client}). */
  public static Future<Integer> migrate(Vertx vertx, PgConfig config, SqlClient client) {
    return isCurrent(vertx, config, client).compose(current -> {
      if (current) {
        LOG.atInfo().addKeyValue("schema", config.schema()).log("schema is up to date");
        return Future.succeededFuture(0);
      }
      return migrate(vertx, config);
    });
  }

  /** Runs Flyway. */
  public static Future<Integer> migrate(Vertx vertx, PgConfig config) {
    return vertx.executeBlocking(() -> {
      Flyway flyway = Flyway.configure()
          .dataSource(config.jdbcUrl(), config.user(), config.password())
          .schemas(config.schema())
          .createSchemas(true)
          .locations(locations(config).stream().map(location -> "classpath:" + location).toArray(String[]::new))
          .connectRetries(10)
          .connectRetriesInterval(1)
          .load();
      int applied = flyway.migrate().migrationsExecuted;
      LOG.atInfo().addKeyValue("schema", config.schema()).addKeyValue("applied", applied).log("schema migrated");
      return applied;
    });
  }

  /**
   * Whether Flyway's history in the schema records exactly the bundled scripts, each successfully and with the same
   * checksum. False on any doubt, including a missing history table or an unreachable database.
   */
  public static Future<Boolean> isCurrent(Vertx vertx, PgConfig config, SqlClient client) {
    Future<Map<String, Integer>> bundled = vertx.executeBlocking(() -> bundledScripts(locations(config)), false);
    Future<Map<String, Integer>> applied = client
        .query("SELECT version, checksum, success FROM " + identifier(config.schema())
            + ".flyway_schema_history WHERE version IS NOT NULL")
        .execute()
        .map(rows -> {
          Map<String, Integer> versions = new HashMap<>();
          for (Row row : rows) {
            if (!Boolean.TRUE.equals(row.getBoolean("success"))
                || versions.put(row.getString("version"), row.getInteger("checksum")) != null) {
              return null;
            }
          }
          return versions;
        });
    return Future.all(bundled, applied)
        .map(all -> bundled.result() != null && !bundled.result().isEmpty() && bundled.result().equals(applied.result()))
        .otherwise(false);
  }

  private static List<String> locations(PgConfig config) {
    return List.of("db/platform", "db/" + config.schema());
  }

  /** Version → Flyway checksum of every script in {@code locations}; null if anything is not a plain versioned script. */
  static Map<String, Integer> bundledScripts(List<String> locations) throws IOException, URISyntaxException {
    Map<String, Integer> scripts = new HashMap<>();
    ClassLoader loader = Migrations.class.getClassLoader();
    for (String location : locations) {
      Enumeration<URL> urls = loader.getResources(location);
      while (urls.hasMoreElements()) {
        Map<String, Integer> found = scriptsAt(urls.nextElement(), location);
        if (found == null) {
          return null;
        }
        for (Map.Entry<String, Integer> script : found.entrySet()) {
          if (scripts.put(script.getKey(), script.getValue()) != null) {
            return null; // the same version twice: Flyway's error to report
          }
        }
      }
    }
    return scripts;
  }

  private static Map<String, Integer> scriptsAt(URL url, String location) throws IOException, URISyntaxException {
    Map<String, Integer> scripts = new HashMap<>();
    if (url.getProtocol().equals("jar")) {
      JarURLConnection connection = (JarURLConnection) url.openConnection();
      connection.setUseCaches(false);
      try (JarFile jar = connection.getJarFile()) {
        String prefix = location + "/";
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
          JarEntry entry = entries.nextElement();
          String name = entry.getName();
          if (entry.isDirectory() || !name.startsWith(prefix)) {
            continue;
          }
          String file = name.substring(prefix.length());
          if (file.contains("/") || !add(scripts, file, jar.getInputStream(entry))) {
            return null;
          }
        }
      }
    } else if (url.getProtocol().equals("file")) {
      try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
        for (Path path : files.collect(Collectors.toList())) {
          if (Files.isDirectory(path) || !add(scripts, path.getFileName().toString(), Files.newInputStream(path))) {
            return null;
          }
        }
      }
    } else {
      return null;
    }
    return scripts;
  }

  private static boolean add(Map<String, Integer> scripts, String file, InputStream content) throws IOException {
    try (content) {
      Matcher m = VERSIONED.matcher(file);
      if (!m.matches()) {
        return false;
      }
      return scripts.put(version(m.group(1)), checksum(content)) == null;
    }
  }

  /** Flyway's normalised version text: parts separated by dots, each without leading zeros ("0_1" → "0.1"). */
  static String version(String raw) {
    return Stream.of(raw.split("[._]")).map(part -> new BigInteger(part).toString()).collect(Collectors.joining("."));
  }

  /** Flyway's checksum of a script: CRC-32 over the UTF-8 bytes of its lines, without line ends or a BOM. */
  static int checksum(InputStream content) throws IOException {
    CRC32 crc = new CRC32();
    BufferedReader reader = new BufferedReader(new InputStreamReader(content, StandardCharsets.UTF_8));
    String line;
    boolean first = true;
    while ((line = reader.readLine()) != null) {
      if (first && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      first = false;
      crc.update(line.getBytes(StandardCharsets.UTF_8));
    }
    return (int) crc.getValue();
  }

  private static String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
