package kr.go.procurement.testsupport;

import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MongoDBContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL 17, Apache Kafka 3.9.1 (KRaft) and MongoDB 7 in Docker containers (Testcontainers), the same server
 * software as production. "Stopping" a server pauses its container: the server is unreachable, and after the
 * unpause the mapped ports, and so the addresses the tests were given, are unchanged.
 */
final class ContainerServers implements Servers {

    private static final Logger log = LoggerFactory.getLogger(ContainerServers.class);

    static final String POSTGRES_IMAGE = "postgres:17";
    static final String KAFKA_IMAGE = "apache/kafka:3.9.1";
    static final String MONGO_IMAGE = "mongo:7";

    private final PostgreSQLContainer<?> postgres;
    private final KafkaContainer kafka;
    private final MongoDBContainer mongo;

    private ContainerServers(PostgreSQLContainer<?> postgres, KafkaContainer kafka, MongoDBContainer mongo) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.mongo = mongo;
    }

    static ContainerServers start() {
        PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>(DockerImageName.parse(POSTGRES_IMAGE))
                .withUsername("postgres")
                .withPassword("postgres")
                .withDatabaseName("procurement")
                // throwaway data: skip the disk syncs, as the embedded server does
                .withCommand("postgres", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=200");
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE))
                // as in production and in the local stack: topics are created on purpose, never by a typo
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_NUM_PARTITIONS", "6")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");
        MongoDBContainer mongo = new MongoDBContainer(DockerImageName.parse(MONGO_IMAGE));
        try {
            Startables.deepStart(postgres, kafka, mongo).join();
        } catch (CompletionException e) {
            postgres.stop();
            kafka.stop();
            mongo.stop();
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        return new ContainerServers(postgres, kafka, mongo);
    }

    @Override
    public String mode() {
        return "containers";
    }

    @Override
    public String pgHost() {
        return postgres.getHost();
    }

    @Override
    public int pgPort() {
        return postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
    }

    @Override
    public String pgUser() {
        return postgres.getUsername();
    }

    @Override
    public String pgPassword() {
        return postgres.getPassword();
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public String mongoUri() {
        return mongo.getConnectionString();
    }

    @Override
    public synchronized void stopKafka() {
        pause(kafka);
    }

    @Override
    public synchronized void startKafka() {
        unpause(kafka);
    }

    @Override
    public synchronized void stopPostgres() {
        pause(postgres);
    }

    @Override
    public synchronized void startPostgres() {
        unpause(postgres);
    }

    private static void pause(GenericContainer<?> c) {
        var client = DockerClientFactory.instance().client();
        if (!Boolean.TRUE.equals(client.inspectContainerCmd(c.getContainerId()).exec().getState().getPaused())) {
            client.pauseContainerCmd(c.getContainerId()).exec();
        }
    }

    private static void unpause(GenericContainer<?> c) {
        var client = DockerClientFactory.instance().client();
        if (Boolean.TRUE.equals(client.inspectContainerCmd(c.getContainerId()).exec().getState().getPaused())) {
            client.unpauseContainerCmd(c.getContainerId()).exec();
        }
    }

    @Override
    public void close() {
        for (GenericContainer<?> c : new GenericContainer<?>[] {kafka, mongo, postgres}) {
            try {
                unpause(c);
                c.stop();
            } catch (RuntimeException e) {
                log.warn("container {} did not stop cleanly (Testcontainers' reaper removes it)", c.getDockerImageName(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "containers: PostgreSQL " + pgHost() + ":" + pgPort() + ", Kafka " + kafkaBootstrapServers()
                + ", MongoDB " + mongoUri();
    }
}
