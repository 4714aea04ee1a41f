package kr.go.procurement.platform.mongo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import java.util.Map;

/**
 * One page of a collection for a paged collection resource: sorted on a whitelisted field (never on client text)
 * with {@code _id} as tie-breaker so pages are stable, plus the total for the page metadata.
 *
 * @param collection   the collection
 * @param sortable     API field name → document field; only these may be sorted on
 * @param defaultField the field sorted on when the requested one is not sortable
 */
public record MongoPage(String collection, Map<String, String> sortable, String defaultField) {

  public record Page(List<JsonObject> items, long total) {
  }

  /** @param filter already checked field values (never client operators) */
  public Future<Page> fetch(MongoClient mongo, JsonObject filter, String sortField, boolean ascending, long offset,
                            int limit) {
    String field = sortable.getOrDefault(sortField, defaultField);
    int direction = ascending ? 1 : -1;
    JsonObject sort = new JsonObject().put(field, direction);
    if (!field.equals("_id")) {
      sort.put("_id", direction);
    }
    Future<Long> total = mongo.count(collection, filter);
    if (offset > Integer.MAX_VALUE) {
      // Far past the end: MongoDB's skip is an int, and the page is empty anyway.
      return total.map(n -> new Page(List.of(), n));
    }
    Future<List<JsonObject>> items = mongo.findWithOptions(collection, filter,
        new FindOptions().setSort(sort).setSkip((int) offset).setLimit(limit));
    return Future.all(items, total).map(all -> new Page(items.result(), total.result()));
  }
}
