package kr.go.procurement.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack's admin endpoint, on 127.0.0.1 only (JDK HttpServer, no dependency):
 * <pre>
 * GET  /services                       JSON list of name, port, pid, state (services, then postgres/kafka/mongo)
 * GET  /services?format=text           the same as a table (what the "status" verb prints)
 * POST /services/{name}/stop           SIGTERM, SIGKILL after 12 s (embedded infrastructure: a clean stop)
 * POST /services/{name}/start          start and wait until ready
 * POST /services/{name}/restart        stop, then start; with two instances rolling: each replaced in turn, the
 *                                      second stopped only once the first one's replacement is ready
 * POST /services/{name}/kill           SIGKILL (services only)
 * POST /services/{name}/scale?instances=2   start a second instance (port + 10, same consumer group) and wait
 *                                           until it is ready; instances=1 stops it again (services only)
 * </pre>
 * POSTs must carry the header {@code X-Local-Stack: 1} and no {@code Origin}: a web page in the developer's
 * browser cannot send that without a CORS preflight, which this server never grants, so it cannot stop services.
 */
final class AdminServer {

    static final String HEADER = "X-Local-Stack";

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final ServiceSupervisor services;
    private final Infrastructure infra;
    private final Duration readyTimeout;
    private HttpServer server;
    private ExecutorService executor;

    AdminServer(ServiceSupervisor services, Infrastructure infra, Duration readyTimeout) {
        this.services = services;
        this.infra = infra;
        this.readyTimeout = readyTimeout;
    }

    void start(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/services", this::handle);
        // a few threads: a "start" that waits for readiness must not hold up "status"
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "admin");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        log.info("admin endpoint on http://127.0.0.1:{}/services", port);
    }

    void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (!ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
                send(ex, 403, error("loopback only"));
                return;
            }
            if (path.equals("/services") || path.equals("/services/")) {
                if (!method.equals("GET")) {
                    send(ex, 405, error("use GET"));
                    return;
                }
                List<Map<String, Object>> rows = new ArrayList<>(services.describe());
                rows.addAll(infra.describe());
                String query = ex.getRequestURI().getQuery();
                if (query != null && query.contains("format=text")) {
                    sendText(ex, 200, table(rows));
                } else {
                    send(ex, 200, Json.write(rows));
                }
                return;
            }
            String[] parts = path.split("/");
            // "", "services", name, action
            if (parts.length != 4) {
                send(ex, 404, error("unknown path " + path));
                return;
            }
            if (!method.equals("POST")) {
                send(ex, 405, error("use POST"));
                return;
            }
            if (!"1".equals(ex.getRequestHeaders().getFirst(HEADER)) || ex.getRequestHeaders().containsKey("Origin")) {
                send(ex, 403, error("send the header " + HEADER + ": 1 (the local-stack CLI does)"));
                return;
            }
            String name;
            try {
                name = Options.canonicalName(parts[2]);
            } catch (IllegalArgumentException e) {
                send(ex, 404, error(e.getMessage()));
                return;
            }
            String action = parts[3];
            if (action.equals("scale")) {
                scale(ex, name);
                return;
            }
            if (infra.isInfra(name)) {
                actOnInfra(ex, name, action);
            } else {
                actOnService(ex, services.find(name), action);
            }
        } catch (RuntimeException e) {
            log.warn("admin request failed", e);
            send(ex, 500, error(Infrastructure.rootMessage(e)));
        }
    }

    private void scale(HttpExchange ex, String name) throws IOException {
        if (infra.isInfra(name)) {
            send(ex, 409, error("scale is for services, not " + name));
            return;
        }
        String query = ex.getRequestURI().getQuery();
        int instances;
        try {
            instances = Integer.parseInt(query == null || !query.startsWith("instances=") ? ""
                    : query.substring("instances=".length()));
        } catch (NumberFormatException e) {
            send(ex, 400, error("use scale?instances=1 or scale?instances=2"));
            return;
        }
        log.info("admin: scale {} to {}", name, instances);
        List<ManagedService> running;
        try {
            running = services.scale(name, instances, readyTimeout);
        } catch (IllegalArgumentException e) {
            send(ex, 400, error(e.getMessage()));
            return;
        } catch (IllegalStateException | ServiceSupervisor.StartFailure e) {
            send(ex, e instanceof ServiceSupervisor.StartFailure ? 502 : 409, error(e.getMessage()));
            return;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ManagedService s : running) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", s.name());
            row.put("port", s.port());
            row.put("pid", s.pid());
            row.put("state", s.state());
            rows.add(row);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("name", name);
        result.put("instances", rows);
        send(ex, 200, Json.write(result));
    }

    private void actOnService(HttpExchange ex, ManagedService s, String action) throws IOException {
        log.info("admin: {} {}", action, s.name());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("name", s.name());
        switch (action) {
            case "stop" -> result.put("exitCode", s.stop());
            case "kill" -> result.put("exitCode", s.kill());
            case "start", "restart" -> {
                if (action.equals("restart")) {
                    result.put("exitCode", s.stop());
                }
                if (!s.jarExists()) {
                    send(ex, 409, error(s.jar() + " does not exist"));
                    return;
                }
                s.start();
                try {
                    services.awaitReady(List.of(s), readyTimeout);
                    // Rolling: the second instance is replaced only once the first one's replacement is ready.
                    ManagedService extra = action.equals("restart") ? services.runningExtra(s.name()) : null;
                    if (extra != null) {
                        extra.stop();
                        extra.start();
                        services.awaitReady(List.of(extra), readyTimeout);
                        result.put("rolled", 2);
                    }
                } catch (ServiceSupervisor.StartFailure e) {
                    result.put("state", s.state());
                    result.put("error", e.getMessage());
                    send(ex, 502, Json.write(result));
                    return;
                }
            }
            default -> {
                send(ex, 404, error("unknown action " + action + "; use stop, start, restart, kill or scale"));
                return;
            }
        }
        result.put("pid", s.pid());
        result.put("state", s.state());
        send(ex, 200, Json.write(result));
    }

    private void actOnInfra(HttpExchange ex, String name, String action) throws IOException {
        log.info("admin: {} {}", action, name);
        try {
            switch (action) {
                case "stop" -> infra.stop(name);
                case "start" -> infra.start(name);
                case "restart" -> {
                    infra.stop(name);
                    infra.start(name);
                }
                case "kill" -> {
                    send(ex, 409, error("kill is for services; use stop for " + name));
                    return;
                }
                default -> {
                    send(ex, 404, error("unknown action " + action + "; use stop, start or restart"));
                    return;
                }
            }
        } catch (IllegalStateException e) {
            send(ex, 409, error(e.getMessage()));
            return;
        }
        Map<String, Object> row = infra.describe().stream().filter(r -> r.get("name").equals(name)).findFirst().orElseThrow();
        send(ex, 200, Json.write(row));
    }

    static String table(List<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder(String.format("%-18s %-6s %-8s %s%n", "NAME", "PORT", "PID", "STATE"));
        for (Map<String, Object> r : rows) {
            Object pid = r.get("pid");
            sb.append(String.format("%-18s %-6s %-8s %s%n", r.get("name"), r.get("port"),
                    pid instanceof Number n && n.longValue() > 0 ? pid : "-", r.get("state")));
        }
        return sb.toString();
    }

    private static String error(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        return Json.write(m);
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        write(ex, status, json);
    }

    private static void sendText(HttpExchange ex, int status, String text) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        write(ex, status, text);
    }

    private static void write(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
