package kr.go.procurement.system;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kr.go.procurement.testsupport.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole local stack as the developer runs it, {@code java -jar local-stack/target/local-stack.jar}, started once
 * per test JVM on the contract's ports plus {@link Settings#PORT_OFFSET} with a fresh data directory under
 * {@code target/}, and stopped (SIGTERM, which stops every service and server) when the JVM ends. Its output goes to
 * {@code target/local-stack.log}. Faults go through the stack's own admin endpoint.
 */
final class Stack {

  static final List<String> SERVICES = List.of("management-svc", "request-svc", "delivery-svc", "notification-svc",
      "status-view", "gateway-svc");
  private static final Map<String, Integer> PORTS = Map.of("management-svc", 8081, "request-svc", 8082,
      "delivery-svc", 8083, "status-view", 8084, "notification-svc", 8085, "gateway-svc", 8088);

  private static final Logger log = LoggerFactory.getLogger(Stack.class);
  private static Stack instance;

  final int offset = Settings.PORT_OFFSET;
  final Map<String, String> tokens;
  final Database db;
  final MongoClient mongoClient;
  final MongoDatabase mongo;
  final Path logFile;
  private final Process launcher;
  private final HttpClient admin = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** How long the stack took from launch to READY. */
  final Duration startTime;

  /** The running stack, launched on first use. */
  static synchronized Stack get() {
    if (instance == null) {
      instance = new Stack();
    }
    return instance;
  }

  private Stack() {
    Path jar = Settings.ROOT.resolve("local-stack/target/local-stack.jar");
    List<String> missing = new ArrayList<>();
    if (!Files.isRegularFile(jar)) {
      missing.add(jar.toString());
    }
    for (String s : SERVICES) {
      Path j = Settings.ROOT.resolve(s).resolve("target").resolve(s + ".jar");
      if (!Files.isRegularFile(j)) {
        missing.add(j.toString());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("the system tests start the built JARs, and these are missing: "
          + String.join(", ", missing) + ". Build them first: ./mvnw -B package -DskipTests (./mvnw -B verify does)");
    }
    checkPortsFree();
    // The stack runs copies: a JAR rebuilt in the checkout while its JVM runs (another build in the same working
    // tree) breaks that JVM's class loading half-way (NoClassDefFoundError), which is no fault of the system.
    Path root = Settings.TARGET.resolve("stack-root");
    try {
      for (String module : concat("local-stack", SERVICES)) {
        Path from = Settings.ROOT.resolve(module).resolve("target").resolve(module + ".jar");
        Path to = root.resolve(module).resolve("target").resolve(module + ".jar");
        Files.createDirectories(to.getParent());
        Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not copy the JARs to " + root, e);
    }
    jar = root.resolve("local-stack/target/local-stack.jar");
    Path data = Settings.TARGET.resolve("stack-data");
    logFile = Settings.TARGET.resolve("local-stack.log");
    try {
      Files.createDirectories(Settings.TARGET);
      Files.deleteIfExists(logFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-XX:+UseSerialGC", "-Dfile.encoding=UTF-8", "-jar", jar.toString(),
        "--data", data.toString(), "--fresh", "--port-offset", Integer.toString(offset), "--root", root.toString());
    ProcessBuilder pb = new ProcessBuilder(command).directory(Settings.ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(logFile.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Map<String, String> env = pb.environment();
    // the stack's own embedded servers, whatever this shell points at
    for (String name : List.of("PG_HOST", "PG_PORT", "KAFKA_BOOTSTRAP_SERVERS", "MONGO_URI", "LOCAL_STACK_ADMIN_PORT",
        "LOCAL_STACK_PORT_OFFSET", "SERVICE_JAVA_OPTS")) {
      env.remove(name);
    }
    // reaches every service through the launcher's environment: management-svc mounts /faults/delay
    env.put("FAULT_INJECTION", "true");
    // the workload's few hundred simulated officers share the printed tokens (one subject per role), so the
    // per-caller limit (200/s) would be the test's bottleneck rather than a fault; 429s still count as documented
    env.put("RATE_LIMIT_PER_SECOND", "5000");
    env.put("RATE_LIMIT_BURST", "10000");
    // the gateway's access log (one console line per request) is its largest cost on two cores
    env.put("ACCESS_LOG", "false");
    long started = System.nanoTime();
    log.info("starting the local stack (port offset {}), output in {}", offset, logFile);
    try {
      launcher = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + jar, e);
    }
    // from here on, a failure must not leave the stack running: nobody else would stop it
    Thread stopOnExit = new Thread(this::stop, "stop-local-stack");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    try {
      awaitReady(Duration.ofSeconds(300));
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
    startTime = Duration.ofNanos(System.nanoTime() - started);
    log.info("local stack READY after {} s", startTime.toSeconds());
    // the launcher writes tokens.env just after its READY line
    Path tokenFile = data.resolve("tokens.env");
    long tokenDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!(Files.exists(tokenFile) && readTokens(tokenFile).containsKey("ADMIN_TOKEN"))
        && System.nanoTime() < tokenDeadline) {
      sleep(100);
    }
    tokens = readTokens(tokenFile);
    if (!tokens.containsKey("ADMIN_TOKEN")) {
      stop();
      throw new IllegalStateException("the local stack was READY but wrote no tokens to " + tokenFile);
    }
    Map<String, String> pg = new LinkedHashMap<>();
    pg.put("PG_HOST", "127.0.0.1");
    pg.put("PG_PORT", Integer.toString(5432 + offset));
    db = new Database(pg);
    mongoClient = MongoClients.create("mongodb://127.0.0.1:" + (27017 + offset));
    mongo = mongoClient.getDatabase("procurement");
  }

  String gateway() {
    return url("gateway-svc");
  }

  String url(String service) {
    return "http://127.0.0.1:" + port(service);
  }

  int port(String service) {
    return PORTS.get(service) + offset;
  }

  String kafkaBootstrap() {
    return "127.0.0.1:" + (9092 + offset);
  }

  String token(String variable) {
    String t = tokens.get(variable);
    if (t == null) {
      throw new IllegalStateException("no " + variable + " in tokens.env: " + tokens.keySet());
    }
    return t;
  }

  // --- faults, through the local stack's admin endpoint ------------------------------------------------------

  /** SIGKILL. */
  void kill(String name) {
    admin(name, "kill");
  }

  /** Starts and waits until ready. */
  void start(String name) {
    admin(name, "start");
  }

  void stop(String name) {
    admin(name, "stop");
  }

  void restart(String name) {
    admin(name, "restart");
  }

  void scale(String name, int instances) {
    admin(name, "scale?instances=" + instances);
  }

  private void admin(String name, String action) {
    URI uri = URI.create("http://127.0.0.1:" + (8099 + offset) + "/services/" + name + "/" + action);
    try {
      HttpResponse<String> r = admin.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(300))
          .header("X-Local-Stack", "1").POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("admin " + action + " " + name + " answered " + r.statusCode() + ": " + r.body());
      }
      log.info("admin {} {}: {}", action, name, r.body());
    } catch (IOException e) {
      throw new UncheckedIOException("admin " + action + " " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // --- start and stop ------------------------------------------------------------------------------------------

  private void checkPortsFree() {
    Map<Integer, String> ports = new LinkedHashMap<>();
    ports.put(5432 + offset, "PostgreSQL");
    ports.put(9092 + offset, "Kafka");
    ports.put(9093 + offset, "the Kafka controller");
    ports.put(27017 + offset, "MongoDB");
    PORTS.forEach((name, port) -> ports.put(port + offset, name));
    // the rebalance scenario's second instances
    for (String name : List.of("management-svc", "notification-svc")) {
      ports.put(PORTS.get(name) + offset + 10, name + " (second instance)");
    }
    ports.put(8099 + offset, "the local stack's admin endpoint");
    List<String> busy = new ArrayList<>();
    ports.forEach((port, what) -> {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      } catch (IOException e) {
        busy.add(port + " (" + what + ")");
      }
    });
    if (!busy.isEmpty()) {
      throw new IllegalStateException("the system tests start their own local stack on the contract's ports + "
          + offset + ", but these are in use: " + String.join(", ", busy) + ". Is another system-test run or a "
          + "local stack started with --port-offset " + offset + " running? Stop it, or pick other ports with "
          + "-Dsystem.portOffset=N");
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String output = readLog();
      for (String line : output.split("\n")) {
        if (line.startsWith("READY ")) {
          return;
        }
      }
      if (output.contains("START FAILED") || !launcher.isAlive()) {
        stop();
        throw new IllegalStateException("the local stack did not start; the end of " + logFile + ":\n" + tail(output));
      }
      sleep(250);
    }
    stop();
    throw new IllegalStateException("the local stack was not READY within " + timeout.toSeconds() + " s; see " + logFile);
  }

  String readLog() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(String output) {
    String[] lines = output.split("\n");
    return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
  }

  private static Map<String, String> readTokens(Path file) {
    Map<String, String> tokens = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return tokens;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (!line.startsWith("#") && eq > 0) {
          tokens.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the stack's tokens from " + file, e);
    }
    return tokens;
  }

  /** SIGTERM to the launcher, which stops the services and servers in order; SIGKILL after a minute. */
  synchronized void stop() {
    if (launcher == null || !launcher.isAlive()) {
      return;
    }
    launcher.destroy();
    try {
      if (!launcher.waitFor(60, TimeUnit.SECONDS)) {
        launcher.destroyForcibly();
        launcher.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
