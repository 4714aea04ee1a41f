package kr.go.procurement.platform.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads of one table: a single row by a column, and one page for a paged collection: sorted on a whitelisted column (never on client text) with the id as
 * tie-breaker so pages are stable, plus the total for the page metadata.
 *
 * @param table    the table
 * @param columns  the selected columns
 * @param sortable API field name → column; only these may be sorted on
 */
public record PageQuery(String table, String columns, Map<String, String> sortable) {

  public record Page<T>(List<T> items, long total) {
  }

  /** The row whose {@code column} equals {@code value}, or null (the column is unique: an id or the procNo). */
  public <T> Future<T> one(SqlClient client, String column, Object value, Function<Row, T> mapper) {
    return client.preparedQuery("SELECT " + columns + " FROM " + table + " WHERE " + column + " = $1")
        .execute(Tuple.of(value))
        .map(rows -> {
          var it = rows.iterator();
          return it.hasNext() ? mapper.apply(it.next()) : null;
        });
  }

  /**
   * @param where  a condition on {@code $1..$n} (or null for every row)
   * @param params the condition's parameters
   */
  public <T> Future<Page<T>> fetch(SqlClient client, String where, List<Object> params, String sortField,
                                   boolean ascending, long offset, int limit, Function<Row, T> mapper) {
    String column = sortable.getOrDefault(sortField, "id");
    String direction = ascending ? " ASC" : " DESC";
    String order = column.equals("id") ? "id" + direction : column + direction + ", id" + direction;
    String filter = where == null ? "" : " WHERE " + where;
    int n = params.size();
    Tuple pageParams = Tuple.tuple(new ArrayList<>(params)).addValue(limit).addValue(offset);
    Future<RowSet<Row>> rows = client.preparedQuery("SELECT " + columns + " FROM " + table + filter
        + " ORDER BY " + order + " LIMIT $" + (n + 1) + " OFFSET $" + (n + 2)).execute(pageParams);
    Future<RowSet<Row>> count = client.preparedQuery("SELECT count(*) AS n FROM " + table + filter)
        .execute(Tuple.tuple(new ArrayList<>(params)));
    return Future.all(rows, count).map(all -> {
      List<T> items = new ArrayList<>();
      rows.result().forEach(row -> items.add(mapper.apply(row)));
      return new Page<>(items, count.result().iterator().next().getLong("n"));
    });
  }
}
