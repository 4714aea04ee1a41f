package kr.go.procurement.platform.store;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import kr.go.procurement.platform.config.PgConfig;

/** PostgreSQL connections of a service: every connection works in the service's own schema. */
public final class PgPools {

  private PgPools() {
  }

  public static PgConnectOptions connectOptions(PgConfig config) {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setDatabase(config.database())
        .setUser(config.user())
        .setPassword(config.password())
        .setCachePreparedStatements(true)
        .setPipeliningLimit(256)
        // Unqualified table names resolve in the service's schema, so SQL stays readable and schema-agnostic.
        .addProperty("search_path", config.schema())
        .addProperty("application_name", config.schema() + "-svc");
    return options;
  }

  /** Queries waiting for a connection at most; beyond that a query fails at once (a transient failure, 503). */
  public static final int MAX_WAIT_QUEUE = 4096;

  public static Pool pool(Vertx vertx, PgConfig config) {
    PoolOptions poolOptions = new PoolOptions()
        .setMaxSize(config.poolSize())
        .setMaxWaitQueueSize(MAX_WAIT_QUEUE)
        .setConnectionTimeout(5)
        .setIdleTimeout(60)
        .setName(config.schema() + "-pool")
        .setShared(false);
    return PgBuilder.pool().with(poolOptions).connectingTo(connectOptions(config)).using(vertx).build();
  }
}
