package kr.go.procurement.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kr.go.procurement.localstack.EmbeddedKafkaServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real PostgreSQL, Kafka and MongoDB servers for integration tests, started once per test JVM on first use and
 * shared by every test class; stopped when the JVM exits.
 *
 * <p>They run in Docker containers (PostgreSQL 17, Apache Kafka 3.9.1, MongoDB 7) when a Docker engine answers,
 * otherwise as the local stack's embedded servers (zonky PostgreSQL 17, in-process Kafka 3.9.1,
 * mongo-java-server) on free ports. {@code PROCUREMENT_TEST_INFRA=embedded|containers} forces the choice.
 *
 * <p>Tests share the servers, so each test takes its own database, topic and MongoDB database from
 * {@link #newDatabase()}, {@link #newTopic(int)} and {@link #newMongoDatabase()}.
 *
 * <p>Get it as a parameter of a {@link RealInfra} test (test method, constructor, lifecycle method), or from
 * {@link #get()} anywhere.
 */
public final class Infra {

    private static final Logger log = LoggerFactory.getLogger(Infra.class);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private static Infra instance;
    private static RuntimeException startFailure;

    private final Servers servers;

    private Infra(Servers servers) {
        this.servers = servers;
    }

    /**
     * The shared servers, started on the first call (a few seconds; later calls return at once). If they could not
     * be started, every call throws the same failure rather than trying again for each test class.
     */
    public static synchronized Infra get() {
        if (instance != null) {
            return instance;
        }
        if (startFailure != null) {
            throw new IllegalStateException("the test infrastructure failed to start earlier in this JVM", startFailure);
        }
        long started = System.nanoTime();
        try {
            QuietServerLogs.apply();
            Servers servers = DockerProbe.useContainers() ? ContainerServers.start() : EmbeddedServers.start();
            instance = new Infra(servers);
            Runtime.getRuntime().addShutdownHook(new Thread(servers::close, "test-infra-shutdown"));
            log.info("test infrastructure up in {} ms: {}", (System.nanoTime() - started) / 1_000_000, servers);
            return instance;
        } catch (RuntimeException e) {
            startFailure = e;
            throw e;
        }
    }

    /** "containers" or "embedded": which kind of servers these are. */
    public String mode() {
        return servers.mode();
    }

    // --- PostgreSQL ------------------------------------------------------------------------------------------------

    public String pgHost() {
        return servers.pgHost();
    }

    public int pgPort() {
        return servers.pgPort();
    }

    public String pgUser() {
        return servers.pgUser();
    }

    public String pgPassword() {
        return servers.pgPassword();
    }

    /** {@code jdbc:postgresql://host:port/<database>} */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + pgHost() + ":" + pgPort() + "/" + database;
    }

    /** Creates a database with a unique name (lower case, a valid unquoted identifier) and returns the name. */
    public String newDatabase() {
        String name = uniqueName("db_", '_');
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return name;
    }

    private Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", pgUser());
        props.setProperty("password", pgPassword());
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    // --- Kafka -----------------------------------------------------------------------------------------------------

    public String kafkaBootstrapServers() {
        return servers.kafkaBootstrapServers();
    }

    /**
     * Creates a topic with a unique name and {@code partitions} partitions, and its dead-letter topic
     * {@code <topic>.DLT} with one, as the services expect; returns once both have leaders. Returns the topic.
     */
    public String newTopic(int partitions) {
        String topic = uniqueName("topic-", '-');
        Map<String, Integer> topics = new LinkedHashMap<>();
        topics.put(topic, partitions);
        topics.put(topic + ".DLT", 1);
        EmbeddedKafkaServer.createTopics(kafkaBootstrapServers(), topics);
        awaitLeaders(List.copyOf(topics.keySet()));
        return topic;
    }

    /** Creation is acknowledged by the controller a moment before the broker serves the partitions. */
    private void awaitLeaders(List<String> topics) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    Map<String, TopicDescription> d = admin.describeTopics(topics).allTopicNames().get(15, TimeUnit.SECONDS);
                    boolean ready = d.values().stream().allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null));
                    if (ready) {
                        return;
                    }
                } catch (ExecutionException e) {
                    // UnknownTopicOrPartition until the broker has the metadata: try again
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + topics + " have no leader after 15 s");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("describing topics " + topics + " timed out", e);
        }
    }

    // --- MongoDB ---------------------------------------------------------------------------------------------------

    /** {@code mongodb://host:port}, without a database. */
    public String mongoUri() {
        return servers.mongoUri();
    }

    /** A unique database name; MongoDB creates the database on the first write. */
    public String newMongoDatabase() {
        return uniqueName("mdb_", '_');
    }

    // --- outages ---------------------------------------------------------------------------------------------------

    /**
     * Makes Kafka unreachable (the embedded broker is shut down cleanly; a container is paused) until
     * {@link #startKafka()}, which brings it back on the same address with its data.
     */
    public void stopKafka() {
        servers.stopKafka();
    }

    public void startKafka() {
        servers.startKafka();
    }

    /** Makes PostgreSQL unreachable until {@link #startPostgres()}; same address and data afterwards. */
    public void stopPostgres() {
        servers.stopPostgres();
    }

    public void startPostgres() {
        servers.startPostgres();
    }

    // --- services --------------------------------------------------------------------------------------------------

    /**
     * The environment variables of docs/service-environment.md that point a service at these servers:
     * {@code PG_HOST, PG_PORT, PG_DATABASE, PG_USER, PG_PASSWORD, KAFKA_BOOTSTRAP_SERVERS, KAFKA_TOPIC, MONGO_URI,
     * MONGO_DATABASE}. A null argument leaves out the variables of that store (PG_DATABASE, KAFKA_TOPIC or
     * MONGO_DATABASE), but the server addresses are always there.
     */
    public Map<String, String> env(String database, String topic, String mongoDatabase) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PG_HOST", pgHost());
        env.put("PG_PORT", Integer.toString(pgPort()));
        if (database != null) {
            env.put("PG_DATABASE", database);
        }
        env.put("PG_USER", pgUser());
        env.put("PG_PASSWORD", pgPassword());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers());
        if (topic != null) {
            env.put("KAFKA_TOPIC", topic);
        }
        env.put("MONGO_URI", mongoUri());
        if (mongoDatabase != null) {
            env.put("MONGO_DATABASE", mongoDatabase);
        }
        return env;
    }

    @Override
    public String toString() {
        return servers.toString();
    }

    private static String uniqueName(String prefix, char separator) {
        String random = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        return prefix + COUNTER.incrementAndGet() + separator + random;
    }
}
