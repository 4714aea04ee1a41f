package kr.go.procurement.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor and admin endpoint with a stand-in service JAR ({@link FakeService}): the port offset reaches the
 * services, a second instance starts beside the first with the same environment and stops again, and a taken port
 * is reported by name.
 */
class ScaleTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path root;
    @TempDir
    Path cache;

    private ServiceSupervisor supervisor;
    private AdminServer admin;

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.stop();
        }
        if (supervisor != null) {
            supervisor.stopAll();
        }
    }

    @Test
    void secondInstanceRunsBesideTheFirstWithTheSameEnvironmentAndStopsAgain() throws Exception {
        int offset = freeOffset();
        Options options = Options.parse(new String[] {"--port-offset", Integer.toString(offset)}, Map.of());
        FakeJars.write(root, "request-svc", "1");
        supervisor = new ServiceSupervisor(root, Set.of("request-svc"), List.of("-Xmx32m"),
                Map.of("FAULT_INJECTION", "true"), Map.of(), offset,
                new JarCache(cache, true, List.of("-Xmx32m")));
        assertThat(supervisor.ports()).containsExactly(Map.entry(8082 + offset, "request-svc"));
        supervisor.startAll(0, Duration.ofSeconds(60));
        admin = new AdminServer(supervisor, new Infrastructure(options, root, false, false, false),
                Duration.ofSeconds(60));
        admin.start(options.adminPort);
        String base = "http://127.0.0.1:" + options.adminPort + "/services";
        int first = 8082 + offset;
        int second = first + ManagedService.EXTRA_PORT_SHIFT;
        assertThat(get("http://127.0.0.1:" + first + "/env/HTTP_PORT").body()).isEqualTo(Integer.toString(first));
        assertThat(get("http://127.0.0.1:" + first + "/env/MANAGEMENT_URL").body())
                .as("both instance slots, for the client-side balancer")
                .isEqualTo("http://127.0.0.1:" + (8081 + offset) + ",http://127.0.0.1:" + (8091 + offset));

        HttpResponse<String> up = post(base + "/request-svc/scale?instances=2");
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        assertThat(up.body()).contains("\"request-svc\"", "\"request-svc#2\"", "\"port\":" + second, "\"ready\"");
        assertThat(get("http://127.0.0.1:" + second + "/env/HTTP_PORT").body()).isEqualTo(Integer.toString(second));
        assertThat(get("http://127.0.0.1:" + second + "/env/FAULT_INJECTION").body()).isEqualTo("true");
        assertThat(get(base).body()).contains("\"name\":\"request-svc#2\",\"port\":" + second)
                // one process records the class-data archive, the second instance runs without
                .contains("\"cds\":\"recording\"", "\"cds\":\"off (another instance records the archive)\"");
        // asking again changes nothing
        assertThat(post(base + "/request-svc/scale?instances=2").statusCode()).isEqualTo(200);

        // with two instances, restart is rolling: both replaced, one after the other, both ready at the end
        String before = get(base).body();
        HttpResponse<String> rolled = post(base + "/request-svc/restart");
        assertThat(rolled.statusCode()).as(rolled.body()).isEqualTo(200);
        assertThat(rolled.body()).contains("\"rolled\":2");
        assertThat(get("http://127.0.0.1:" + first + "/health/ready").statusCode()).isEqualTo(200);
        assertThat(get("http://127.0.0.1:" + second + "/health/ready").statusCode()).isEqualTo(200);
        assertThat(get(base).body()).as("new processes").isNotEqualTo(before);

        HttpResponse<String> down = post(base + "/request-svc/scale?instances=1");
        assertThat(down.statusCode()).as(down.body()).isEqualTo(200);
        assertThat(down.body()).contains("\"request-svc\"").doesNotContain("request-svc#2");
        assertThat(get("http://127.0.0.1:" + first + "/health/ready").statusCode()).isEqualTo(200);
        assertThat(Infrastructure.isPortFree(second)).isTrue();

        assertThat(post(base + "/request-svc/scale?instances=3").statusCode()).isEqualTo(400);
        assertThat(post(base + "/request-svc/scale").statusCode()).isEqualTo(400);
        assertThat(post(base + "/kafka/scale?instances=2").statusCode()).isEqualTo(409);
    }

    @Test
    void aTakenServicePortIsNamed() throws IOException {
        int offset = freeOffset();
        FakeJars.write(root, "management-svc", "1");
        supervisor = new ServiceSupervisor(root, Set.of("management-svc"), List.of(), Map.of(), Map.of(), offset, null);
        assertThat(Infrastructure.portsInUse(supervisor.ports(), offset)).isNull();
        try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
            taken.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 8081 + offset));
            assertThat(Infrastructure.portsInUse(supervisor.ports(), offset))
                    .contains((8081 + offset) + " for management-svc").contains("--port-offset");
        }
    }

    /** An offset whose request, management and admin ports (and the second instance's) are all free. */
    private static int freeOffset() {
        // 400 candidates from 12,000 to 19,980, starting at one chosen by the PID (so parallel builds differ) and
        // wrapping around: a start near the end no longer leaves none to try.
        int first = (int) (ProcessHandle.current().pid() % 400);
        for (int i = 0; i < 400; i++) {
            int o = 12_000 + (first + i) % 400 * 20;
            if (List.of(8081, 8082, 8091, 8092, 8099).stream().allMatch(p -> Infrastructure.isPortFree(p + o))) {
                return o;
            }
        }
        throw new IllegalStateException("no free ports");
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(90))
                .header(AdminServer.HEADER, "1").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

}
