package kr.go.procurement.platform.http;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import kr.go.procurement.platform.http.Problem.FieldError;

/**
 * Spring-Data-style paging of a collection: {@code page} (0-based), {@code size} (default 20) and
 * {@code sort=field,asc|desc}. {@code sortField} is always one of the fields the service allowed, so a service can
 * map it to a column without ever putting client text into SQL.
 *
 * <p>Malformed values are 400 problems (never 500). A {@code size} above {@value #MAX_SIZE} is capped to
 * {@value #MAX_SIZE}, as Spring Data REST's max-page-size does, so the original's scripts keep working.
 */
public record PageRequest(int page, int size, String sortField, boolean ascending) {

  public static final int DEFAULT_SIZE = 20;
  public static final int MAX_SIZE = 1000;

  public PageRequest {
    if (page < 0 || size < 1 || size > MAX_SIZE || sortField == null) {
      throw new IllegalArgumentException("page >= 0, 1 <= size <= " + MAX_SIZE + " and a sort field are required");
    }
  }

  /**
   * Reads {@code page}, {@code size} and {@code sort} from the query.
   *
   * @param sortableFields the field names a client may sort by
   * @param defaultSort    {@code "field"} or {@code "field,desc"}, used when the query has no {@code sort}
   * @throws Problem 400 listing every bad parameter
   */
  public static PageRequest from(RoutingContext ctx, Set<String> sortableFields, String defaultSort) {
    List<FieldError> errors = new ArrayList<>();
    String pageMessage = "must be a whole number from 0 to " + Integer.MAX_VALUE + " (pages are numbered from 0)";
    String sizeMessage = "must be a whole number from 1 to " + MAX_SIZE;
    int page = parse(ctx.queryParam("page"), "page", 0, pageMessage, errors);
    int size = parse(ctx.queryParam("size"), "size", DEFAULT_SIZE, sizeMessage, errors);
    if (page < 0) {
      errors.add(new FieldError("page", pageMessage));
      page = 0;
    }
    if (size < 1) {
      errors.add(new FieldError("size", sizeMessage));
      size = DEFAULT_SIZE;
    }
    size = Math.min(size, MAX_SIZE);

    String[] sort = parseSort(defaultSort);
    // An empty sort (a form left blank) means the default, as in Spring.
    List<String> sortParams = ctx.queryParam("sort").stream().filter(v -> !v.isBlank()).toList();
    if (!sortParams.isEmpty()) {
      // Spring accepts several sort parameters; the first one decides the order here, but all must be valid.
      String[] first = null;
      for (String param : sortParams) {
        String[] parsed = parseSort(param);
        if (parsed == null) {
          errors.add(new FieldError("sort", "must look like 'field,asc' or 'field,desc'"));
        } else if (!sortableFields.contains(parsed[0])) {
          errors.add(new FieldError("sort", "cannot sort by '" + parsed[0] + "'; sortable fields are "
              + String.join(", ", sortableFields.stream().sorted().toList())));
        } else if (first == null) {
          first = parsed;
        }
      }
      if (first != null) {
        sort = first;
      }
    }
    if (!errors.isEmpty()) {
      throw Problem.validation(errors);
    }
    if (sort == null) {
      throw new IllegalArgumentException("defaultSort must look like 'field' or 'field,desc': " + defaultSort);
    }
    return new PageRequest(page, size, sort[0], !"desc".equals(sort[1]));
  }

  private static int parse(List<String> values, String name, int defaultValue, String message,
                           List<FieldError> errors) {
    if (values.isEmpty() || values.get(0).isBlank()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(values.get(0).trim());
    } catch (NumberFormatException e) {
      errors.add(new FieldError(name, message));
      return defaultValue;
    }
  }

  /** {@code [field, "asc"|"desc"]}, or null when the text is not a valid sort expression. */
  private static String[] parseSort(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String[] parts = text.split(",", -1);
    String field = parts[0].trim();
    if (field.isEmpty() || parts.length > 2) {
      return null;
    }
    String direction = parts.length == 2 ? parts[1].trim().toLowerCase(Locale.ROOT) : "asc";
    if (!direction.equals("asc") && !direction.equals("desc")) {
      return null;
    }
    return new String[] {field, direction};
  }

  /** Rows to skip: {@code page * size}, as a long because the product can exceed an int. */
  public long offset() {
    return (long) page * size;
  }

  /** Rows to return. */
  public int limit() {
    return size;
  }

  /** The {@code sort} query value that reproduces this order, e.g. {@code "procNo,desc"}. */
  public String sortParam() {
    return sortField + "," + (ascending ? "asc" : "desc");
  }
}
