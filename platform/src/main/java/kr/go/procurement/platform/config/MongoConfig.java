package kr.go.procurement.platform.config;

import io.vertx.core.json.JsonObject;

/** Where a service's MongoDB is. Only standard MongoDB operations are used, so any MongoDB-wire server works. */
public record MongoConfig(String uri, String database) {

  public static MongoConfig fromEnv(Env env) {
    return new MongoConfig(
        env.string("MONGO_URI", "mongodb://localhost:27017"),
        env.string("MONGO_DATABASE", "procurement"));
  }

  /** The configuration object vertx-mongo-client expects. */
  public JsonObject clientConfig() {
    return new JsonObject()
        .put("connection_string", uri)
        .put("db_name", database)
        .put("serverSelectionTimeoutMS", 5000)
        .put("connectTimeoutMS", 5000);
  }
}
