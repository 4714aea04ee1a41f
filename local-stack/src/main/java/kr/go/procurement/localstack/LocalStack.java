package kr.go.procurement.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack in one command: embedded PostgreSQL, Kafka and MongoDB-wire, then every service JAR that has been
 * built, each in its own JVM; READY once all answer {@code /health/ready}. Ctrl-C stops everything in reverse order.
 * The same JAR's verbs (status, stop, start, restart, kill) control a running stack through its admin endpoint.
 * See {@link Options#USAGE}.
 */
public final class LocalStack {

    /** Written into a data directory we created, so that --fresh never wipes a directory that is not ours. */
    private static final String MARKER = ".local-stack-data";

    private LocalStack() {
    }

    public static void main(String[] args) {
        // Before anything touches SLF4J: the launcher's own logging config. Not named logback.xml, because the
        // platform module ships that one and both JARs end up on test classpaths.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-local-stack.xml");
        }
        Options options;
        try {
            options = Options.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        switch (options.command) {
            case HELP -> System.out.println(Options.USAGE);
            case RUN -> System.exit(run(options));
            default -> System.exit(AdminCli.run(options));
        }
    }

    private static int run(Options options) {
        Logger log = LoggerFactory.getLogger(LocalStack.class);
        // the JVM's own start time (ProcessHandle's start instant is only accurate to about a second)
        Instant launched = Instant.ofEpochMilli(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());

        // Said first: which servers are not ours changes everything below, and a forgotten export is easy to miss.
        options.externalServers().forEach(log::info);
        Path root = repositoryRoot(options);
        Path dataDir = options.dataDir.toAbsolutePath().normalize();
        Set<String> services = selectedServices(options.only);
        Set<String> infraNeeded = neededInfrastructure(options.only, services);
        Infrastructure infra = new Infrastructure(options, dataDir,
                infraNeeded.contains("postgres"), infraNeeded.contains("kafka"), infraNeeded.contains("mongo"));
        // Every port at once, before the data directory is touched: one line about all that is taken, instead of a
        // stack that is half up when the first bind fails.
        String busy = Infrastructure.portsInUse(plannedPorts(options, infra, root, services), options.portOffset);
        if (busy != null) {
            log.error("{}", busy);
            return 1;
        }
        try {
            prepareDataDirectory(dataDir, options.fresh);
        } catch (RuntimeException e) {
            log.error("{}", e.getMessage());
            return 1;
        }

        String tokenSecret;
        try {
            tokenSecret = StackTokens.secret(dataDir);
        } catch (RuntimeException e) {
            log.error("{}", e.getMessage());
            return 1;
        }

        JarCache cache = new JarCache(options.cacheDir, options.cds, options.serviceJavaOpts);
        ServiceSupervisor supervisor = new ServiceSupervisor(root, services, options.serviceJavaOpts,
                infra.serviceEnvironment(), gatewayEnvironment(tokenSecret), options.portOffset, cache);
        AdminServer admin = new AdminServer(supervisor, infra, Duration.ofSeconds(options.readyTimeoutSeconds));

        // Registered before anything starts, so that Ctrl-C during start-up also cleans up.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping the local stack");
            supervisor.stopAll();
            admin.stop();
            infra.stop();
            log.info("local stack stopped");
            stopped.countDown();
        }, "local-stack-shutdown"));

        try {
            log.info("data in {}; services from {}, run as copies in {}", dataDir, root, cache.directory());
            supervisor.prepare(); // hashing and copying the JARs while the infrastructure starts
            infra.start();
            log.info("infrastructure up after {} s", seconds(launched));
            admin.start(options.adminPort);
            List<ManagedService> started = supervisor.startAll(options.startConcurrency,
                    Duration.ofSeconds(options.readyTimeoutSeconds));
            // tokens.env first: a script that sources it as soon as it sees READY must find it
            Map<String, String> tokens = StackTokens.mintAll(tokenSecret, Instant.now());
            Path tokenFile = StackTokens.writeEnvFile(dataDir, tokens);
            printReady(launched, started, infra, infraNeeded, options);
            printTokens(tokenFile, tokens, started, 8088 + options.portOffset);
        } catch (ServiceSupervisor.StartFailure e) {
            log.error("START FAILED: {}", e.getMessage());
            return 1;
        } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException | IOException e) {
            // our own messages say what is wrong; the trace adds nothing for the user
            log.error("START FAILED: {}", e.getMessage() + (e.getCause() == null ? ""
                    : " (" + Infrastructure.rootMessage(e) + ")"));
            return 1;
        } catch (RuntimeException e) {
            log.error("START FAILED: {}", Infrastructure.rootMessage(e), e);
            return 1;
        }

        try {
            stopped.await(); // until a signal runs the shutdown hook
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Every port this run will listen on, with what wants it: the admin endpoint, the embedded servers, the services
     * whose JAR is built (a taken service port would otherwise end as a bind error and an exit code).
     */
    static Map<Integer, String> plannedPorts(Options options, Infrastructure infra, Path root, Set<String> services) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(options.adminPort, "the admin endpoint (is a local stack running already? "
                + "java -jar local-stack/target/local-stack.jar status)");
        ports.putAll(infra.ports());
        ports.putAll(ServiceSupervisor.ports(root, services, options.portOffset));
        return ports;
    }

    private static void printReady(Instant launched, List<ManagedService> started, Infrastructure infra,
                                   Set<String> infraNeeded, Options options) {
        boolean gateway = started.stream().anyMatch(s -> s.name().equals("gateway-svc"));
        StringBuilder sb = new StringBuilder("READY http://localhost:" + (8088 + options.portOffset));
        if (!gateway) {
            sb.append(" (gateway-svc not running)");
        }
        sb.append(" after ").append(seconds(launched)).append(" s; services: ");
        sb.append(started.isEmpty() ? "none (no service JAR built or selected)"
                : String.join(", ", started.stream().map(s -> s.name() + " " + s.url()).toList()));
        Console.println(sb.toString());
        var env = infra.serviceEnvironment();
        if (infraNeeded.contains("postgres")) {
            Console.println("  postgres   " + env.get("PG_HOST") + ":" + env.get("PG_PORT") + "/" + env.get("PG_DATABASE")
                    + " (user " + env.get("PG_USER") + ")");
        }
        if (infraNeeded.contains("kafka")) {
            Console.println("  kafka      " + env.get("KAFKA_BOOTSTRAP_SERVERS") + " (topics " + String.join(", ",
                    Infrastructure.topics().keySet()) + ")");
        }
        if (infraNeeded.contains("mongo")) {
            Console.println("  mongo      " + Options.withoutPassword(env.get("MONGO_URI")) + "/" + env.get("MONGO_DATABASE"));
        }
        Console.println("  control    java -jar local-stack/target/local-stack.jar "
                + (options.portOffset == 0 ? "" : "--port-offset " + options.portOffset + " ")
                + "status|stop|start|restart|kill <name>; Ctrl-C stops everything");
    }

    /** The gateway checks tokens signed with this data directory's secret, and may mint more for local callers. */
    static Map<String, String> gatewayEnvironment(String tokenSecret) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JWT_HS256_SECRET", tokenSecret);
        env.put("JWT_ISSUER", StackTokens.ISSUER);
        env.put("JWT_AUDIENCE", StackTokens.AUDIENCE);
        env.put("GATEWAY_LOCAL_TOKENS", "true");
        return env;
    }

    /**
     * The fresh tokens (30 days) of each persona, already written to {@code <data>/tokens.env}, printed when the gateway
     * runs, so the README's curl walkthrough through 8088 works by copy and paste.
     */
    private static void printTokens(Path file, Map<String, String> tokens, List<ManagedService> started,
                                    int gatewayPort) {
        if (started.stream().noneMatch(s -> s.name().equals("gateway-svc"))) {
            return;
        }
        Console.println("  tokens     source " + file + "   (valid " + StackTokens.LIFETIME.toDays()
                + " days; curl -H \"Authorization: Bearer $AGENCY_TOKEN\" localhost:" + gatewayPort + "/deliveryrequests)");
        tokens.forEach((name, token) -> Console.println("    " + name + "=" + token));
    }

    /** --only names services and/or infrastructure; null means every service. */
    private static Set<String> selectedServices(Set<String> only) {
        Set<String> services = new LinkedHashSet<>();
        for (ServiceSpec s : ServiceSpec.ALL) {
            if (only == null || only.contains(s.name())) {
                services.add(s.name());
            }
        }
        return services;
    }

    /** What was named, plus what the named services use; everything without --only. */
    private static Set<String> neededInfrastructure(Set<String> only, Set<String> services) {
        Set<String> infra = new LinkedHashSet<>();
        if (only == null) {
            return Set.of("postgres", "kafka", "mongo");
        }
        for (String n : only) {
            if (n.equals("postgres") || n.equals("kafka") || n.equals("mongo")) {
                infra.add(n);
            }
        }
        for (String name : services) {
            ServiceSpec s = ServiceSpec.byName(name);
            if (s.usesPostgres()) {
                infra.add("postgres");
            }
            if (s.usesKafka()) {
                infra.add("kafka");
            }
            if (s.usesMongo()) {
                infra.add("mongo");
            }
        }
        return infra;
    }

    /**
     * --root, else the repository this JAR was built in ({@code <root>/local-stack/target/local-stack.jar}, or
     * {@code target/classes} when run from an IDE), else the current directory.
     */
    static Path repositoryRoot(Options options) {
        if (options.root != null) {
            return options.root.toAbsolutePath().normalize();
        }
        try {
            Path code = Path.of(LocalStack.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = code.getParent();
            Path root = target == null || target.getParent() == null ? null : target.getParent().getParent();
            if (target != null && target.getFileName().toString().equals("target") && root != null
                    && Files.isRegularFile(root.resolve("pom.xml"))) {
                return root;
            }
        } catch (URISyntaxException | RuntimeException ignored) {
            // fall back to the current directory
        }
        return Path.of("").toAbsolutePath();
    }

    private static void prepareDataDirectory(Path dataDir, boolean fresh) {
        try {
            if (fresh && Files.exists(dataDir)) {
                boolean ours = Files.exists(dataDir.resolve(MARKER));
                boolean empty;
                try (Stream<Path> entries = Files.list(dataDir)) {
                    empty = entries.findAny().isEmpty();
                }
                if (!ours && !empty) {
                    throw new IllegalStateException("--fresh refuses to wipe " + dataDir
                            + ": it is not a local-stack data directory (no " + MARKER + " in it)");
                }
                FileTree.delete(dataDir);
            }
            Files.createDirectories(dataDir);
            Path marker = dataDir.resolve(MARKER);
            if (!Files.exists(marker)) {
                Files.writeString(marker, "data of the procurement local stack; safe to delete while it is stopped\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare data directory " + dataDir, e);
        }
    }

    private static String seconds(Instant since) {
        return String.format(Locale.ROOT, "%.1f", Duration.between(since, Instant.now()).toMillis() / 1000.0);
    }
}
