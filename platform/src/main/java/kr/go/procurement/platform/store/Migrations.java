package kr.go.procurement.platform.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import kr.go.procurement.platform.config.PgConfig;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flyway migrations of a service's schema, run at start-up on a worker thread (Flyway is JDBC, so never on an event
 * loop). The platform's own tables (outbox, processed_events) come first as versions 0.x; a service's migrations
 * live in {@code db/<schema>} and start at version 1. Flyway's lock makes concurrent replicas safe.
 */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {
  }

  public static Future<Integer> migrate(Vertx vertx, PgConfig config) {
    return vertx.executeBlocking(() -> {
      Flyway flyway = Flyway.configure()
          .dataSource(config.jdbcUrl(), config.user(), config.password())
          .schemas(config.schema())
          .createSchemas(true)
          .locations("classpath:db/platform", "classpath:db/" + config.schema())
          .connectRetries(10)
          .connectRetriesInterval(1)
          .load();
      int applied = flyway.migrate().migrationsExecuted;
      LOG.atInfo().addKeyValue("schema", config.schema()).addKeyValue("applied", applied).log("schema migrated");
      return applied;
    });
  }
}
