package kr.go.procurement.gateway.routing;

import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import kr.go.procurement.platform.identity.Identity;
import kr.go.procurement.platform.identity.Role;

/**
 * Which service answers a method and path, and which roles may call it: the role matrix of the contract, in one
 * table ({@link #CONTRACT}) that the gateway enforces and the README prints ({@link #markdown()}).
 *
 * <p>Paths are matched on the normalised path (dot segments removed, unreserved percent-escapes decoded), the same
 * path the gateway forwards, so what was authorised is exactly what the service sees. Patterns: an exact path,
 * {@code {id}} for one non-empty segment, a trailing {@code /**} for one or more further segments; the first row
 * whose path and method match decides. Anything not in the table is refused at the gateway (404, or 405 when only
 * the method is wrong): deny by default.
 */
public final class RouteTable {

  /** One line of the matrix: these methods on these paths go to this service, for these roles. */
  public record Row(Set<HttpMethod> methods, List<String> paths, Service service, Set<Role> roles) {
    public Row {
      methods = Set.copyOf(methods);
      paths = List.copyOf(paths);
      roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }
  }

  /** What the table says about one request. */
  public sealed interface Resolution permits Routed, NotRouted, MethodNotAllowed {
  }

  /** The request goes to {@code row.service()} if the caller holds one of {@code row.roles()}. */
  public record Routed(Row row) implements Resolution {
    public Service service() {
      return row.service();
    }

    public boolean permits(Identity identity) {
      for (Role role : identity.roles()) {
        if (row.roles().contains(role)) {
          return true;
        }
      }
      return false;
    }
  }

  /** No service answers this path here (404). */
  public record NotRouted() implements Resolution {
  }

  /** The path is routed, but not for this method (405 with {@code Allow}). */
  public record MethodNotAllowed(Set<HttpMethod> allowed) implements Resolution {
  }

  /** Readers of every collection that a service filters by company for suppliers. */
  private static final Set<Role> EVERYONE = EnumSet.of(Role.VIEWER, Role.AGENCY, Role.PPS, Role.SUPPLIER, Role.ADMIN);
  /**
   * Readers of collections whose service does not confine a supplier to its company (request-svc, management-svc):
   * a supplier would see every company's procurements and phone numbers there, so it is not let in.
   */
  private static final Set<Role> STAFF = EnumSet.of(Role.VIEWER, Role.AGENCY, Role.PPS, Role.ADMIN);

  private static final Set<HttpMethod> GET = Set.of(HttpMethod.GET);

  /** The contract's routes and roles. */
  public static final RouteTable CONTRACT = new RouteTable(List.of(
      new Row(GET, List.of("/deliveryrequests", "/deliveryrequests/**"), Service.REQUEST, STAFF),
      new Row(Set.of(HttpMethod.POST), List.of("/deliveryrequests"), Service.REQUEST,
          EnumSet.of(Role.AGENCY, Role.ADMIN)),
      new Row(Set.of(HttpMethod.PATCH, HttpMethod.DELETE), List.of("/deliveryrequests/{id}"), Service.REQUEST,
          EnumSet.of(Role.AGENCY, Role.ADMIN)),
      new Row(GET, List.of("/inspectionResults", "/inspectionResults/**"), Service.REQUEST, STAFF),
      new Row(Set.of(HttpMethod.PATCH), List.of("/inspectionResults/{id}"), Service.REQUEST,
          EnumSet.of(Role.AGENCY, Role.ADMIN)),
      new Row(GET, List.of("/deliverymanagements", "/deliverymanagements/**"), Service.MANAGEMENT, STAFF),
      new Row(Set.of(HttpMethod.PATCH), List.of("/deliverymanagements/{id}"), Service.MANAGEMENT,
          EnumSet.of(Role.PPS, Role.ADMIN)),
      new Row(GET, List.of("/goodsdeliveries", "/goodsdeliveries/**"), Service.DELIVERY, EVERYONE),
      new Row(Set.of(HttpMethod.PATCH), List.of("/goodsdeliveries/{id}"), Service.DELIVERY,
          EnumSet.of(Role.SUPPLIER, Role.ADMIN)),
      // smsHistories rows carry phone numbers but no companyNo, so notification-svc cannot confine a supplier.
      new Row(GET, List.of("/smsHistories", "/smsHistories/**"), Service.NOTIFICATION,
          EnumSet.of(Role.AGENCY, Role.PPS, Role.ADMIN)),
      // Before the general row: the first row whose path and method match decides.
      new Row(Set.of(HttpMethod.GET, HttpMethod.POST), List.of("/deliveryStatusInquiries/rebuild"),
          Service.STATUS_VIEW, EnumSet.of(Role.ADMIN)),
      new Row(GET, List.of("/deliveryStatusInquiries", "/deliveryStatusInquiries/**"), Service.STATUS_VIEW, EVERYONE)),
      // management's internal call from request-svc: reachable only inside the system.
      List.of("/deliverymanagements/inspection-results"));

  /** One method on one path pattern; {@code routed} is the answer when it matches, made once. */
  private record Rule(HttpMethod method, String[] segments, boolean anyDepth, Routed routed) {
  }

  private static final NotRouted NOT_ROUTED = new NotRouted();

  private final List<Row> rows;
  private final List<Rule> rules = new ArrayList<>();
  private final List<String> hiddenPrefixes;

  /**
   * @param hiddenPrefixes paths that are never routed, nor anything below them, however a client spells them
   *                       (case, percent-escapes, doubled slashes)
   */
  public RouteTable(List<Row> rows, List<String> hiddenPrefixes) {
    this.rows = List.copyOf(rows);
    this.hiddenPrefixes = hiddenPrefixes.stream().map(RouteTable::canonical).toList();
    for (Row row : rows) {
      for (String path : row.paths()) {
        boolean anyDepth = path.endsWith("/**");
        String fixed = anyDepth ? path.substring(0, path.length() - 3) : path;
        String[] segments = segments(fixed);
        Routed routed = new Routed(row);
        for (HttpMethod method : row.methods()) {
          rules.add(new Rule(method, segments, anyDepth, routed));
        }
      }
    }
  }

  /** @param normalizedPath the request's normalised path ({@code RoutingContext.normalizedPath()}) */
  public Resolution resolve(HttpMethod method, String normalizedPath) {
    if (isHidden(normalizedPath)) {
      return NOT_ROUTED;
    }
    Set<HttpMethod> allowed = null;
    for (Rule rule : rules) {
      if (matches(rule, normalizedPath)) {
        if (rule.method().equals(method)) {
          return rule.routed();
        }
        if (allowed == null) {
          allowed = new LinkedHashSet<>();
        }
        allowed.add(rule.method());
      }
    }
    return allowed == null ? NOT_ROUTED : new MethodNotAllowed(allowed);
  }

  /**
   * Whether {@code path}'s segments (as {@link #segments} splits them) fit the rule's pattern; walks the path in
   * place instead of splitting it, since this runs for every rule on every request.
   */
  private static boolean matches(Rule rule, String path) {
    String[] pattern = rule.segments();
    int pos = path.startsWith("/") ? 1 : 0;
    if (pos == path.length()) {
      // No segment at all ("/").
      return !rule.anyDepth() && pattern.length == 0;
    }
    for (String expected : pattern) {
      if (pos > path.length()) {
        return false;
      }
      int end = path.indexOf('/', pos);
      if (end < 0) {
        end = path.length();
      }
      if (expected.equals("{id}") ? end == pos
          : end - pos != expected.length() || !path.startsWith(expected, pos)) {
        return false;
      }
      pos = end + 1;
    }
    // pos <= length: a further segment follows (maybe empty, after a trailing slash).
    boolean more = pos <= path.length();
    return rule.anyDepth() == more;
  }

  /** "/a/b/" → ["a", "b", ""]: a trailing slash is a (empty) segment of its own, so it never matches {id}. */
  private static String[] segments(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }

  private boolean isHidden(String path) {
    if (isPlain(path)) {
      // canonical(path) would be path in ASCII lower case: compare in place, without making it.
      for (String h : hiddenPrefixes) {
        if (path.regionMatches(true, 0, h, 0, h.length())
            && (path.length() == h.length() || path.charAt(h.length()) == '/')) {
          return true;
        }
      }
      return false;
    }
    String c = canonical(path);
    for (String h : hiddenPrefixes) {
      if (c.equals(h) || c.startsWith(h + "/")) {
        return true;
      }
    }
    return false;
  }

  /** ASCII only, no percent-escape, no doubled slash: canonical() would only change its case. */
  private static boolean isPlain(String path) {
    char previous = 0;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c >= 0x80 || c == '%' || c == '/' && previous == '/') {
        return false;
      }
      previous = c;
    }
    return true;
  }

  /** Fully percent-decoded, lower case, slashes collapsed: the most lenient reading any service could make. */
  private static String canonical(String path) {
    String decoded = path;
    for (int i = 0; i < 3 && decoded.indexOf('%') >= 0; i++) {
      decoded = percentDecode(decoded);
    }
    return collapseSlashes(decoded.toLowerCase(Locale.ROOT));
  }

  /** Every run of slashes as one slash. */
  private static String collapseSlashes(String path) {
    if (!path.contains("//")) {
      return path;
    }
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c != '/' || out.length() == 0 || out.charAt(out.length() - 1) != '/') {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String percentDecode(String s) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
          && Character.digit(s.charAt(i + 2), 16) >= 0) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The matrix as a Markdown table, one row per {@link Row}, roles as columns (for the README). */
  public String markdown() {
    List<Role> columns = List.of(Role.VIEWER, Role.AGENCY, Role.PPS, Role.SUPPLIER, Role.ADMIN);
    StringBuilder md = new StringBuilder("| method | path | service | ")
        .append(columns.stream().map(Role::wireName).collect(Collectors.joining(" | ")))
        .append(" |\n|---|---|---|").append("---|".repeat(columns.size())).append('\n');
    for (Row row : rows) {
      md.append("| ").append(row.methods().stream().map(HttpMethod::name).sorted(RouteTable::methodOrder)
              .collect(Collectors.joining(", ")))
          .append(" | ").append(row.paths().stream().map(p -> "`" + p + "`").collect(Collectors.joining(" ")))
          .append(" | ").append(row.service().serviceName()).append(" |");
      for (Role role : columns) {
        md.append(row.roles().contains(role) ? " ✓ |" : " – |");
      }
      md.append('\n');
    }
    for (String hidden : hiddenPrefixes) {
      md.append("| any | `").append(hidden).append("/**` | never routed (404) |")
          .append(" – |".repeat(columns.size())).append('\n');
    }
    return md.toString();
  }

  private static int methodOrder(String a, String b) {
    List<String> order = Arrays.asList("GET", "POST", "PUT", "PATCH", "DELETE");
    return Integer.compare(order.indexOf(a), order.indexOf(b));
  }
}
