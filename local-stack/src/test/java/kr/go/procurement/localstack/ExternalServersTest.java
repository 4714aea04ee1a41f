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
 * The variables and flags that point the stack at servers that already run are announced by the real launcher
 * process, one line each (what set it, which server it replaces, the target), and no password is printed. The test
 * holds the admin port, so that the launcher stops right after the announcement without dialling any of them.
 */
class ExternalServersTest {

    @TempDir
    Path work;

    @Test
    void environmentVariablesAreAnnouncedWithoutPasswords() throws Exception {
        int adminPort;
        Launcher.Result r;
        try (ServerSocket admin = bindAnyPort()) {
            adminPort = admin.getLocalPort();
            r = Launcher.run(work, Map.of(
                            "PG_HOST", "db.example", "PG_PORT", "6543", "PG_USER", "app", "PG_PASSWORD", "s3cret-pg",
                            "KAFKA_BOOTSTRAP_SERVERS", "kafka-1.example:9092,kafka-2.example:9092",
                            "MONGO_URI", "mongodb://app:s3cret-mongo@mongo.example:27017/?authSource=admin",
                            "LOCAL_STACK_ADMIN_PORT", Integer.toString(adminPort)),
                    "--data", work.resolve("data").toString(), "--root", work.resolve("repo").toString());
        }

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout() + r.stderr()).doesNotContain("s3cret");
        assertThat(linesWith(r, "PG_HOST")).singleElement().asString()
                .contains("PG_PORT", "PG_USER", "PG_PASSWORD", "PostgreSQL", "app@db.example:6543/procurement");
        assertThat(linesWith(r, "KAFKA_BOOTSTRAP_SERVERS")).singleElement().asString()
                .contains("Kafka", "kafka-1.example:9092,kafka-2.example:9092");
        assertThat(linesWith(r, "MONGO_URI")).singleElement().asString()
                .contains("MongoDB", "mongodb://app:***@mongo.example:27017/?authSource=admin");
        // and then the one line about the port, which names no embedded server's port: none is planned
        assertThat(r.lines()).hasSize(4);
        assertThat(r.lines().get(3)).contains(adminPort + " for the admin endpoint")
                .doesNotContain("PostgreSQL", "Kafka", "MongoDB");
    }

    @Test
    void aFlagIsAnnouncedByItsNameAndWinsOverTheVariable() throws Exception {
        Launcher.Result r;
        try (ServerSocket admin = bindAnyPort()) {
            r = Launcher.run(work, Map.of("PG_HOST", "db.example", "PG_PASSWORD", "s3cret-env",
                            "LOCAL_STACK_ADMIN_PORT", Integer.toString(admin.getLocalPort())),
                    "--pg-url", "postgresql://owner:s3cret-flag@pg.example:5433/orders", "--only", "postgres",
                    "--data", work.resolve("data").toString());
        }

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout() + r.stderr()).doesNotContain("s3cret").doesNotContain("db.example");
        assertThat(linesWith(r, "--pg-url")).singleElement().asString()
                .contains("PostgreSQL", "owner@pg.example:5433/orders");
    }

    @Test
    void passwordsAreCutFromUris() {
        assertThat(Options.withoutPassword("mongodb://u:p%40ss@a:1,b:2/db?replicaSet=r"))
                .isEqualTo("mongodb://u:***@a:1,b:2/db?replicaSet=r");
        assertThat(Options.withoutPassword("mongodb+srv://u:pw@cluster.example/"))
                .isEqualTo("mongodb+srv://u:***@cluster.example/");
        assertThat(Options.withoutPassword("mongodb://u@a:1")).isEqualTo("mongodb://u@a:1");
        assertThat(Options.withoutPassword("mongodb://a:27017")).isEqualTo("mongodb://a:27017");
    }

    private static List<String> linesWith(Launcher.Result r, String text) {
        return r.lines().stream().filter(l -> l.contains(text)).toList();
    }

    private static ServerSocket bindAnyPort() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return s;
    }
}
