package kr.go.procurement.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server (zonky's embedded binaries) on 127.0.0.1, whose data directory survives restarts.
 *
 * <p>The server can be stopped and started again any number of times in one JVM (tests do that to prove that the
 * services survive a database outage). Authentication is {@code trust}: any password is accepted for {@link #USER}.
 *
 * <p>PostgreSQL runs as a separate process tree that {@code pg_ctl} daemonises, so it would outlive a JVM that is
 * killed with SIGKILL. Two things keep that from leaving a database behind:
 * <ul>
 *   <li>a tiny shell "reaper" watches this JVM and sends the postmaster SIGINT (fast shutdown) once the JVM is gone;</li>
 *   <li>{@link #start()} recognises a postmaster left over from a crashed run of the same data directory and stops
 *   it, and removes a stale {@code postmaster.pid}.</li>
 * </ul>
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    public static final String USER = "postgres";
    /** Ignored by the server ({@code trust} authentication); what clients are told to send. */
    public static final String PASSWORD = "postgres";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final Path dataDirectory;
    private final Path logFile;
    private final int port;
    private boolean throwaway;

    private EmbeddedPostgres postgres;
    private Process reaper;
    private long postmasterPid = -1;

    /**
     * @param dataDirectory PostgreSQL's data directory (created and initialised on first start, kept afterwards);
     *                      the server log goes to the sibling file {@code <dataDirectory>.log}
     * @param port          the TCP port on 127.0.0.1
     */
    public EmbeddedPostgresServer(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory.toAbsolutePath().normalize();
        this.logFile = this.dataDirectory.resolveSibling(this.dataDirectory.getFileName() + ".log");
        this.port = port;
    }

    /**
     * Trades durability against an operating-system crash for speed (fsync and full-page writes off). Only for data
     * nobody will miss, such as a test run's temporary directory. Call before {@link #start()}.
     */
    public EmbeddedPostgresServer throwaway() {
        this.throwaway = true;
        return this;
    }

    public synchronized void start() {
        if (postgres != null) {
            return;
        }
        try {
            stopLeftoverServer();
            discardIncompleteInitdb();

            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // initdb and the server write here instead of through the JVM's logger: quiet, and the server
                    // does not depend on a pipe into a JVM that may die before it.
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setPGStartupWait(Duration.ofSeconds(30))
                    // "C" sorts bytewise but stores any UTF-8 text (Korean included); it exists on every machine.
                    .setLocaleConfig("locale", "C")
                    .setServerConfig("listen_addresses", HOST)
                    // no Unix socket: nothing to collide with another PostgreSQL in /tmp, nothing stale after a crash
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("max_connections", "200")
                    // Three services' tables, indexes and outboxes stay in memory under load; with 32 MB PostgreSQL
                    // evicted pages at a few thousand requests. WAL room for a minute of load between checkpoints.
                    .setServerConfig("shared_buffers", "128MB")
                    .setServerConfig("max_wal_size", "1GB")
                    .setServerConfig("log_min_messages", "warning")
                    .setServerConfig("log_timezone", "UTC");
            if (throwaway) {
                builder.setServerConfig("fsync", "off").setServerConfig("full_page_writes", "off");
            } else {
                // zonky starts postgres with -F and synchronous_commit=off; a later -c wins, so a committed
                // procurement survives a crash of the database itself, not only a clean stop.
                builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
            }
            postgres = builder.start();
            disarmZonkyShutdownHook(postgres);
            postmasterPid = readPostmasterPid().orElse(-1L);
            reaper = startReaper(postmasterPid);
            log.info("PostgreSQL listening on {}:{} (data {}, postmaster pid {})", HOST, port, dataDirectory, postmasterPid);
        } catch (IOException | RuntimeException e) {
            // zonky gives up waiting without stopping a postmaster that did come up (slowly): do not leave it behind
            try {
                stopLeftoverPostmaster();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("PostgreSQL did not start on port " + port + "; see " + logFile, e);
        }
    }

    /** Fast shutdown (clients are disconnected); returns once the server is gone. The data stays. */
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        if (reaper != null) {
            reaper.destroy();
            reaper = null;
        }
        try {
            rearmAndClose(postgres);
        } finally {
            postgres = null;
            postmasterPid = -1;
        }
        log.info("PostgreSQL on port {} stopped", port);
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return postgres != null;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public Path logFile() {
        return logFile;
    }

    /** The pid of the running postmaster, or -1. */
    public synchronized long postmasterPid() {
        return postmasterPid;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return connect(HOST, port, database, USER, PASSWORD);
    }

    /** Creates {@code database} unless it exists. */
    public void createDatabaseIfAbsent(String database) {
        createDatabaseIfAbsent(HOST, port, USER, PASSWORD, database);
    }

    /**
     * Creates {@code database} on any PostgreSQL server unless it exists, connecting to its {@code postgres}
     * database. Used for the embedded server and for an existing one the local stack was pointed at.
     */
    public static void createDatabaseIfAbsent(String host, int port, String user, String password, String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        try (Connection c = connect(host, port, "postgres", user, password)) {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE \"" + database + "\"");
            } catch (SQLException e) {
                // 42P04 duplicate_database: someone else created it in between, which is what we wanted
                if (!"42P04".equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database + " on " + host + ":" + port, e);
        }
    }

    static Connection connect(String host, int port, String database, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, props);
    }

    // --- start-up helpers ---------------------------------------------------------------------------------------

    /** zonky holds a file lock on {@code epg-lock} while a server runs; if another process holds it, stay away. */
    private void ensureNotUsedByAnotherProcess() throws IOException {
        Path lockFile = dataDirectory.resolve("epg-lock");
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("PostgreSQL data directory " + dataDirectory
                        + " is in use by another running process (is another local stack running?)");
            }
            lock.release();
        }
    }

    /**
     * Makes the data directory usable after a crash: a crash of the JVM that started PostgreSQL can leave its
     * postmaster running (if the reaper was killed too) or leave {@code postmaster.pid} behind. The former is
     * stopped; the latter is removed so that a recycled pid cannot make PostgreSQL believe that it still runs.
     * Fails if another running process (another local stack) uses the directory. {@link #start()} does this; call
     * it earlier to free the port before checking it.
     */
    public synchronized void stopLeftoverServer() {
        if (postgres != null) {
            return;
        }
        try {
            Files.createDirectories(dataDirectory);
            ensureNotUsedByAnotherProcess();
            stopLeftoverPostmaster();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether a PostgreSQL left over from an earlier run of this data directory still runs (and so may hold the
     * port); {@link #stopLeftoverServer()} would stop it. Changes nothing.
     */
    public synchronized boolean leftoverServerRuns() {
        return postgres == null && leftoverPostmaster().isPresent();
    }

    private Optional<ProcessHandle> leftoverPostmaster() {
        return readPostmasterPid().flatMap(ProcessHandle::of).filter(EmbeddedPostgresServer::isRunning)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    }

    private void stopLeftoverPostmaster() throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        Optional<ProcessHandle> process = leftoverPostmaster();
        if (process.isPresent()) {
            long pid = process.get().pid();
            log.warn("PostgreSQL (pid {}) left over from an earlier run still uses {}; stopping it", pid, dataDirectory);
            signal(pid, "INT");
            if (!waitForExit(process.get(), Duration.ofSeconds(10))) {
                signal(pid, "QUIT");
                if (!waitForExit(process.get(), Duration.ofSeconds(5))) {
                    process.get().destroyForcibly();
                    waitForExit(process.get(), Duration.ofSeconds(5));
                }
            }
        }
        if (Files.deleteIfExists(pidFile)) {
            log.info("removed stale {}", pidFile);
        }
    }

    /** initdb refuses a non-empty directory; one without postgresql.conf is what an interrupted initdb leaves. */
    private void discardIncompleteInitdb() throws IOException {
        if (Files.exists(dataDirectory.resolve("postgresql.conf"))) {
            return;
        }
        try (var entries = Files.list(dataDirectory)) {
            List<Path> leftovers = entries.toList();
            if (!leftovers.isEmpty()) {
                log.warn("{} holds an incomplete PostgreSQL cluster (no postgresql.conf); initialising it afresh", dataDirectory);
                for (Path p : leftovers) {
                    FileTree.delete(p);
                }
            }
        }
    }

    private Optional<Long> readPostmasterPid() {
        try {
            List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Sends the postmaster SIGINT (fast shutdown) once this JVM is gone, however it ended; SIGQUIT (immediate) if it
     * still runs 4 s later. It ends by itself when the postmaster goes first (a normal {@link #stop()} also
     * destroys it), so it never signals a recycled pid while this JVM lives.
     */
    private static Process startReaper(long postmasterPid) throws IOException {
        if (postmasterPid <= 0) {
            log.warn("no postmaster pid found; PostgreSQL will not be stopped if this JVM is killed");
            return null;
        }
        String script = ""
                + "J=$1; P=$2\n"
                + "while kill -0 \"$J\" 2>/dev/null && kill -0 \"$P\" 2>/dev/null; do sleep 0.5; done\n"
                + "kill -0 \"$J\" 2>/dev/null && exit 0\n"
                + "kill -INT \"$P\" 2>/dev/null || exit 0\n"
                + "i=0; while kill -0 \"$P\" 2>/dev/null && [ $i -lt 20 ]; do sleep 0.2; i=$((i+1)); done\n"
                + "kill -QUIT \"$P\" 2>/dev/null; exit 0\n";
        return new ProcessBuilder("sh", "-c", script, "pg-reaper",
                Long.toString(ProcessHandle.current().pid()), Long.toString(postmasterPid))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /*
     * zonky registers a JVM shutdown hook per start that stops PostgreSQL as soon as the JVM begins to exit. The
     * local stack must stop PostgreSQL last, after the services that use it have drained, so the hook is disarmed
     * by marking the instance closed; stop() re-arms and closes it. Should a zonky upgrade rename the field, the
     * hook simply stays active (the stack still stops cleanly, only in a less tidy order).
     */
    private static void disarmZonkyShutdownHook(EmbeddedPostgres pg) {
        closedFlag(pg).ifPresent(flag -> flag.set(true));
    }

    private static void rearmAndClose(EmbeddedPostgres pg) {
        closedFlag(pg).ifPresent(flag -> flag.set(false));
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<AtomicBoolean> closedFlag(EmbeddedPostgres pg) {
        try {
            Field f = EmbeddedPostgres.class.getDeclaredField("closed");
            f.setAccessible(true);
            return Optional.of((AtomicBoolean) f.get(pg));
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("cannot reach zonky's closed flag; its shutdown hook stays armed", e);
            return Optional.empty();
        }
    }

    static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean waitForExit(ProcessHandle p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isRunning(p) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isRunning(p);
            }
        }
        return !isRunning(p);
    }

    /** Alive and not a zombie: an orphaned postmaster that has exited stays a zombie until init reaps it. */
    private static boolean isRunning(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            // "pid (comm) S ...": the state follows the last ')'
            char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return p.isAlive();
        }
    }
}
