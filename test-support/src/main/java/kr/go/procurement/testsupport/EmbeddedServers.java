package kr.go.procurement.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import kr.go.procurement.localstack.EmbeddedKafkaServer;
import kr.go.procurement.localstack.EmbeddedMongoServer;
import kr.go.procurement.localstack.EmbeddedPostgresServer;
import kr.go.procurement.localstack.FileTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack's embedded servers, on free ports, with their data in a temporary directory that is removed when
 * the JVM ends. PostgreSQL runs as a child process tree (reaped if this JVM is killed); Kafka and MongoDB run in
 * this JVM.
 */
final class EmbeddedServers implements Servers {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServers.class);
    private static final int ATTEMPTS = 3;

    private final Path dir;
    private final EmbeddedPostgresServer postgres;
    private final EmbeddedKafkaServer kafka;
    private final EmbeddedMongoServer mongo;

    private EmbeddedServers(Path dir, EmbeddedPostgresServer postgres, EmbeddedKafkaServer kafka, EmbeddedMongoServer mongo) {
        this.dir = dir;
        this.postgres = postgres;
        this.kafka = kafka;
        this.mongo = mongo;
    }

    /** Starts the three servers in parallel. */
    static EmbeddedServers start() {
        // Kafka must not end the test JVM on a fatal error (it would take the whole surefire fork with it)
        EmbeddedKafkaServer.preventProcessExit();
        Path dir;
        try {
            dir = Files.createTempDirectory("procurement-test-infra-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            CompletableFuture<EmbeddedPostgresServer> pg = async("postgres", () -> startWithRetries(
                    attempt -> new EmbeddedPostgresServer(dir.resolve("postgres-" + attempt), FreePorts.next()).throwaway(),
                    EmbeddedPostgresServer::start, EmbeddedPostgresServer::stop));
            CompletableFuture<EmbeddedKafkaServer> kafka = async("kafka", () -> startWithRetries(
                    attempt -> new EmbeddedKafkaServer(dir.resolve("kafka-" + attempt), FreePorts.next(), FreePorts.next()),
                    EmbeddedKafkaServer::start, EmbeddedKafkaServer::stop));
            // in memory: nothing in the tests restarts MongoDB, and memory is faster than an H2 file
            CompletableFuture<EmbeddedMongoServer> mongo = async("mongo", () -> startWithRetries(
                    attempt -> new EmbeddedMongoServer(null, FreePorts.next()),
                    EmbeddedMongoServer::start, EmbeddedMongoServer::stop));
            try {
                CompletableFuture.allOf(pg, kafka, mongo).join();
            } catch (CompletionException e) {
                // whatever did start must not outlive the failure
                pg.thenAccept(EmbeddedPostgresServer::stop);
                kafka.thenAccept(EmbeddedKafkaServer::stop);
                mongo.thenAccept(EmbeddedMongoServer::stop);
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
            return new EmbeddedServers(dir, pg.join(), kafka.join(), mongo.join());
        } catch (RuntimeException e) {
            FileTree.delete(dir);
            throw e;
        }
    }

    /** A port picked as free can be taken before the server binds it; then try again on other ports. */
    private static <T> T startWithRetries(java.util.function.IntFunction<T> create,
                                          java.util.function.Consumer<T> start, java.util.function.Consumer<T> stop) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            T server = create.apply(attempt);
            try {
                start.accept(server);
                return server;
            } catch (RuntimeException e) {
                last = e;
                log.warn("embedded server failed to start (attempt {} of {}): {}", attempt, ATTEMPTS, e.getMessage());
                try {
                    stop.accept(server);
                } catch (RuntimeException ignored) {
                    // it did not start
                }
            }
        }
        throw last;
    }

    private static <T> CompletableFuture<T> async(String name, Supplier<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(task.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "start-embedded-" + name);
        t.setDaemon(true);
        t.start();
        return f;
    }

    @Override
    public String mode() {
        return "embedded";
    }

    @Override
    public String pgHost() {
        return postgres.host();
    }

    @Override
    public int pgPort() {
        return postgres.port();
    }

    @Override
    public String pgUser() {
        return postgres.user();
    }

    @Override
    public String pgPassword() {
        return postgres.password();
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public String mongoUri() {
        return mongo.connectionString();
    }

    @Override
    public void stopKafka() {
        kafka.stop();
    }

    @Override
    public void startKafka() {
        kafka.start();
    }

    @Override
    public void stopPostgres() {
        postgres.stop();
    }

    @Override
    public void startPostgres() {
        postgres.start();
    }

    @Override
    public void close() {
        for (Runnable stop : new Runnable[] {kafka::stop, mongo::stop, postgres::stop}) {
            try {
                stop.run();
            } catch (RuntimeException e) {
                log.warn("embedded server did not stop cleanly", e);
            }
        }
        try {
            FileTree.delete(dir);
        } catch (RuntimeException e) {
            log.warn("could not remove {}", dir, e);
        }
    }

    @Override
    public String toString() {
        return "embedded servers: PostgreSQL " + pgHost() + ":" + pgPort() + ", Kafka " + kafkaBootstrapServers()
                + ", MongoDB-wire " + mongoUri() + " (data in " + dir + ")";
    }
}
