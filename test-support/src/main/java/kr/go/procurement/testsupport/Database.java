package kr.go.procurement.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/** Direct SQL on the service's database, for what the API cannot show: applied events, outbox rows, faults. */
public final class Database {

  private final String url;
  private final String user;
  private final String password;

  public Database(Map<String, String> env) {
    this.url = "jdbc:postgresql://" + env.getOrDefault("PG_HOST", "localhost") + ":"
        + env.getOrDefault("PG_PORT", "5432") + "/" + env.getOrDefault("PG_DATABASE", "procurement");
    this.user = env.getOrDefault("PG_USER", "postgres");
    this.password = env.getOrDefault("PG_PASSWORD", "postgres");
  }

  public long count(String sql, Object... params) {
    try (Connection c = DriverManager.getConnection(url, user, password);
         PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public void execute(String sql) {
    try (Connection c = DriverManager.getConnection(url, user, password);
         PreparedStatement s = c.prepareStatement(sql)) {
      s.execute();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True once the consumer applied (or deliberately ignored) the event with this id. */
  public boolean applied(String schema, String eventId) {
    return count("SELECT count(*) FROM " + schema + ".processed_events WHERE event_id = ?::uuid", eventId) == 1;
  }
}
