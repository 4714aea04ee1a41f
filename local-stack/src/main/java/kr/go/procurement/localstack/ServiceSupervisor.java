package kr.go.procurement.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service JVMs of the local stack: starts them in contract order, waits for their readiness, stops them in
 * reverse order, and lets the admin endpoint stop, start, restart and kill one at a time.
 */
final class ServiceSupervisor {

    private static final Logger log = LoggerFactory.getLogger(ServiceSupervisor.class);

    /** Thrown when a service exits or does not become ready while the stack starts. */
    static final class StartFailure extends RuntimeException {
        StartFailure(String message) {
            super(message);
        }
    }

    private final List<ManagedService> services = new ArrayList<>();
    /** The second instances started by {@link #scale}, by module name. */
    private final Map<String, ManagedService> extras = new LinkedHashMap<>();
    private final Set<String> selected;
    private final Path root;
    private final List<String> javaOpts;
    private final int portOffset;
    private final Map<String, Map<String, String>> environments = new LinkedHashMap<>();
    private final JarCache cache;
    private volatile boolean shuttingDown;
    /** Until READY, an exit is a start failure that {@link #awaitReady} reports; afterwards the stack goes on. */
    private volatile boolean up;

    /**
     * @param selected   names of the services to start (null = all whose JAR exists)
     * @param gatewayEnv what only gateway-svc gets (the token secret need not reach every service)
     */
    ServiceSupervisor(Path root, Set<String> selected, List<String> javaOpts, Map<String, String> infraEnv,
                      Map<String, String> gatewayEnv, int portOffset, JarCache cache) {
        this.selected = selected;
        this.cache = cache;
        this.root = root;
        this.javaOpts = javaOpts;
        this.portOffset = portOffset;
        Map<String, String> env = new LinkedHashMap<>(infraEnv);
        // how the services find each other (request → management, gateway → everyone)
        // Both instance slots of each service (the stack's and the one scale starts): the gateway and request-svc
        // balance over the ready ones, so a scaled instance takes traffic once ready and a rolling restart drops
        // nothing.
        env.put("MANAGEMENT_URL", slots(8081 + portOffset));
        env.put("REQUEST_URL", slots(8082 + portOffset));
        env.put("DELIVERY_URL", slots(8083 + portOffset));
        env.put("STATUS_VIEW_URL", slots(8084 + portOffset));
        env.put("NOTIFICATION_URL", slots(8085 + portOffset));
        // Readiness DOWN (and Connection: close on every answer) for a second before the listener closes: longer
        // than the gateway's 500 ms readiness probe, so it stops choosing an instance before the instance stops.
        env.putIfAbsent("SHUTDOWN_DRAIN_MS", "1000");
        for (ServiceSpec spec : ServiceSpec.ALL) {
            Map<String, String> serviceEnv = env;
            if (spec.name().equals("gateway-svc")) {
                serviceEnv = new LinkedHashMap<>(env);
                serviceEnv.putAll(gatewayEnv);
            }
            environments.put(spec.name(), serviceEnv);
            services.add(new ManagedService(spec, 1, spec.port() + portOffset, root, javaOpts, serviceEnv,
                    this::exitedUnexpectedly, cache));
        }
    }

    private static String slots(int port) {
        return "http://127.0.0.1:" + port + ",http://127.0.0.1:" + (port + ManagedService.EXTRA_PORT_SHIFT);
    }

    /** The second instance of {@code name} if one runs, else null. */
    ManagedService runningExtra(String name) {
        synchronized (extras) {
            ManagedService extra = extras.get(name);
            return extra != null && extra.isAlive() ? extra : null;
        }
    }

    /** The HTTP ports the selected services will listen on, by service name (for a clear "port in use" message). */
    Map<Integer, String> ports() {
        return ports(root, selected, portOffset);
    }

    /**
     * The HTTP ports of the selected services (null = all) that {@link #startAll} will start, those whose JAR is
     * built, by service name; known before any supervisor exists, so that they are checked before anything starts.
     */
    static Map<Integer, String> ports(Path root, Set<String> selected, int portOffset) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        for (ServiceSpec s : ServiceSpec.ALL) {
            if ((selected == null || selected.contains(s.name())) && Files.isRegularFile(s.jar(root))) {
                ports.put(s.port() + portOffset, s.name());
            }
        }
        return ports;
    }

    /**
     * Runs one or two instances of a service: 2 starts a second JVM of the same JAR with the same environment (so
     * the same consumer group: Kafka rebalances the partitions between the two) on its port plus
     * {@link ManagedService#EXTRA_PORT_SHIFT}, and waits until it is ready; 1 stops that second instance (SIGTERM).
     * The gateway and request-svc know both ports and send requests to whichever instances are ready.
     *
     * @return the instances running afterwards
     */
    List<ManagedService> scale(String name, int instances, Duration readyTimeout) {
        ManagedService first = find(name);
        if (first == null) {
            throw new IllegalArgumentException("unknown service " + name);
        }
        if (instances < 1 || instances > 2) {
            throw new IllegalArgumentException("instances must be 1 or 2, got " + instances);
        }
        ManagedService extra;
        synchronized (extras) {
            extra = extras.get(name);
            if (instances == 2 && extra == null) {
                extra = new ManagedService(first.spec(), 2, first.port() + ManagedService.EXTRA_PORT_SHIFT, root,
                        javaOpts, environments.get(name), this::exitedUnexpectedly, cache);
                extras.put(name, extra);
            }
        }
        if (instances == 2) {
            if (!extra.isAlive()) {
                if (!Infrastructure.isPortFree(extra.port())) {
                    throw new IllegalStateException("port " + extra.port() + " for " + extra.name() + " is in use");
                }
                extra.start();
                awaitReady(List.of(extra), readyTimeout);
            }
        } else if (extra != null) {
            extra.stop();
        }
        List<ManagedService> running = new ArrayList<>();
        if (first.isAlive()) {
            running.add(first);
        }
        if (extra != null && extra.isAlive()) {
            running.add(extra);
        }
        return running;
    }

    /** Copies the selected JARs into the cache in the background (while the infrastructure starts). */
    void prepare() {
        for (ManagedService s : selectedServices()) {
            s.prepare();
        }
    }

    private List<ManagedService> selectedServices() {
        return services.stream().filter(s -> selected == null || selected.contains(s.name())).toList();
    }

    /**
     * Starts, in contract order, every selected service whose JAR exists, at most {@code concurrency} at a time
     * (the next one as soon as one of those is ready; 0 = all at once), and waits until all are ready, as
     * {@link #awaitReady}. Returns those started.
     */
    List<ManagedService> startAll(int concurrency, Duration timeout) {
        List<ManagedService> toStart = new ArrayList<>();
        List<String> notBuilt = new ArrayList<>();
        for (ManagedService s : selectedServices()) {
            if (s.jarExists()) {
                toStart.add(s);
            } else {
                notBuilt.add(s.name());
            }
        }
        if (!notBuilt.isEmpty()) {
            log.info("not started, no JAR built: {} (expected at {}; build with ./mvnw package)",
                    String.join(", ", notBuilt), services.get(0).jar().getParent().getParent().getParent()
                            .resolve("<module>/target/<module>.jar"));
        }
        awaitReady(List.of(), toStart, concurrency <= 0 ? toStart.size() : concurrency, timeout);
        return toStart;
    }

    /**
     * Polls {@code /health/ready} of each service until all answer 200. A service that exits meanwhile, or a
     * timeout, is a {@link StartFailure} naming the service (and its exit code).
     */
    void awaitReady(List<ManagedService> started, Duration timeout) {
        awaitReady(started, List.of(), 1, timeout);
    }

    /** Waits for {@code started}, and starts {@code toStart} in order, at most {@code concurrency} not ready at once. */
    private void awaitReady(List<ManagedService> started, List<ManagedService> toStart, int concurrency,
                            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ManagedService> queued = new ArrayList<>(toStart);
        List<ManagedService> pending = new ArrayList<>(started);
        if (queued.isEmpty() && pending.isEmpty()) {
            up = true;
            return;
        }
        while (true) {
            while (!queued.isEmpty() && pending.size() < Math.max(1, concurrency)) {
                if (shuttingDown) {
                    throw new StartFailure("stopping before " + queued.get(0).name() + " was started");
                }
                ManagedService next = queued.remove(0);
                next.start();
                pending.add(next);
            }
            for (ManagedService s : new ArrayList<>(pending)) {
                if (!s.isAlive()) {
                    throw new StartFailure(s.name() + " exited with code " + s.lastExitCode() + " while starting");
                }
                if (s.isReady()) {
                    log.info("{} is ready on {}", s.name(), s.url());
                    pending.remove(s);
                }
            }
            if (pending.isEmpty() && queued.isEmpty()) {
                up = true;
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new StartFailure("not ready after " + timeout.toSeconds() + " s: "
                        + String.join(", ", pending.stream().map(ManagedService::name).toList())
                        + " (GET /health/ready did not answer 200)"
                        + (queued.isEmpty() ? "" : "; not started yet: "
                        + String.join(", ", queued.stream().map(ManagedService::name).toList())));
            }
            if (pending.size() >= Math.max(1, concurrency) || queued.isEmpty()) {
                sleep(100);
            }
        }
    }

    /**
     * Reverse start order: the gateway first, so no new work arrives at services that are going away. Each one is
     * waited for until it exits, except that one writing its class-data archive (seconds of CPU at exit) counts as
     * stopped once it has closed its HTTP server: their archives are written side by side.
     */
    void stopAll() {
        shuttingDown = true;
        List<ManagedService> reversed = new ArrayList<>(services);
        synchronized (extras) {
            reversed.addAll(extras.values());
        }
        java.util.Collections.reverse(reversed);
        List<ManagedService> stopping = new ArrayList<>();
        for (ManagedService s : reversed) {
            if (s.isAlive()) {
                log.info("stopping {}", s.name());
                if (!s.signalStop()) {
                    continue;
                }
                if (s.isRecording()) {
                    s.awaitStopServing();
                    stopping.add(s);
                } else {
                    s.awaitStop();
                }
            }
        }
        for (ManagedService s : stopping) {
            s.awaitStop();
        }
    }

    ManagedService find(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /** name, port, pid, state, url of every service of the contract, for the admin endpoint. */
    List<Map<String, Object>> describe() {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<ManagedService> all = new ArrayList<>(services);
        synchronized (extras) {
            all.addAll(extras.values());
        }
        for (ManagedService s : all) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", s.name());
            row.put("port", s.port());
            row.put("pid", s.pid());
            row.put("state", s.state());
            row.put("url", s.url());
            if (s.runningJar() != null) {
                row.put("jar", s.runningJar().toString());
                row.put("cds", s.cds());
            }
            rows.add(row);
        }
        return rows;
    }

    private void exitedUnexpectedly(String name, int exitCode) {
        if (shuttingDown || !up) {
            return;
        }
        log.warn("{} EXITED with code {}; the rest of the stack keeps running (start it again with: "
                + "java -jar local-stack/target/local-stack.jar start {})", name, exitCode, name);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
