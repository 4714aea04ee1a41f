package kr.go.procurement.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port of the plan that something else holds stops the real launcher process before it starts or writes anything,
 * with one line naming the port, what wanted it, and --port-offset.
 */
class PortInUseTest {

    /** Every port of a full local stack without an offset. */
    private static final List<Integer> PLAN = List.of(5432, 9092, 9093, 27017, 8081, 8082, 8083, 8084, 8085, 8088, 8099);

    @TempDir
    Path work;

    @Test
    void aTakenServicePortIsNamedBeforeTheInfrastructureStarts() throws Exception {
        int offset = freeOffset();
        // gateway-svc starts last: its port is checked before PostgreSQL, Kafka and MongoDB start all the same
        FakeJars.write(work.resolve("repo"), "gateway-svc", "1");
        try (ServerSocket taken = bind(8088 + offset)) {
            Launcher.Result r = launch(offset);

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.lines()).singleElement().asString()
                    .contains((8088 + offset) + " for gateway-svc")
                    .contains("--port-offset");
            assertNothingStarted();
        }
    }

    @Test
    void takenInfrastructurePortsAreNamedInOneLine() throws Exception {
        int offset = freeOffset();
        try (ServerSocket pg = bind(5432 + offset); ServerSocket kafka = bind(9092 + offset)) {
            Launcher.Result r = launch(offset);

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.lines()).singleElement().asString()
                    .contains((5432 + offset) + " for PostgreSQL", "--pg-url")
                    .contains((9092 + offset) + " for Kafka", "--kafka")
                    .contains("--port-offset")
                    .doesNotContain("Exception");
            assertNothingStarted();
        }
    }

    @Test
    void aTakenAdminPortSaysThatAStackMayRunAlready() throws Exception {
        int offset = freeOffset();
        try (ServerSocket admin = bind(8099 + offset)) {
            Launcher.Result r = launch(offset);

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.lines()).singleElement().asString()
                    .contains((8099 + offset) + " for the admin endpoint", "status", "--port-offset");
            assertNothingStarted();
        }
    }

    @Test
    void theMessageNamesOnlyTheTakenPortsAndSuggestsAnotherOffset() throws IOException {
        int offset = freeOffset();
        Map<Integer, String> plan = Map.of(8081 + offset, "management-svc", 8082 + offset, "request-svc",
                8083 + offset, "delivery-svc");
        assertThat(Infrastructure.portsInUse(plan, offset)).isNull();
        try (ServerSocket a = bind(8081 + offset); ServerSocket b = bind(8083 + offset)) {
            assertThat(Infrastructure.portsInUse(plan, offset))
                    .contains((8081 + offset) + " for management-svc", (8083 + offset) + " for delivery-svc")
                    .doesNotContain("request-svc").doesNotContain("\n")
                    .contains("--port-offset " + (offset + 1000));
        }
    }

    private Launcher.Result launch(int offset) throws IOException, InterruptedException {
        return Launcher.run(work, Map.of(), "--port-offset", Integer.toString(offset),
                "--data", work.resolve("data").toString(), "--root", work.resolve("repo").toString());
    }

    /** No data directory (so no PostgreSQL, Kafka or MongoDB data) and no JAR copied to run. */
    private void assertNothingStarted() {
        assertThat(work.resolve("data")).doesNotExist();
        assertThat(work.resolve("cache")).doesNotExist();
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    /** An offset at which every port of the plan is free now (tests of other modules may run beside this one). */
    private static int freeOffset() {
        for (int offset = 20_000 + (int) (ProcessHandle.current().pid() % 300) * 30; offset < Options.MAX_PORT_OFFSET;
                offset += 30) {
            int o = offset;
            if (PLAN.stream().allMatch(p -> Infrastructure.isPortFree(p + o))) {
                return offset;
            }
        }
        throw new IllegalStateException("no offset with all ports free");
    }
}
