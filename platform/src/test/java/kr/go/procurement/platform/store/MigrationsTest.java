package kr.go.procurement.platform.store;

import static kr.go.procurement.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.config.PgConfig;
import kr.go.procurement.testsupport.Infra;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RealInfra
class MigrationsTest {

  private Vertx vertx;
  private PgConfig pg;
  private Pool pool;

  @BeforeEach
  void setUp() {
    Infra infra = Infra.get();
    pg = PgConfig.fromEnv(new Env(infra.env(infra.newDatabase(), "unused", null)), "migrationstest");
    vertx = Vertx.vertx();
    pool = PgPools.pool(vertx, pg);
  }

  @AfterEach
  void tearDown() {
    await(pool.close());
    await(vertx.close());
  }

  private long historyRows() {
    return await(pool.query("SELECT count(*) FROM migrationstest.flyway_schema_history").execute())
        .iterator().next().getLong(0);
  }

  @Test
  void aFreshSchemaIsMigratedByFlywayAndALaterStartSkipsIt() {
    assertThat(await(Migrations.isCurrent(vertx, pg, pool))).isFalse();
    assertThat(await(Migrations.migrate(vertx, pg, pool))).isPositive();
    long rows = historyRows();

    // Flyway's own history now matches the bundled scripts checksum for checksum, so nothing runs again
    assertThat(await(Migrations.isCurrent(vertx, pg, pool))).isTrue();
    assertThat(await(Migrations.migrate(vertx, pg, pool))).isZero();
    assertThat(historyRows()).isEqualTo(rows);
  }

  @Test
  void aChangedAppliedScriptIsLeftToFlywaysValidation() {
    await(Migrations.migrate(vertx, pg, pool));
    await(pool.query("UPDATE migrationstest.flyway_schema_history SET checksum = checksum + 1 WHERE version = '0.1'")
        .execute());

    assertThat(await(Migrations.isCurrent(vertx, pg, pool))).isFalse();
    assertThatThrownBy(() -> await(Migrations.migrate(vertx, pg, pool))).hasMessageContaining("checksum");
  }

  @Test
  void aFailedOrMissingMigrationIsLeftToFlyway() {
    await(Migrations.migrate(vertx, pg, pool));
    await(pool.query("UPDATE migrationstest.flyway_schema_history SET success = false WHERE version = '0.1'")
        .execute());
    assertThat(await(Migrations.isCurrent(vertx, pg, pool))).isFalse();

    await(pool.query("DELETE FROM migrationstest.flyway_schema_history WHERE version = '0.1'").execute());
    assertThat(await(Migrations.isCurrent(vertx, pg, pool))).isFalse();
  }

  @Test
  void checksumsAndVersionsAreFlywaysOwn() throws Exception {
    // Flyway ignores line ends and a byte-order mark
    int lf = Migrations.checksum(new ByteArrayInputStream("CREATE TABLE t (a int);\nSELECT 1;\n".getBytes()));
    int crlf = Migrations.checksum(new ByteArrayInputStream("CREATE TABLE t (a int);\r\nSELECT 1;".getBytes()));
    int bom = Migrations.checksum(new ByteArrayInputStream(
        ("\uFEFFCREATE TABLE t (a int);\nSELECT 1;\n").getBytes(StandardCharsets.UTF_8)));
    assertThat(crlf).isEqualTo(lf);
    assertThat(bom).isEqualTo(lf);
    assertThat(Migrations.version("0_1")).isEqualTo("0.1");
    assertThat(Migrations.version("01_002")).isEqualTo("1.2");
    Map<String, Integer> bundled = Migrations.bundledScripts(List.of("db/platform", "db/nosuchschema"));
    assertThat(bundled).containsOnlyKeys("0.1");
  }
}
