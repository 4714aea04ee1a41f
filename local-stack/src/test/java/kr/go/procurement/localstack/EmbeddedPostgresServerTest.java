package kr.go.procurement.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

    @TempDir
    Path dir;

    @Test
    void keepsItsDataAcrossRestartsAndSurvivesAStalePidFile() throws Exception {
        EmbeddedPostgresServer pg = new EmbeddedPostgresServer(dir.resolve("pg"), freePort()).throwaway();
        try {
            pg.start();
            long pid = pg.postmasterPid();
            assertThat(pid).isPositive();
            assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
            pg.createDatabaseIfAbsent("procurement");
            pg.createDatabaseIfAbsent("procurement"); // idempotent
            try (Connection c = pg.connect("procurement"); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (v text)");
                s.execute("INSERT INTO t VALUES ('납품')");
            }

            pg.stop();
            assertThat(pg.isRunning()).isFalse();
            // what a crash leaves: a postmaster.pid naming a process that is gone
            Files.writeString(dir.resolve("pg/postmaster.pid"), "999999\n" + dir.resolve("pg") + "\n");

            pg.start();
            assertThat(pg.postmasterPid()).isNotEqualTo(pid);
            try (Connection c = pg.connect("procurement"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v FROM t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("납품");
            }
        } finally {
            pg.stop();
        }
    }

    @Test
    void refusesNonPlainDatabaseNames() {
        EmbeddedPostgresServer pg = new EmbeddedPostgresServer(dir.resolve("pg"), 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> pg.createDatabaseIfAbsent("x\"; DROP"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
