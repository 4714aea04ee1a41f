package kr.go.procurement.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL, Kafka and MongoDB for the local stack: embedded servers on the ports of
 * docs/service-environment.md, or existing servers named on the command line or in the environment.
 * Also creates what the services expect to find: the database {@code procurement} and the topics
 * {@code procurement} (6 partitions) and {@code procurement.DLT}.
 */
final class Infrastructure {

    static final int PG_PORT = 5432;
    static final int KAFKA_PORT = 9092;
    static final int KAFKA_CONTROLLER_PORT = 9093;
    static final int MONGO_PORT = 27017;
    static final String DATABASE = "procurement";
    static final String TOPIC = "procurement";
    static final String MONGO_DATABASE = "procurement";

    private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);

    private final Options options;
    private final Path dataDir;

    private final boolean wantPostgres;
    private final boolean wantKafka;
    private final boolean wantMongo;

    /** The contract's ports plus {@code --port-offset}. */
    private final int pgPort;
    private final int kafkaPort;
    private final int kafkaControllerPort;
    private final int mongoPort;

    private EmbeddedPostgresServer postgres;
    private EmbeddedKafkaServer kafka;
    private EmbeddedMongoServer mongo;

    Infrastructure(Options options, Path dataDir, boolean wantPostgres, boolean wantKafka, boolean wantMongo) {
        this.options = options;
        this.dataDir = dataDir;
        this.wantPostgres = wantPostgres;
        this.wantKafka = wantKafka;
        this.wantMongo = wantMongo;
        this.pgPort = PG_PORT + options.portOffset;
        this.kafkaPort = KAFKA_PORT + options.portOffset;
        this.kafkaControllerPort = KAFKA_CONTROLLER_PORT + options.portOffset;
        this.mongoPort = MONGO_PORT + options.portOffset;
    }

    /**
     * Starts the embedded servers in parallel (PostgreSQL's initdb, Kafka's start-up and H2 are independent, and
     * start-up time is what a developer waits for), then creates the database and the topics.
     */
    void start() {
        if (wantPostgres && options.externalPg == null) {
            postgres = new EmbeddedPostgresServer(dataDir.resolve("postgres"), pgPort);
            // a PostgreSQL left running on our data directory by a crashed launcher would hold the port
            postgres.stopLeftoverServer();
        }
        checkPortsFree();
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        if (wantPostgres) {
            if (options.externalPg == null) {
                starts.add(async("postgres", () -> {
                    postgres.start();
                    postgres.createDatabaseIfAbsent(DATABASE);
                }));
            } else {
                Options.PgAddress pg = options.externalPg;
                starts.add(async("postgres", () -> {
                    try {
                        EmbeddedPostgresServer.createDatabaseIfAbsent(pg.host(), pg.port(), pg.user(), pg.password(), pg.database());
                    } catch (RuntimeException e) {
                        // the user may not be allowed to create databases; the services will tell if it is missing
                        log.warn("could not check or create database {} on {}:{}: {}", pg.database(), pg.host(), pg.port(),
                                rootMessage(e));
                    }
                }));
            }
        }
        if (wantKafka) {
            if (options.externalKafka == null) {
                kafka = new EmbeddedKafkaServer(dataDir.resolve("kafka"), kafkaPort, kafkaControllerPort)
                        // After the launcher was killed, the restarted broker may register only once its old session
                        // has expired (KAFKA-19130, fixed after 3.9); its retries back off 0.1, 0.2 .. 3.2 s, so a
                        // 3 s session lets it in after ~3 s instead of ~6.5 s. Six missed heartbeats of a broker
                        // talking to a controller in the same, mostly idle JVM is still a wide margin.
                        .withProperty("broker.session.timeout.ms", "3000");
                starts.add(async("kafka", () -> {
                    kafka.start();
                    kafka.createTopics(topics());
                }));
            } else {
                starts.add(async("kafka", () -> EmbeddedKafkaServer.createTopics(options.externalKafka, topics())));
            }
        }
        if (wantMongo && options.externalMongo == null) {
            mongo = new EmbeddedMongoServer(dataDir.resolve("mongo"), mongoPort);
            starts.add(async("mongo", mongo::start));
        }
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    /** Kafka first (in-process), then MongoDB, then PostgreSQL, each independently of the others' failures. */
    void stop() {
        stopQuietly("Kafka", kafka == null ? null : kafka::stop);
        stopQuietly("MongoDB", mongo == null ? null : mongo::stop);
        stopQuietly("PostgreSQL", postgres == null ? null : postgres::stop);
    }

    /** The environment variables of docs/service-environment.md that point a service at this infrastructure. */
    Map<String, String> serviceEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        if (options.externalPg != null) {
            Options.PgAddress pg = options.externalPg;
            env.put("PG_HOST", pg.host());
            env.put("PG_PORT", Integer.toString(pg.port()));
            env.put("PG_DATABASE", pg.database());
            env.put("PG_USER", pg.user());
            env.put("PG_PASSWORD", pg.password());
        } else {
            env.put("PG_HOST", EmbeddedPostgresServer.HOST);
            env.put("PG_PORT", Integer.toString(pgPort));
            env.put("PG_DATABASE", DATABASE);
            env.put("PG_USER", EmbeddedPostgresServer.USER);
            env.put("PG_PASSWORD", EmbeddedPostgresServer.PASSWORD);
        }
        env.put("KAFKA_BOOTSTRAP_SERVERS", options.externalKafka != null ? options.externalKafka
                : EmbeddedKafkaServer.HOST + ":" + kafkaPort);
        env.put("KAFKA_TOPIC", TOPIC);
        env.put("MONGO_URI", options.externalMongo != null ? options.externalMongo
                : "mongodb://" + EmbeddedMongoServer.HOST + ":" + mongoPort);
        env.put("MONGO_DATABASE", MONGO_DATABASE);
        return env;
    }

    // --- admin: the infrastructure can be stopped and started like a service ----------------------------------

    /** name, port, pid, state of each embedded server, for the admin endpoint. */
    List<Map<String, Object>> describe() {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(row("postgres", pgPort, postgres == null ? -1 : postgres.postmasterPid(),
                state(options.externalPg != null, wantPostgres, postgres != null && postgres.isRunning())));
        rows.add(row("kafka", kafkaPort, kafka != null && kafka.isRunning() ? ProcessHandle.current().pid() : -1,
                state(options.externalKafka != null, wantKafka, kafka != null && kafka.isRunning())));
        rows.add(row("mongo", mongoPort, mongo != null && mongo.isRunning() ? ProcessHandle.current().pid() : -1,
                state(options.externalMongo != null, wantMongo, mongo != null && mongo.isRunning())));
        return rows;
    }

    boolean isInfra(String name) {
        return name.equals("postgres") || name.equals("kafka") || name.equals("mongo");
    }

    /** Stops one embedded server; it keeps its data and can be started again. */
    String stop(String name) {
        switch (name) {
            case "postgres" -> embedded(postgres, name).stop();
            case "kafka" -> embedded(kafka, name).stop();
            case "mongo" -> embedded(mongo, name).stop();
            default -> throw new IllegalArgumentException("unknown infrastructure " + name);
        }
        return "stopped";
    }

    String start(String name) {
        switch (name) {
            case "postgres" -> embedded(postgres, name).start();
            case "kafka" -> embedded(kafka, name).start();
            case "mongo" -> embedded(mongo, name).start();
            default -> throw new IllegalArgumentException("unknown infrastructure " + name);
        }
        return "running";
    }

    private static <T extends AutoCloseable> T embedded(T server, String name) {
        if (server == null) {
            throw new IllegalStateException(name + " is not an embedded server of this local stack");
        }
        return server;
    }

    private static Map<String, Object> row(String name, int port, long pid, String state) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("port", port);
        row.put("pid", pid);
        row.put("state", state);
        return row;
    }

    private static String state(boolean external, boolean wanted, boolean running) {
        if (external) {
            return "external";
        }
        if (!wanted) {
            return "not-started";
        }
        return running ? "running" : "stopped";
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    static Map<String, Integer> topics() {
        Map<String, Integer> topics = new LinkedHashMap<>();
        topics.put(TOPIC, 6);
        topics.put(TOPIC + ".DLT", 1);
        return topics;
    }

    /** A clear message now beats a bind error from deep inside PostgreSQL or Kafka later. */
    private void checkPortsFree() {
        String busy = portsInUse(ports(), options.portOffset);
        if (busy != null) {
            throw new IllegalStateException(busy);
        }
    }

    /**
     * The ports the embedded servers will listen on, with what wants each. PostgreSQL's is left out while a
     * PostgreSQL left over from a crashed run of this data directory holds it: {@link #start()} stops that one first.
     */
    Map<Integer, String> ports() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        if (wantPostgres && options.externalPg == null
                && !new EmbeddedPostgresServer(dataDir.resolve("postgres"), pgPort).leftoverServerRuns()) {
            ports.put(pgPort, "PostgreSQL (use --pg-url to use a running one)");
        }
        if (wantKafka && options.externalKafka == null) {
            ports.put(kafkaPort, "Kafka (use --kafka to use a running one)");
            ports.put(kafkaControllerPort, "the Kafka controller");
        }
        if (wantMongo && options.externalMongo == null) {
            ports.put(mongoPort, "MongoDB (use --mongo-uri to use a running one)");
        }
        return ports;
    }

    /**
     * One line naming each port of {@code ports} that is taken on 127.0.0.1 and what wanted it, and the flag that
     * moves them all; null when all are free.
     *
     * @param offset the --port-offset in force, so that the example offset is a different one
     */
    static String portsInUse(Map<Integer, String> ports, int offset) {
        List<String> busy = new ArrayList<>();
        ports.forEach((port, what) -> {
            if (!isPortFree(port)) {
                busy.add(port + " for " + what);
            }
        });
        if (busy.isEmpty()) {
            return null;
        }
        int example = offset + 1000 <= Options.MAX_PORT_OFFSET ? offset + 1000 : 1000;
        return "port" + (busy.size() == 1 ? "" : "s") + " already in use on 127.0.0.1, nothing started: "
                + String.join("; ", busy) + ". Stop what holds " + (busy.size() == 1 ? "it" : "them")
                + ", or move every port of this stack with --port-offset N (e.g. --port-offset " + example + ")";
    }

    static boolean isPortFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static CompletableFuture<Void> async(String name, Runnable task) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                task.run();
                f.complete(null);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "start-" + name);
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static void stopQuietly(String what, Runnable stop) {
        if (stop == null) {
            return;
        }
        try {
            stop.run();
        } catch (RuntimeException e) {
            log.warn("{} did not stop cleanly: {}", what, rootMessage(e));
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
