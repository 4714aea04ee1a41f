package kr.go.procurement.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

@RealInfra
class PostgresTest {

    private final Infra infra;

    PostgresTest(Infra infra) { // constructor injection
        this.infra = infra;
    }

    @Test
    void roundTripInANewDatabaseKeepsKoreanText() throws SQLException {
        String db = infra.newDatabase();
        assertThat(db).matches("[a-z_][a-z0-9_]*");
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE request (proc_no text PRIMARY KEY, proc_title text NOT NULL)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO request VALUES (?, ?)")) {
                insert.setString(1, "p01");
                insert.setString(2, "조달요청서 — 사무용 의자 20개");
                insert.executeUpdate();
            }
            try (ResultSet rs = s.executeQuery("SELECT proc_title, current_database() FROM request WHERE proc_no = 'p01'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("조달요청서 — 사무용 의자 20개");
                assertThat(rs.getString(2)).isEqualTo(db);
            }
        }
    }

    @Test
    void everyNewDatabaseIsEmptyAndDistinct() throws SQLException {
        String a = infra.newDatabase();
        String b = infra.newDatabase();
        assertThat(a).isNotEqualTo(b);
        try (Connection c = connect(a); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE only_in_a (id int)");
        }
        try (Connection c = connect(b); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name = 'only_in_a'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void survivesAStopAndStartOnTheSameAddress() throws SQLException {
        String db = infra.newDatabase();
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('before the outage')");
        }
        String host = infra.pgHost();
        int port = infra.pgPort();

        infra.stopPostgres();
        try {
            assertThatThrownBy(() -> {
                try (Connection c = DriverManager.getConnection(infra.jdbcUrl(db) + "?connectTimeout=2&socketTimeout=2",
                        infra.pgUser(), infra.pgPassword())) {
                    c.createStatement().execute("SELECT 1");
                }
            }).isInstanceOf(SQLException.class);
        } finally {
            infra.startPostgres();
        }

        assertThat(infra.pgHost()).isEqualTo(host);
        assertThat(infra.pgPort()).isEqualTo(port);
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("before the outage");
        }
    }

    private Connection connect(String db) throws SQLException {
        return DriverManager.getConnection(infra.jdbcUrl(db), infra.pgUser(), infra.pgPassword());
    }
}
