package kr.go.procurement.localstack;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in for a service JAR in the supervisor's tests: listens on {@code HTTP_PORT}, answers
 * {@code GET /health/ready} with 200 and {@code GET /env/NAME} with that environment variable, and exits when the
 * process named by {@code PARENT_PID} is gone, as the real services do. {@code GET /lazy} loads {@link Lazy} only
 * then, from the JAR, as a JVM loads most classes of a service: it fails if that JAR was overwritten meanwhile.
 */
public final class FakeService {

    private FakeService() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv("HTTP_PORT"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
        server.createContext("/health/ready", ex -> answer(ex, 200, "{\"status\":\"UP\"}"));
        server.createContext("/env/", ex -> {
            String name = ex.getRequestURI().getPath().substring("/env/".length());
            String value = System.getenv(name);
            answer(ex, value == null ? 404 : 200, value == null ? "" : value);
        });
        server.createContext("/lazy", ex -> answer(ex, 200, Lazy.hello()));
        server.start();
        String parent = System.getenv("PARENT_PID");
        if (parent != null) {
            ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                    p -> p.onExit().thenRun(() -> System.exit(0)), () -> System.exit(0));
        }
    }

    /** Loaded on the first {@code GET /lazy}. */
    static final class Lazy {
        static String hello() {
            return "lazy";
        }
    }

    private static void answer(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
