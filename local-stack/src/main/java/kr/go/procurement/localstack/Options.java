package kr.go.procurement.localstack;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The launcher's command line and environment, parsed once. Flags win over environment variables, which win over
 * the defaults of docs/service-environment.md.
 */
final class Options {

    /**
     * Services starting at once unless LOCAL_STACK_START_CONCURRENCY says otherwise; 0 = all. Measured on the busy
     * 2-core machine: two at a time made each service's own start-up about 40 % shorter but READY about 4 s later
     * than all six at once, so all at once it is.
     */
    static final int DEFAULT_START_CONCURRENCY = 0;

    static final String USAGE = String.join("\n",
            "usage: java -jar local-stack.jar [options]          start the local stack",
            "       java -jar local-stack.jar status             list the services of a running local stack",
            "       java -jar local-stack.jar stop|start|restart|kill <name>",
            "                                                    control one service (or postgres/kafka/mongo)",
            "",
            "options:",
            "  --data DIR         data directory (default ./.data)",
            "  --fresh            wipe the data directory first",
            "  --pg-url URL       use this PostgreSQL instead of an embedded one",
            "                     (postgresql://user:password@host:port/database; or env PG_HOST, PG_PORT, ...)",
            "  --kafka HOST:PORT  use this Kafka instead of an embedded one (or env KAFKA_BOOTSTRAP_SERVERS)",
            "  --mongo-uri URI    use this MongoDB instead of an embedded one (or env MONGO_URI)",
            "  --only a,b,...     start only these services and the infrastructure they need",
            "                     (service modules such as request-svc, or postgres, kafka, mongo)",
            "  --root DIR         the repository whose <module>/target/<module>.jar are started",
            "                     (default: derived from this JAR's location, else the current directory)",
            "  --port-offset N    add N to every port (PostgreSQL, Kafka, MongoDB, services, admin endpoint), so a",
            "                     second stack (e.g. the system tests') runs beside the usual one; the verbs need it too",
            "  --cache DIR        where the services run from: each start copies <module>.jar to DIR/<module>-<sha256>.jar",
            "                     (a rebuild does not break the running JVM; the last 3 per module are kept) with its",
            "                     class-data archive next to it (or env LOCAL_STACK_CACHE; default",
            "                     ${XDG_CACHE_HOME:-$HOME/.cache}/procurement-local-stack/jars)",
            "",
            "environment: SERVICE_JAVA_OPTS (JVM options of each service), LOCAL_STACK_ADMIN_PORT (default 8099",
            "             plus the offset), LOCAL_STACK_PORT_OFFSET (default 0), LOCAL_STACK_READY_TIMEOUT_S (default",
            "             180), LOCAL_STACK_CDS=false (no class-data archives: by default the first run of a build",
            "             records one when it stops, later runs start from it), LOCAL_STACK_START_CONCURRENCY=N (start",
            "             N services at a time, the next as soon as one is ready; default 0 = all at once);",
            "             everything else in the launcher's environment reaches every service unchanged");

    /** What the launcher was asked to do. */
    enum Command { RUN, STATUS, STOP, START, RESTART, KILL, HELP }

    Command command = Command.RUN;
    String target;

    Path dataDir = Path.of(".data");
    boolean fresh;
    Path root;

    /** Existing infrastructure to use instead of an embedded server; null = embedded. */
    PgAddress externalPg;
    String externalKafka;
    String externalMongo;
    /** What named each of them (a flag, or environment variables), for {@link #externalServers()}. */
    private String externalPgFrom;
    private String externalKafkaFrom;
    private String externalMongoFrom;

    private static final Pattern USER_AND_PASSWORD = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://[^:@/]*):[^@/]*@");

    /** null = everything. */
    Set<String> only;

    /** Default admin port; {@link #adminPort} is this plus {@link #portOffset} unless set explicitly. */
    static final int ADMIN_PORT = 8099;
    /** The largest offset that keeps every port (MongoDB's 27017 is the highest) at most 65535. */
    static final int MAX_PORT_OFFSET = 65535 - 27017 - 10;

    int adminPort = ADMIN_PORT;
    /** Added to every port the stack listens on (infrastructure, services, admin); 0 = the contract's ports. */
    int portOffset;
    private boolean adminPortSet;
    long readyTimeoutSeconds = 180;
    /** Where the services' JAR copies and class-data archives live; see {@link JarCache#defaultDirectory}. */
    Path cacheDir;
    /** Class-data sharing archives per JAR copy (LOCAL_STACK_CDS=false turns it off). */
    boolean cds = true;
    /** Services starting at once (0 = all). */
    int startConcurrency = DEFAULT_START_CONCURRENCY;
    List<String> serviceJavaOpts = List.of(
            "-XX:+UseSerialGC", "-Xms32m", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-Xss512k");

    /** A PostgreSQL server the services should use. */
    record PgAddress(String host, int port, String database, String user, String password) {
    }

    static Options parse(String[] args, Map<String, String> env) {
        Options o = new Options();
        o.readEnvironment(env);
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--data" -> o.dataDir = Path.of(value(args, ++i, a));
                case "--fresh" -> o.fresh = true;
                case "--root" -> o.root = Path.of(value(args, ++i, a));
                case "--pg-url" -> {
                    o.externalPg = parsePgUrl(value(args, ++i, a));
                    o.externalPgFrom = a;
                }
                case "--kafka" -> {
                    o.externalKafka = value(args, ++i, a);
                    o.externalKafkaFrom = a;
                }
                case "--mongo-uri" -> {
                    o.externalMongo = value(args, ++i, a);
                    o.externalMongoFrom = a;
                }
                case "--only" -> o.only = parseOnly(value(args, ++i, a));
                case "--port-offset" -> o.portOffset = parseOffset(a, value(args, ++i, a));
                case "--cache" -> o.cacheDir = Path.of(value(args, ++i, a));
                case "-h", "--help", "help" -> o.command = Command.HELP;
                default -> {
                    if (a.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                    rest.add(a);
                }
            }
        }
        if (!o.adminPortSet) {
            o.adminPort = ADMIN_PORT + o.portOffset;
        }
        if (!rest.isEmpty() && o.command != Command.HELP) {
            String verb = rest.get(0).toLowerCase(Locale.ROOT);
            switch (verb) {
                case "status" -> o.command = Command.STATUS;
                case "stop" -> o.command = Command.STOP;
                case "start" -> o.command = Command.START;
                case "restart" -> o.command = Command.RESTART;
                case "kill" -> o.command = Command.KILL;
                default -> throw new IllegalArgumentException("unknown command " + rest.get(0));
            }
            if (o.command == Command.STATUS) {
                if (rest.size() != 1) {
                    throw new IllegalArgumentException("status takes no argument");
                }
            } else if (rest.size() != 2) {
                throw new IllegalArgumentException(verb + " takes one service name, e.g. " + verb + " delivery-svc");
            } else {
                o.target = rest.get(1);
            }
        }
        return o;
    }

    private void readEnvironment(Map<String, String> env) {
        if (present(env, "PG_HOST")) {
            externalPg = new PgAddress(env.get("PG_HOST"),
                    present(env, "PG_PORT") ? port("PG_PORT", env.get("PG_PORT")) : 5432,
                    env.getOrDefault("PG_DATABASE", "procurement"),
                    env.getOrDefault("PG_USER", "postgres"),
                    env.getOrDefault("PG_PASSWORD", "postgres"));
            List<String> with = Stream.of("PG_PORT", "PG_DATABASE", "PG_USER", "PG_PASSWORD")
                    .filter(name -> present(env, name)).toList();
            externalPgFrom = "PG_HOST" + (with.isEmpty() ? "" : " (with " + String.join(", ", with) + ")");
        }
        if (present(env, "KAFKA_BOOTSTRAP_SERVERS")) {
            externalKafka = env.get("KAFKA_BOOTSTRAP_SERVERS");
            externalKafkaFrom = "KAFKA_BOOTSTRAP_SERVERS";
        }
        if (present(env, "MONGO_URI")) {
            externalMongo = env.get("MONGO_URI");
            externalMongoFrom = "MONGO_URI";
        }
        if (present(env, "LOCAL_STACK_ADMIN_PORT")) {
            adminPort = port("LOCAL_STACK_ADMIN_PORT", env.get("LOCAL_STACK_ADMIN_PORT"));
            adminPortSet = true;
        }
        if (present(env, "LOCAL_STACK_PORT_OFFSET")) {
            portOffset = parseOffset("LOCAL_STACK_PORT_OFFSET", env.get("LOCAL_STACK_PORT_OFFSET"));
        }
        if (present(env, "LOCAL_STACK_READY_TIMEOUT_S")) {
            readyTimeoutSeconds = wholeNumber("LOCAL_STACK_READY_TIMEOUT_S", env.get("LOCAL_STACK_READY_TIMEOUT_S"),
                    1, Integer.MAX_VALUE, "a whole number of seconds > 0");
        }
        cacheDir = present(env, "LOCAL_STACK_CACHE") ? Path.of(env.get("LOCAL_STACK_CACHE").trim())
                : JarCache.defaultDirectory(env);
        if (present(env, "LOCAL_STACK_CDS")) {
            String v = env.get("LOCAL_STACK_CDS").trim().toLowerCase(Locale.ROOT);
            if (!List.of("true", "false", "1", "0", "on", "off").contains(v)) {
                throw new IllegalArgumentException("LOCAL_STACK_CDS must be true or false, got '" + v + "'");
            }
            cds = v.equals("true") || v.equals("1") || v.equals("on");
        }
        if (present(env, "LOCAL_STACK_START_CONCURRENCY")) {
            try {
                startConcurrency = Integer.parseInt(env.get("LOCAL_STACK_START_CONCURRENCY").trim());
            } catch (NumberFormatException e) {
                startConcurrency = -1;
            }
            if (startConcurrency < 0) {
                throw new IllegalArgumentException("LOCAL_STACK_START_CONCURRENCY must be a whole number >= 0, got '"
                        + env.get("LOCAL_STACK_START_CONCURRENCY") + "'");
            }
        }
        if (present(env, "SERVICE_JAVA_OPTS")) {
            serviceJavaOpts = List.of(env.get("SERVICE_JAVA_OPTS").trim().split("\\s+"));
        }
    }

    /** {@code [jdbc:]postgres[ql]://[user[:password]@]host[:port][/database]} */
    static PgAddress parsePgUrl(String url) {
        String u = url.startsWith("jdbc:") ? url.substring(5) : url;
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--pg-url must look like postgresql://user:password@host:5432/procurement");
        }
        String user = "postgres";
        String password = "postgres";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            if (parts.length == 2) {
                password = decode(parts[1]);
            }
        }
        String path = uri.getPath();
        String database = path == null || path.length() <= 1 ? "procurement" : path.substring(1);
        return new PgAddress(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database, user, password);
    }

    /** @param source the flag or environment variable the value came from, for the message */
    static int parseOffset(String source, String value) {
        int offset;
        try {
            offset = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + " must be a whole number, got '" + value + "'");
        }
        if (offset < 0 || offset > MAX_PORT_OFFSET) {
            throw new IllegalArgumentException(source + " must be between 0 and " + MAX_PORT_OFFSET + ", got " + offset);
        }
        return offset;
    }

    private static int port(String source, String value) {
        return wholeNumber(source, value, 1, 65535, "a port number (1-65535)");
    }

    /** Integer.parseInt's own message names neither the setting nor what it expects. */
    private static int wholeNumber(String source, String value, int min, int max, String expected) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the setting's name
        }
        throw new IllegalArgumentException(source + " must be " + expected + ", got '" + value + "'");
    }

    private static Set<String> parseOnly(String list) {
        Set<String> names = new LinkedHashSet<>();
        for (String raw : list.split(",")) {
            String n = raw.trim().toLowerCase(Locale.ROOT);
            if (n.isEmpty()) {
                continue;
            }
            names.add(canonicalName(n));
        }
        return names;
    }

    /** Accepts short forms: "pg" for postgres, "mongodb" for mongo, "request" for request-svc. */
    static String canonicalName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "pg", "postgresql", "postgres" -> {
                return "postgres";
            }
            case "mongodb", "mongo" -> {
                return "mongo";
            }
            case "kafka" -> {
                return "kafka";
            }
            default -> {
                for (ServiceSpec s : ServiceSpec.ALL) {
                    if (s.name().equals(n) || s.name().equals(n + "-svc")) {
                        return s.name();
                    }
                }
                throw new IllegalArgumentException("unknown service " + name + "; known: postgres, kafka, mongo, "
                        + String.join(", ", ServiceSpec.ALL.stream().map(ServiceSpec::name).toList()));
            }
        }
    }

    /** The value after a flag; another option there means the value was forgotten, not that it starts with "--". */
    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    /**
     * The lines announcing each server that already runs and that the stack uses instead of an embedded one: what
     * chose it (flag or variables), the server, and where it is, without a password.
     */
    List<String> externalServers() {
        List<String> lines = new ArrayList<>();
        if (externalPg != null) {
            lines.add(externalPgFrom + ": PostgreSQL is the running server " + externalPg.user() + "@"
                    + externalPg.host() + ":" + externalPg.port() + "/" + externalPg.database() + ", not an embedded one");
        }
        if (externalKafka != null) {
            lines.add(externalKafkaFrom + ": Kafka is the running broker(s) " + externalKafka + ", not an embedded one");
        }
        if (externalMongo != null) {
            lines.add(externalMongoFrom + ": MongoDB is the running server " + withoutPassword(externalMongo)
                    + ", not an embedded one");
        }
        return lines;
    }

    /**
     * {@code scheme://user:***@hosts...}. A pattern rather than {@link URI}: a MongoDB URI may name several hosts
     * ({@code a:1,b:2}), which URI does not parse as a server authority.
     */
    static String withoutPassword(String uri) {
        return USER_AND_PASSWORD.matcher(uri).replaceFirst("$1:***@");
    }

    private static boolean present(Map<String, String> env, String name) {
        return env.get(name) != null && !env.get(name).isBlank();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
