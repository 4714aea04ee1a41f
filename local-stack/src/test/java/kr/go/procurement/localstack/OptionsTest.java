package kr.go.procurement.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void defaultsStartEverythingEmbedded() {
        Options o = Options.parse(new String[0], Map.of());
        assertThat(o.command).isEqualTo(Options.Command.RUN);
        assertThat(o.dataDir).isEqualTo(Path.of(".data"));
        assertThat(o.externalPg).isNull();
        assertThat(o.externalKafka).isNull();
        assertThat(o.externalMongo).isNull();
        assertThat(o.only).isNull();
        assertThat(o.adminPort).isEqualTo(8099);
        assertThat(o.serviceJavaOpts).contains("-XX:+UseSerialGC", "-Xmx256m").doesNotContain("-XX:TieredStopAtLevel=1");
    }

    @Test
    void flagsAndShortNames() {
        Options o = Options.parse(new String[] {"--data", "/tmp/x", "--fresh", "--only", "request,pg,MongoDB",
                "--kafka", "broker:9092"}, Map.of());
        assertThat(o.dataDir).isEqualTo(Path.of("/tmp/x"));
        assertThat(o.fresh).isTrue();
        assertThat(o.only).containsExactly("request-svc", "postgres", "mongo");
        assertThat(o.externalKafka).isEqualTo("broker:9092");
    }

    @Test
    void portOffsetMovesTheAdminPortUnlessItIsSetExplicitly() {
        Options o = Options.parse(new String[] {"--port-offset", "1000"}, Map.of());
        assertThat(o.portOffset).isEqualTo(1000);
        assertThat(o.adminPort).isEqualTo(9099);
        assertThat(Options.parse(new String[] {"status"}, Map.of("LOCAL_STACK_PORT_OFFSET", "7")).adminPort)
                .isEqualTo(8106);
        assertThat(Options.parse(new String[] {"--port-offset", "5"}, Map.of("LOCAL_STACK_ADMIN_PORT", "18099"))
                .adminPort).isEqualTo(18099);
        assertThatThrownBy(() -> Options.parse(new String[] {"--port-offset", "-1"}, Map.of()))
                .hasMessageContaining("between 0 and");
        assertThatThrownBy(() -> Options.parse(new String[] {"--port-offset", "40000"}, Map.of()))
                .hasMessageContaining("between 0 and");
        assertThatThrownBy(() -> Options.parse(new String[] {"--port-offset", "x"}, Map.of()))
                .hasMessageContaining("whole number");
    }

    @Test
    void portOffsetMovesEveryInfrastructurePort() {
        Options o = Options.parse(new String[] {"--port-offset", "1000"}, Map.of());
        Infrastructure infra = new Infrastructure(o, Path.of("/tmp/unused"), true, true, true);
        Map<String, String> env = infra.serviceEnvironment();
        assertThat(env).containsEntry("PG_PORT", "6432")
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:10092")
                .containsEntry("MONGO_URI", "mongodb://127.0.0.1:28017");
        assertThat(infra.describe()).extracting(r -> r.get("port")).containsExactly(6432, 10092, 28017);
    }

    @Test
    void jarCacheClassDataSharingAndStartConcurrency() {
        Options defaults = Options.parse(new String[0], Map.of("HOME", "/home/dev"));
        assertThat(defaults.cacheDir).isEqualTo(Path.of("/home/dev/.cache/procurement-local-stack/jars"));
        assertThat(defaults.cds).isTrue();
        assertThat(defaults.startConcurrency).as("all at once").isZero();
        assertThat(Options.parse(new String[0], Map.of("HOME", "/home/dev", "XDG_CACHE_HOME", "/var/cache/dev")).cacheDir)
                .isEqualTo(Path.of("/var/cache/dev/procurement-local-stack/jars"));
        // the XDG rule: a relative XDG_CACHE_HOME is ignored
        assertThat(Options.parse(new String[0], Map.of("HOME", "/home/dev", "XDG_CACHE_HOME", "cache")).cacheDir)
                .isEqualTo(Path.of("/home/dev/.cache/procurement-local-stack/jars"));
        assertThat(Options.parse(new String[0], Map.of("LOCAL_STACK_CACHE", "/tmp/jars")).cacheDir)
                .isEqualTo(Path.of("/tmp/jars"));
        assertThat(Options.parse(new String[] {"--cache", "/tmp/flag"}, Map.of("LOCAL_STACK_CACHE", "/tmp/jars"))
                .cacheDir).isEqualTo(Path.of("/tmp/flag"));

        Options o = Options.parse(new String[0], Map.of("LOCAL_STACK_CDS", "false", "LOCAL_STACK_START_CONCURRENCY", "2"));
        assertThat(o.cds).isFalse();
        assertThat(o.startConcurrency).isEqualTo(2);
        assertThatThrownBy(() -> Options.parse(new String[0], Map.of("LOCAL_STACK_CDS", "maybe")))
                .hasMessageContaining("LOCAL_STACK_CDS");
        assertThatThrownBy(() -> Options.parse(new String[0], Map.of("LOCAL_STACK_START_CONCURRENCY", "-1")))
                .hasMessageContaining("LOCAL_STACK_START_CONCURRENCY");
        assertThat(Options.USAGE).contains("--cache DIR", "LOCAL_STACK_CACHE", "LOCAL_STACK_CDS=false",
                "LOCAL_STACK_START_CONCURRENCY");
    }

    @Test
    void pgUrlForms() {
        assertThat(Options.parsePgUrl("postgresql://app:s%40cret@db.local:6543/orders"))
                .isEqualTo(new Options.PgAddress("db.local", 6543, "orders", "app", "s@cret"));
        assertThat(Options.parsePgUrl("jdbc:postgresql://db.local/"))
                .isEqualTo(new Options.PgAddress("db.local", 5432, "procurement", "postgres", "postgres"));
        assertThatThrownBy(() -> Options.parsePgUrl("mysql://x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void environmentNamesExistingInfrastructure() {
        Options o = Options.parse(new String[0], Map.of("PG_HOST", "pg", "PG_PORT", "5433", "KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "MONGO_URI", "mongodb://m:27017", "SERVICE_JAVA_OPTS", " -Xmx128m  -Dx=y ", "LOCAL_STACK_ADMIN_PORT", "18099"));
        assertThat(o.externalPg).isEqualTo(new Options.PgAddress("pg", 5433, "procurement", "postgres", "postgres"));
        assertThat(o.externalKafka).isEqualTo("k:9092");
        assertThat(o.externalMongo).isEqualTo("mongodb://m:27017");
        assertThat(o.serviceJavaOpts).isEqualTo(List.of("-Xmx128m", "-Dx=y"));
        assertThat(o.adminPort).isEqualTo(18099);
    }

    @Test
    void verbs() {
        assertThat(Options.parse(new String[] {"status"}, Map.of()).command).isEqualTo(Options.Command.STATUS);
        Options stop = Options.parse(new String[] {"stop", "delivery-svc"}, Map.of());
        assertThat(stop.command).isEqualTo(Options.Command.STOP);
        assertThat(stop.target).isEqualTo("delivery-svc");
        assertThat(Options.parse(new String[] {"kill", "request"}, Map.of()).command).isEqualTo(Options.Command.KILL);
        assertThatThrownBy(() -> Options.parse(new String[] {"stop"}, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Options.parse(new String[] {"--nope"}, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Options.canonicalName("payroll-svc")).hasMessageContaining("unknown service");
    }

    @Test
    void jsonAndTable() {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("name", "request-svc");
        row.put("port", 8082);
        row.put("pid", -1L);
        row.put("state", "exited(\"1\")\n");
        assertThat(Json.write(List.of(row)))
                .isEqualTo("[{\"name\":\"request-svc\",\"port\":8082,\"pid\":-1,\"state\":\"exited(\\\"1\\\")\\n\"}]");
        assertThat(AdminServer.table(List.of(row))).contains("request-svc").contains(" - ");
    }
}
