package kr.go.procurement.localstack;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MongoDB-wire-protocol server in this JVM (mongo-java-server) on 127.0.0.1, storing its data in an H2 MVStore
 * file so that it survives restarts. Good enough for the services' document reads and writes; it is not MongoDB
 * (no change streams unless {@link #withOplog()}, simplified aggregation), which is what Testcontainers' real
 * {@code mongo:7} is for.
 */
public final class EmbeddedMongoServer implements AutoCloseable {

    public static final String HOST = "127.0.0.1";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoServer.class);

    private final Path dataFile;
    private final int port;
    private boolean oplog;

    private MongoServer server;

    /**
     * @param dataDirectory where the H2 file {@code mongo.mv} is kept; {@code null} keeps everything in memory
     *                      (lost on {@link #stop()})
     * @param port          the TCP port on 127.0.0.1
     */
    public EmbeddedMongoServer(Path dataDirectory, int port) {
        this.dataFile = dataDirectory == null ? null : dataDirectory.toAbsolutePath().normalize().resolve("mongo.mv");
        this.port = port;
    }

    /** Keeps an oplog, which change streams need; call before {@link #start()}. */
    public EmbeddedMongoServer withOplog() {
        this.oplog = true;
        return this;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        MongoBackend backend;
        if (dataFile == null) {
            backend = H2Backend.inMemory();
        } else {
            try {
                Files.createDirectories(dataFile.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            backend = new H2Backend(dataFile.toString());
        }
        MongoServer s = new MongoServer(backend);
        if (oplog) {
            s.enableOplog();
        }
        try {
            // one acceptor thread and two I/O threads are plenty for a handful of local clients
            s.bind(new InetSocketAddress(HOST, port), 1, 2);
        } catch (RuntimeException e) {
            s.shutdownNow();
            throw new IllegalStateException("MongoDB-wire server did not start on " + HOST + ":" + port, e);
        }
        server = s;
        log.info("MongoDB-wire server listening on {}:{} ({})", HOST, port, dataFile == null ? "in memory" : dataFile);
    }

    /** Closes the listener and every client connection, and writes the H2 file. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        MongoServer s = server;
        server = null;
        s.shutdown();
        log.info("MongoDB-wire server on port {} stopped", port);
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public int port() {
        return port;
    }

    /** {@code mongodb://127.0.0.1:<port>} */
    public String connectionString() {
        return "mongodb://" + HOST + ":" + port;
    }

    /** The H2 file, or null when in memory. */
    public Path dataFile() {
        return dataFile;
    }
}
