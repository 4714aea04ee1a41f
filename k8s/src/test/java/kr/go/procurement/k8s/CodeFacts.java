package kr.go.procurement.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the services' code says about running them, read from their sources (not repeated by hand in the tests):
 *
 * <ul>
 *   <li>the services: the modules of the root pom whose main class calls {@code ServiceMain.run("<name>", ...)};</li>
 *   <li>the environment variables each reads: every {@code env.string/integer/millis/bool/longValue/optional("X", ...)}
 *       call (and {@code env.get("X")}, {@code parseLong(env, "X", ...)}) in the service's own sources and in the
 *       platform classes it uses (transitively: a service that mentions {@code PgConfig} reads PG_*), variables named
 *       by an enum whose accessor the code passes to {@code env} (the gateway's {@code Service.urlVariable()}),
 *       and {@code ${X:-default}} in logback.xml. A call whose variable cannot be determined fails the scan;</li>
 *   <li>the port: the one {@code *PORT} integer the service's own config reads ({@code HTTP_PORT});</li>
 *   <li>the health and metrics paths: the {@code router.get("<path>").handler(...)} registrations of
 *       {@code liveHandler}, {@code readyHandler} and the Prometheus scrape handler, in the service or the platform
 *       router it uses;</li>
 *   <li>constants of the graceful shutdown and readiness ({@code SHUTDOWN_BUDGET_SECONDS}, {@code HTTP_GRACE},
 *       {@code DEFAULT_TIMEOUT}), the dead-letter suffix, and the gateway's public route prefixes.</li>
 * </ul>
 */
final class CodeFacts {

  /** How the code reads a variable, which decides which values are valid. */
  enum Accessor { STRING, INTEGER, LONG, MILLIS, BOOL }

  /** One variable a service reads, with the code's default (null when there is none) and where it is read. */
  record EnvVar(String name, Accessor accessor, String defaultValue, String readIn) {
  }

  /** One service as its code describes it. */
  record ServiceCode(String name, Path module, Map<String, EnvVar> env, String portVariable, int localPort,
                     String livePath, String readyPath, String metricsPath) {
  }

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern SERVICE_MAIN = Pattern.compile("ServiceMain\\.run\\(\\s*\"([^\"]+)\"");
  private static final Pattern ENV_CALL = Pattern.compile(
      "\\benv\\s*\\.\\s*(string|integer|millis|bool|longValue|optional|get)\\s*\\(\\s*"
          + "(\"[^\"]*\"|\\w+\\s*\\.\\s*\\w+\\s*\\(\\s*\\)|\\w+)\\s*(?:,\\s*([^)]*?))?\\s*\\)");
  private static final Pattern ENV_HELPER = Pattern.compile(
      "\\b(\\w+)\\s*\\(\\s*env\\s*,\\s*\"([A-Z][A-Z0-9_]*)\"\\s*(?:,\\s*([^,)]*))?");
  private static final Pattern NON_LITERAL_ARG = Pattern.compile("\\w+\\s*\\.\\s*(\\w+)\\s*\\(\\s*\\)");
  private static final Pattern ENUM_CONSTANT = Pattern.compile("(?m)^\\s*[A-Z][A-Z0-9_]*\\s*\\(([^)]*)\\)\\s*[,;]");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+");
  private static final Pattern LOGBACK_VAR = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::-([^}]*))?}");
  private static final Pattern ROUTE = Pattern.compile("\\.get\\(\\s*\"([^\"]+)\"\\s*\\)\\s*\\.handler\\(([^;]*)\\)\\s*;");
  private static final Pattern CLASS_WORD = Pattern.compile("\\b([A-Z][A-Za-z0-9]*)\\b");

  private final Path root;
  private final Map<String, ServiceCode> services = new LinkedHashMap<>();
  private final Path platform;
  private final Map<String, Path> platformClasses = new HashMap<>();
  private final Map<Path, String> sources = new HashMap<>();

  private static CodeFacts instance;

  static synchronized CodeFacts get() {
    if (instance == null) {
      instance = new CodeFacts(Repo.root());
    }
    return instance;
  }

  CodeFacts(Path root) {
    this.root = root;
    List<String> modules = new ArrayList<>();
    Matcher m = MODULE.matcher(read(root.resolve("pom.xml")));
    while (m.find()) {
      modules.add(m.group(1).trim());
    }
    Path platformModule = null;
    Map<String, Path> serviceModules = new LinkedHashMap<>();
    for (String module : modules) {
      for (Path file : javaFiles(root.resolve(module))) {
        if (file.getFileName().toString().equals("ServiceMain.java")) {
          platformModule = root.resolve(module);
        }
        Matcher main = SERVICE_MAIN.matcher(source(file));
        if (main.find() && !file.getFileName().toString().equals("ServiceMain.java")) {
          serviceModules.put(main.group(1), root.resolve(module));
        }
      }
    }
    if (platformModule == null) {
      throw new IllegalStateException("No module of the root pom has ServiceMain.java");
    }
    this.platform = platformModule;
    for (Path file : javaFiles(platform)) {
      platformClasses.put(file.getFileName().toString().replace(".java", ""), file);
    }
    serviceModules.forEach((name, module) -> services.put(name, scan(name, module)));
  }

  Map<String, ServiceCode> services() {
    return services;
  }

  ServiceCode service(String name) {
    ServiceCode s = services.get(name);
    if (s == null) {
      throw new IllegalArgumentException("No service named " + name + " in the code: " + services.keySet());
    }
    return s;
  }

  /** {@code ServiceMain.SHUTDOWN_BUDGET_SECONDS}: the most the whole shutdown routine may take. */
  int shutdownBudgetSeconds() {
    return intConstant("ServiceMain", "SHUTDOWN_BUDGET_SECONDS\\s*=\\s*(\\d+)");
  }

  /** {@code Lifecycle.HTTP_GRACE}: the part of the budget kept for closing; the drain is capped at the rest. */
  int httpGraceSeconds() {
    return intConstant("Lifecycle", "HTTP_GRACE\\s*=\\s*Duration\\.ofSeconds\\((\\d+)\\)");
  }

  /** {@code Readiness.DEFAULT_TIMEOUT}: how long one readiness check may take inside the service. */
  int readinessCheckTimeoutSeconds() {
    return intConstant("Readiness", "DEFAULT_TIMEOUT\\s*=\\s*Duration\\.ofSeconds\\((\\d+)\\)");
  }

  /** What {@code KafkaConfig.deadLetterTopic()} appends to the topic name. */
  String deadLetterSuffix() {
    Matcher m = Pattern.compile("deadLetterTopic\\(\\)\\s*\\{\\s*return\\s+topic\\s*\\+\\s*\"([^\"]+)\"")
        .matcher(source(platformClass("KafkaConfig")));
    if (!m.find()) {
      throw new IllegalStateException("KafkaConfig.deadLetterTopic() no longer reads `return topic + \"...\"`");
    }
    return m.group(1);
  }

  /**
   * The first path segments the gateway routes (its RouteTable rows), e.g. {@code /deliveryrequests}: what the
   * Ingress must publish.
   */
  Set<String> routePrefixes(String gateway) {
    Path table = javaFiles(service(gateway).module()).stream()
        .filter(f -> f.getFileName().toString().equals("RouteTable.java")).findFirst()
        .orElseThrow(() -> new IllegalStateException(gateway + " has no RouteTable.java"));
    Set<String> prefixes = new LinkedHashSet<>();
    Matcher row = Pattern.compile("new Row\\([^;]*?List\\.of\\(([^)]*)\\)").matcher(source(table));
    while (row.find()) {
      Matcher lit = Pattern.compile("\"(/[^/\"]+)").matcher(row.group(1));
      while (lit.find()) {
        prefixes.add(lit.group(1));
      }
    }
    if (prefixes.isEmpty()) {
      throw new IllegalStateException("No routes found in " + table);
    }
    return prefixes;
  }

  private int intConstant(String cls, String regex) {
    Matcher m = Pattern.compile(regex).matcher(source(platformClass(cls)));
    if (!m.find()) {
      throw new IllegalStateException(cls + " no longer matches /" + regex + "/");
    }
    return Integer.parseInt(m.group(1));
  }

  private Path platformClass(String simpleName) {
    Path p = platformClasses.get(simpleName);
    if (p == null) {
      throw new IllegalStateException("The platform has no class " + simpleName);
    }
    return p;
  }

  private ServiceCode scan(String name, Path module) {
    List<Path> own = javaFiles(module);
    // The platform classes this service uses, transitively.
    Set<Path> used = new LinkedHashSet<>();
    List<Path> queue = new ArrayList<>(own);
    while (!queue.isEmpty()) {
      Path file = queue.remove(queue.size() - 1);
      Matcher w = CLASS_WORD.matcher(source(file));
      while (w.find()) {
        Path p = platformClasses.get(w.group(1));
        if (p != null && used.add(p)) {
          queue.add(p);
        }
      }
    }
    Map<String, EnvVar> env = new TreeMap<>();
    for (Path file : own) {
      readEnv(file, module, env);
    }
    for (Path file : used) {
      readEnv(file, platform, env);
    }
    for (Path module2 : List.of(platform, module)) {
      Path logback = module2.resolve("src/main/resources/logback.xml");
      if (Files.isRegularFile(logback)) {
        Matcher m = LOGBACK_VAR.matcher(read(logback));
        while (m.find()) {
          env.putIfAbsent(m.group(1), new EnvVar(m.group(1), Accessor.STRING, m.group(2), rel(logback)));
        }
      }
    }
    // The port: the one integer *PORT variable of the service's own sources.
    List<EnvVar> ports = new ArrayList<>();
    for (EnvVar v : env.values()) {
      if (v.accessor() == Accessor.INTEGER && v.name().endsWith("PORT") && v.readIn().startsWith(rel(module) + "/")) {
        ports.add(v);
      }
    }
    if (ports.size() != 1) {
      throw new IllegalStateException(name + ": expected exactly one *PORT variable in its own config, found " + ports);
    }
    Map<String, Set<String>> routes = new HashMap<>();
    List<Path> routeSources = new ArrayList<>(own);
    routeSources.addAll(used);
    for (Path file : routeSources) {
      Matcher m = ROUTE.matcher(source(file));
      while (m.find()) {
        String handler = m.group(2);
        String kind = handler.contains("liveHandler") ? "live" : handler.contains("readyHandler") ? "ready"
            : handler.contains("Scraping") || handler.contains("scrapeHandler") ? "metrics" : null;
        if (kind != null) {
          routes.computeIfAbsent(kind, k -> new LinkedHashSet<>()).add(m.group(1));
        }
      }
    }
    for (String kind : List.of("live", "ready", "metrics")) {
      Set<String> paths = routes.getOrDefault(kind, Set.of());
      if (paths.size() != 1) {
        throw new IllegalStateException(name + ": expected one " + kind + " path in its router, found " + paths);
      }
    }
    EnvVar port = ports.get(0);
    return new ServiceCode(name, module, env, port.name(), Integer.parseInt(port.defaultValue()),
        routes.get("live").iterator().next(), routes.get("ready").iterator().next(),
        routes.get("metrics").iterator().next());
  }

  private void readEnv(Path file, Path module, Map<String, EnvVar> env) {
    String src = source(file);
    Matcher m = ENV_CALL.matcher(src);
    while (m.find()) {
      Accessor accessor = switch (m.group(1)) {
        case "integer" -> Accessor.INTEGER;
        case "longValue" -> Accessor.LONG;
        case "millis" -> Accessor.MILLIS;
        case "bool" -> Accessor.BOOL;
        default -> Accessor.STRING;
      };
      String arg = m.group(2).trim();
      String def = m.group(3) == null ? null : literal(m.group(3));
      if (arg.startsWith("\"")) {
        String var = arg.substring(1, arg.length() - 1);
        env.putIfAbsent(var, new EnvVar(var, accessor, def, rel(file)));
        continue;
      }
      if (arg.matches("[a-z]\\w*") && ENV_HELPER.matcher(src).find()) {
        // A helper's parameter (ServiceMain: parseLong(env, name, ...) reads env.get(name)): its callers, which
        // pass the name as a literal, are read below.
        continue;
      }
      // A variable named by an accessor, e.g. env.string(s.urlVariable(), s.defaultUrl()): an enum of this module
      // declares it; its constants carry the variable names.
      Matcher call = NON_LITERAL_ARG.matcher(arg);
      if (!call.matches()) {
        throw new IllegalStateException(rel(file) + ": cannot tell which variable `env." + m.group(1) + "(" + arg
            + ", ...)` reads; extend CodeFacts");
      }
      Path declaring = javaFiles(module).stream()
          .filter(f -> source(f).matches("(?s).*\\benum\\b.*\\b" + call.group(1) + "\\s*\\(\\s*\\)\\s*\\{.*"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException(rel(file) + ": no enum in " + rel(module) + " declares "
              + call.group(1) + "(), which names the variable of `env." + m.group(1) + "(" + arg + ")`"));
      Matcher c = ENUM_CONSTANT.matcher(source(declaring));
      int found = 0;
      while (c.find()) {
        List<String> args = splitLiterals(c.group(1));
        for (int i = 0; i < args.size(); i++) {
          if (ENV_NAME.matcher(args.get(i)).matches()) {
            String d = i + 1 < args.size() ? args.get(i + 1) : null;
            env.putIfAbsent(args.get(i), new EnvVar(args.get(i), accessor, d, rel(declaring)));
            found++;
          }
        }
      }
      if (found == 0) {
        throw new IllegalStateException(rel(declaring) + ": no constant names an environment variable");
      }
    }
    Matcher h = ENV_HELPER.matcher(src);
    while (h.find()) {
      String helper = h.group(1);
      Accessor accessor = helper.toLowerCase().contains("long") || helper.toLowerCase().contains("int")
          ? Accessor.LONG : Accessor.STRING;
      env.putIfAbsent(h.group(2), new EnvVar(h.group(2), accessor, h.group(3) == null ? null : literal(h.group(3)),
          rel(file)));
    }
  }

  private static List<String> splitLiterals(String args) {
    List<String> result = new ArrayList<>();
    Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s][^,]*)").matcher(args);
    while (m.find()) {
      result.add(m.group(1) != null ? m.group(1) : m.group(2).trim());
    }
    return result;
  }

  /** A default argument as text: "x" → x, 1_000 → 1000, anything else as written. */
  private static String literal(String expr) {
    String e = expr.trim();
    if (e.startsWith("\"") && e.endsWith("\"") && e.length() >= 2) {
      return e.substring(1, e.length() - 1);
    }
    return e.replace("_", "");
  }

  private String source(Path file) {
    return sources.computeIfAbsent(file, f -> JavaSource.withoutComments(read(f)));
  }

  private String rel(Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }

  private static List<Path> javaFiles(Path module) {
    Path src = module.resolve("src/main/java");
    if (!Files.isDirectory(src)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(src)) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
