package kr.go.procurement.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service JVM, a child process of the launcher: {@code java <opts> -jar <copy of <module>/target/<module>.jar>}
 * (a copy from the {@link JarCache} taken at each start, so rebuilding the module does not break the running JVM, and
 * with the copy's class-data archive when there is one). Its output is printed line by line with the service's name
 * in front. It can be stopped (SIGTERM, then SIGKILL after {@link #STOP_GRACE}), killed (SIGKILL) and started again,
 * which is how the fault-isolation demo is replayed.
 */
final class ManagedService {

    /** How long a service may take to drain and exit after SIGTERM before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(12);
    /**
     * More for a JVM that writes its class-data archive on the way out: 2 s for 48 MB on an idle 2-core machine, 5 to
     * 10 s on a busy one (killed, it would just have to record it again next time).
     */
    static final Duration ARCHIVE_GRACE = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(ManagedService.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final ServiceSpec spec;
    /** 1 for the stack's instance, 2 for the extra one that {@code scale} starts beside it. */
    private final int instance;
    /** The HTTP port: the contract's, plus the stack's port offset, plus {@link #EXTRA_PORT_SHIFT} for instance 2. */
    private final int port;
    private final Path jar;
    private final Path workingDir;
    private final List<String> javaOpts;
    private final Map<String, String> environment;
    /** Told (name, exit code) when the process ends without having been asked to. */
    private final BiConsumer<String, Integer> onUnexpectedExit;
    /** Where the copies run from; null runs the JAR in place (no copy, no class-data archive). */
    private final JarCache cache;

    private Process process;
    /** The current (or last) run: which copy, how it shares class data, whether it was ever ready. */
    private Run run;
    private boolean stopRequested;
    private long stopSignalledAt;
    private Integer lastExitCode;

    /** One process of this service. */
    private static final class Run {
        final Process process;
        final JarCache.Launch launch;
        volatile boolean wasReady;
        final AtomicBoolean ended = new AtomicBoolean();

        Run(Process process, JarCache.Launch launch) {
            this.process = process;
            this.launch = launch;
        }
    }

    /** A second instance listens this far above the first (8081 → 8091, ..., 8088 → 8098; admin stays 8099). */
    static final int EXTRA_PORT_SHIFT = 10;

    ManagedService(ServiceSpec spec, int instance, int port, Path root, List<String> javaOpts,
                   Map<String, String> environment, BiConsumer<String, Integer> onUnexpectedExit, JarCache cache) {
        this.spec = spec;
        this.instance = instance;
        this.port = port;
        this.jar = spec.jar(root);
        this.workingDir = root;
        this.javaOpts = javaOpts;
        this.environment = environment;
        this.onUnexpectedExit = onUnexpectedExit;
        this.cache = cache;
    }

    ServiceSpec spec() {
        return spec;
    }

    /** The module's name; the extra instance is {@code <module>#2}. */
    String name() {
        return instance == 1 ? spec.name() : spec.name() + "#" + instance;
    }

    int port() {
        return port;
    }

    String url() {
        return "http://localhost:" + port;
    }

    Path jar() {
        return jar;
    }

    /** The JAR the current (or last) process runs: the copy, or {@link #jar()} without a cache; null before a start. */
    synchronized Path runningJar() {
        return run == null ? null : run.launch.jar();
    }

    /** Class-data sharing of the current (or last) run: on, recording, off (why); null before a start. */
    synchronized String cds() {
        return run == null ? null : run.launch.cds();
    }

    /** Starts copying the JAR into the cache in the background, so that {@link #start} finds the copy made. */
    void prepare() {
        if (cache != null && jarExists()) {
            cache.prepare(spec.name(), jar);
        }
    }

    /** Checked each time: a JAR built after the stack started can be started through the admin endpoint. */
    boolean jarExists() {
        return Files.isRegularFile(jar);
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        return isAlive() ? process.pid() : -1;
    }

    /** The exit code of the last run once it has ended (read from the process: onExit is notified a bit later). */
    synchronized Integer lastExitCode() {
        if (process != null && !process.isAlive()) {
            return process.exitValue();
        }
        return lastExitCode;
    }

    /** Starts the process unless it runs; false if it was running already. */
    synchronized boolean start() {
        if (isAlive()) {
            return false;
        }
        if (!jarExists()) {
            throw new IllegalStateException(jar + " does not exist; build it with ./mvnw -pl " + spec.name() + " package");
        }
        if (run != null) {
            ended(run); // the last run died on its own and its exit was not handled yet
        }
        JarCache.Launch launch = launchOf(jar);
        List<String> command = new ArrayList<>();
        // A session of its own: Ctrl-C in the terminal reaches only the launcher, which then stops the services in
        // reverse start order instead of all of them dying at once. PARENT_PID still ends them if it is killed.
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launch.cdsOptions());
        command.addAll(javaOpts);
        command.add("-jar");
        command.add(launch.jar().toString());

        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(environment);
        pb.environment().put("HTTP_PORT", Integer.toString(port));
        pb.environment().put("PARENT_PID", Long.toString(ProcessHandle.current().pid()));
        try {
            process = pb.start();
        } catch (IOException e) {
            if (cache != null) {
                cache.ended(launch, 1, false);
            }
            throw new UncheckedIOException("could not start " + spec.name(), e);
        }
        stopRequested = false;
        lastExitCode = null;
        Process p = process;
        Run r = new Run(p, launch);
        run = r;
        Thread pump = new Thread(() -> pump(p.getInputStream()), name() + "-output");
        pump.setDaemon(true);
        pump.start();
        p.onExit().thenAccept(x -> exited(r));
        log.info("started {} (pid {}) on port {}{}", name(), p.pid(), port,
                launch.jar().equals(jar) ? "" : " from " + launch.jar().getFileName() + ", class-data sharing "
                        + launch.cds());
        if (cache != null) {
            cache.pruneLater(spec.name());
        }
        return true;
    }

    /** The copy to run and its class-data options; the JAR in place if the cache cannot be written. */
    private JarCache.Launch launchOf(Path source) {
        if (cache != null) {
            try {
                return cache.launch(spec.name(), source);
            } catch (IOException | RuntimeException e) {
                log.warn("could not copy {} to {} ({}); running it in place, so a rebuild under it will break it",
                        source, cache.directory(), e.toString());
            }
        }
        return new JarCache.Launch(source, List.of(), null, null, "off");
    }

    /** Once per run, after its process ended: keeps or discards the archive it recorded. */
    private void ended(Run r) {
        if (r.process.isAlive() || !r.ended.compareAndSet(false, true)) {
            return;
        }
        if (cache != null) {
            cache.ended(r.launch, r.process.exitValue(), r.wasReady);
        }
    }

    /** SIGTERM, then SIGKILL after the grace period; returns the exit code, or null if it was not running. */
    Integer stop() {
        return signalStop() ? awaitStop() : null;
    }

    /** SIGTERM; false if it was not running. {@link #awaitStop} follows. */
    boolean signalStop() {
        Process p;
        synchronized (this) {
            if (!isAlive()) {
                return false;
            }
            stopRequested = true;
            p = process;
            stopSignalledAt = System.nanoTime();
        }
        // Through the ProcessHandle: Process.destroy() would also close our end of the output pipe, and the lines
        // the service logs while it shuts down would be lost.
        p.toHandle().destroy();
        return true;
    }

    /**
     * After {@link #signalStop}: until it no longer listens on its port (it has drained and closed its server; what is
     * left is closing pools and, if it records one, writing its class-data archive), or exited, or the grace period
     * is over.
     */
    void awaitStopServing() {
        Process p;
        long deadline;
        synchronized (this) {
            p = process;
            deadline = stopSignalledAt + grace().toNanos();
        }
        while (p != null && p.isAlive() && !Infrastructure.isPortFree(port) && System.nanoTime() < deadline) {
            ServiceSupervisor.sleep(50);
        }
    }

    /** After {@link #signalStop}: until it exits, SIGKILL after the grace period; its exit code (null if running). */
    Integer awaitStop() {
        Process p;
        long deadline;
        synchronized (this) {
            p = process;
            deadline = stopSignalledAt + grace().toNanos();
        }
        try {
            if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                log.warn("{} did not exit within {} s of SIGTERM; killing it", name(), grace().toSeconds());
                p.toHandle().destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.toHandle().destroyForcibly();
        }
        return reportEnd(p);
    }

    private synchronized Duration grace() {
        return isRecording() ? STOP_GRACE.plus(ARCHIVE_GRACE) : STOP_GRACE;
    }

    /** The current run records a class-data archive, which it writes when it exits. */
    synchronized boolean isRecording() {
        return run != null && run.launch.recordingTo() != null;
    }

    /** SIGKILL: the abrupt end that the fault-isolation demo simulates. */
    Integer kill() {
        Process p;
        synchronized (this) {
            if (!isAlive()) {
                return null;
            }
            stopRequested = true;
            p = process;
        }
        p.toHandle().destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return reportEnd(p);
    }

    private Integer reportEnd(Process p) {
        if (p.isAlive()) {
            log.warn("{} (pid {}) is still running", name(), p.pid());
            return null;
        }
        Run r;
        synchronized (this) {
            if (p == process) {
                lastExitCode = p.exitValue();
            }
            r = run;
        }
        if (r != null && r.process == p) {
            ended(r); // before a restart looks for the archive
        }
        log.info("{} stopped (exit code {})", name(), p.exitValue());
        return p.exitValue();
    }

    /** GET /health/ready answered 200. */
    boolean isReady() {
        Run r;
        synchronized (this) {
            if (!isAlive()) {
                return false;
            }
            r = run;
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            boolean ready = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            if (ready && r.process.isAlive()) {
                r.wasReady = true;
            }
            return ready;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** absent (no JAR), stopped, exited, starting (runs, not ready) or ready. */
    String state() {
        boolean alive;
        Integer exit;
        boolean everStarted;
        synchronized (this) {
            alive = isAlive();
            exit = lastExitCode();
            everStarted = process != null;
        }
        if (alive) {
            return isReady() ? "ready" : "starting";
        }
        if (!everStarted) {
            return jarExists() ? "stopped" : "absent";
        }
        synchronized (this) {
            return stopRequested ? "stopped" : "exited(" + exit + ")";
        }
    }

    private void exited(Run r) {
        ended(r);
        Process p = r.process;
        boolean unexpected;
        synchronized (this) {
            if (p != process) {
                return;
            }
            lastExitCode = p.exitValue();
            unexpected = !stopRequested;
        }
        if (unexpected) {
            onUnexpectedExit.accept(name(), p.exitValue());
        }
    }

    /** Copies the child's output to the console, line by line, bytes unchanged. */
    private void pump(InputStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        emit(line);
                    } else {
                        line.write(b);
                    }
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
        if (line.size() > 0) {
            emit(line);
        }
    }

    private void emit(ByteArrayOutputStream line) {
        byte[] bytes = line.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') {
            len--;
        }
        Console.serviceLine(name(), bytes, len);
        line.reset();
    }
}
