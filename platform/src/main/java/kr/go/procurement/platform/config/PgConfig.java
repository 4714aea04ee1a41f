package kr.go.procurement.platform.config;

/** Where a service's PostgreSQL is, and the schema that is the service's own. */
public record PgConfig(String host, int port, String database, String user, String password, String schema,
                       int poolSize) {

  public static PgConfig fromEnv(Env env, String schema) {
    return new PgConfig(
        env.string("PG_HOST", "localhost"),
        env.integer("PG_PORT", 5432),
        env.string("PG_DATABASE", "procurement"),
        env.string("PG_USER", "postgres"),
        env.string("PG_PASSWORD", "postgres"),
        env.string("PG_SCHEMA", schema),
        env.integer("PG_POOL_SIZE", 8));
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }
}
