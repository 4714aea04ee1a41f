package kr.go.procurement.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka 3.9 broker in this JVM, in KRaft mode (one process that is both broker and
 * controller, node id 1), listening on 127.0.0.1.
 *
 * <p>The log directory is formatted on the first start (a new cluster id, written to its {@code meta.properties}
 * by Kafka's own storage formatter) and reused afterwards, so topics and records survive a restart. The server can
 * be stopped and started again, on the same ports and data, any number of times in one JVM.
 *
 * <p>Settings are those of a development broker on a small machine: replication factor 1 for the internal topics,
 * no topic auto-creation (as in production: topics are created on purpose), few threads and small segments.
 */
public final class EmbeddedKafkaServer implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    public static final int NODE_ID = 1;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaServer.class);

    private final Path logDirectory;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> overrides = new LinkedHashMap<>();

    private KafkaRaftServer server;

    /**
     * @param logDirectory   Kafka's log (data) directory, formatted on first start and kept afterwards
     * @param port           the client (PLAINTEXT) port on 127.0.0.1
     * @param controllerPort the KRaft controller port on 127.0.0.1
     */
    public EmbeddedKafkaServer(Path logDirectory, int port, int controllerPort) {
        this.logDirectory = logDirectory.toAbsolutePath().normalize();
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Overrides one broker setting (see {@link #brokerProperties()}); call before {@link #start()}. */
    public EmbeddedKafkaServer withProperty(String name, String value) {
        overrides.put(name, value);
        return this;
    }

    /**
     * Kafka calls {@code Exit.exit/halt} (System.exit) on fatal errors. In a JVM that runs anything else as well,
     * such as a test JVM, that must not end the JVM: this turns those calls into a logged exception, as Kafka's own
     * test harness does. It affects the whole JVM.
     */
    public static void preventProcessExit() {
        Exit.setExitProcedure((status, message) -> {
            log.error("embedded Kafka asked the JVM to exit ({}): {}", status, message);
            throw new IllegalStateException("embedded Kafka asked the JVM to exit (" + status + "): " + message);
        });
        Exit.setHaltProcedure((status, message) -> {
            log.error("embedded Kafka asked the JVM to halt ({}): {}", status, message);
            throw new IllegalStateException("embedded Kafka asked the JVM to halt (" + status + "): " + message);
        });
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            Files.createDirectories(logDirectory);
            KafkaConfig config = new KafkaConfig(brokerProperties(), false);
            formatIfNeeded();
            KafkaRaftServer s = new KafkaRaftServer(config, Time.SYSTEM);
            try {
                // Returns once the controller has been elected and the broker is registered and unfenced.
                s.startup();
            } catch (RuntimeException e) {
                shutdownQuietly(s);
                throw e;
            }
            server = s;
            log.info("Kafka listening on {} (controller {}:{}, data {})", bootstrapServers(), HOST, controllerPort, logDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Kafka did not start on port " + port, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Kafka did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Stops the broker and controller and waits until both are down. The data stays. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer s = server;
        server = null;
        shutdownQuietly(s);
        log.info("Kafka on port {} stopped", port);
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** {@code 127.0.0.1:<port>} */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path logDirectory() {
        return logDirectory;
    }

    /** Creates the topics (name → partition count, replication factor 1) that do not exist yet. */
    public void createTopics(Map<String, Integer> topics) {
        createTopics(bootstrapServers(), topics);
    }

    /**
     * Creates the topics (name → partition count) that do not exist yet on any Kafka cluster; existing ones are
     * left as they are. Replication factor: the broker's default.
     */
    public static void createTopics(String bootstrapServers, Map<String, Integer> topics) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-stack-admin");
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> newTopics = new ArrayList<>();
            topics.forEach((name, partitions) -> newTopics.add(new NewTopic(name, java.util.Optional.of(partitions),
                    java.util.Optional.empty())));
            CreateTopicsResult result = admin.createTopics(newTopics);
            for (var entry : result.values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + entry.getKey() + " on "
                                + bootstrapServers + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topics on " + bootstrapServers, e);
        }
    }

    /** The broker configuration: single node, loopback only, lean. */
    public Properties brokerProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDirectory.toString());

        // one node: every internal topic has one replica
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // one partition each instead of 50: the first consumer group and transaction start in a blink
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "6");
        p.put("auto.create.topics.enable", "false");
        p.put("auto.leader.rebalance.enable", "false");

        // a 2-core laptop: few threads, small segments and indexes, a small log-cleaner buffer
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.replica.fetchers", "1");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("log.index.size.max.bytes", Integer.toString(1024 * 1024));
        p.put("offsets.topic.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("transaction.state.log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("metadata.log.segment.bytes", Integer.toString(8 * 1024 * 1024));
        p.put("log.retention.hours", "168");
        p.put("queued.max.requests", "200");

        // The broker talks to its own controller in this JVM: frequent heartbeats, a shorter session than the 9 s
        // default. (After an unclean end, Kafka 3.9 makes the restarted broker wait out its old session before it
        // may register again; the local stack shortens the session further for that, see Infrastructure.)
        p.put("broker.heartbeat.interval.ms", "500");
        p.put("broker.session.timeout.ms", "6000");
        p.put("controller.quorum.election.timeout.ms", "1000");
        p.put("controller.quorum.fetch.timeout.ms", "2000");
        p.put("controlled.shutdown.enable", "true");

        p.putAll(overrides);
        return p;
    }

    /** Formats the log directory unless it already holds a formatted cluster (its meta.properties). */
    private void formatIfNeeded() {
        if (Files.exists(logDirectory.resolve("meta.properties"))) {
            return;
        }
        String clusterId = Uuid.randomUuid().toString();
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName("CONTROLLER")
                    // one log directory, so it also holds the cluster metadata log
                    .setMetadataLogDirectory(logDirectory.toString())
                    .addDirectory(logDirectory.toString())
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("could not format Kafka storage in " + logDirectory, e);
        }
        log.info("formatted Kafka storage in {} (cluster id {})", logDirectory, clusterId);
    }

    private static void shutdownQuietly(KafkaRaftServer s) {
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Kafka did not shut down cleanly", e);
        }
    }
}
