package kr.go.procurement.system;

import com.mongodb.client.model.Filters;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;

/**
 * Holds the services to what their clients were told, once the dust of a scenario has settled: reads every
 * service's own API directly (no gateway, no identity: the unrestricted view), the PostgreSQL tables for duplicates,
 * and MongoDB's smsHistories and deliveryStatusInquiries.
 */
final class Checker {

  /** What one look found. */
  static final class Findings {
    final List<String> lost = new ArrayList<>();
    final List<String> duplicated = new ArrayList<>();
    final List<String> wrongView = new ArrayList<>();
    final List<String> incomplete = new ArrayList<>();

    boolean clean() {
      return lost.isEmpty() && duplicated.isEmpty() && wrongView.isEmpty() && incomplete.isEmpty();
    }

    String summary() {
      return "lost " + lost.size() + ", duplicated " + duplicated.size() + ", wrong view " + wrongView.size()
          + ", incomplete " + incomplete.size() + first("lost", lost) + first("duplicated", duplicated)
          + first("wrong view", wrongView) + first("incomplete", incomplete);
    }

    private static String first(String what, List<String> list) {
      return list.isEmpty() ? "" : "\n  first " + what + ": " + String.join("\n    ", list.subList(0, Math.min(5, list.size())));
    }
  }

  private final Stack stack;
  private final Http http;

  Checker(Stack stack, Http http) {
    this.stack = stack;
    this.http = http;
  }

  /** Looks again every 2 s until everything agrees or {@code boundMillis} is over; returns the last look. */
  Findings converge(String prefix, List<Workflow> workflows, long boundMillis) {
    long deadline = System.currentTimeMillis() + boundMillis;
    Findings f = safeCheck(prefix, workflows);
    while (!f.clean() && System.currentTimeMillis() < deadline) {
      Stack.sleep(2_000);
      f = safeCheck(prefix, workflows);
    }
    return f;
  }

  /** A service that cannot list yet counts as "not settled", not as a crash of the checker. */
  private Findings safeCheck(String prefix, List<Workflow> workflows) {
    try {
      return check(prefix, workflows);
    } catch (RuntimeException e) {
      Findings f = new Findings();
      f.incomplete.add("could not look: " + e.getMessage());
      return f;
    }
  }

  Findings check(String prefix, List<Workflow> workflows) {
    Findings f = new Findings();
    Map<String, JsonObject> requests = all("request-svc", "/deliveryrequests", "deliveryrequests", prefix, f);
    Map<String, JsonObject> managements = all("management-svc", "/deliverymanagements", "deliverymanagements", prefix, f);
    Map<String, JsonObject> deliveries = all("delivery-svc", "/goodsdeliveries", "goodsdeliveries", prefix, f);
    Map<String, JsonObject> views = all("status-view", "/deliveryStatusInquiries", "deliveryStatusInquiries", prefix, f);
    Map<String, List<JsonObject>> sms = new HashMap<>();
    for (JsonObject s : list("notification-svc", "/smsHistories", "smsHistories")) {
      if (s.getString("procNo", "").startsWith(prefix)) {
        sms.computeIfAbsent(s.getString("procNo"), k -> new ArrayList<>()).add(s);
      }
    }
    duplicatesInStores(prefix, f);

    for (Workflow w : workflows) {
      Workflow.Outcome outcome = w.outcome();
      if (outcome == Workflow.Outcome.NOTHING) {
        continue;
      }
      if (outcome == Workflow.Outcome.INCOMPLETE) {
        f.incomplete.add(w.procNo + ": " + w.gaveUp);
        continue;
      }
      JsonObject req = requests.get(w.procNo);
      JsonObject mgmt = managements.get(w.procNo);
      JsonObject del = deliveries.get(w.procNo);
      JsonObject view = views.get(w.procNo);
      List<JsonObject> texts = sms.getOrDefault(w.procNo, List.of());
      List<String> wrong = new ArrayList<>();
      boolean inspected = outcome == Workflow.Outcome.INSPECTED;
      String status = inspected ? "INSPECTED" : "CANCELED";

      expect(wrong, "request", req, Map.of("id", w.id, "status", status));
      expect(wrong, "management", mgmt, Map.of("id", w.id, "status", status));
      if (w.ordered) {
        expect(wrong, "management", mgmt, Map.of("companyNo", w.companyNo, "companyNm", w.companyNm));
        expect(wrong, "delivery", del, Map.of("id", w.id,
            "status", inspected ? "INSPECTION_REQUESTED" : "CANCELED", "companyNo", w.companyNo));
      } else if (del != null && !"CANCELED".equals(del.getString("status"))) {
        // a cancellation that reaches goods delivery before any order leaves a CANCELED record there (so that a
        // late order cannot bring the procurement back); anything else would be an order nobody issued
        wrong.add("delivery has a record although no delivery order was issued: " + del.getString("status"));
      }
      if (w.inspectionRequested) {
        expect(wrong, "delivery", del, Map.of("companyPhoneNo", w.phoneNo));
      }
      if (inspected) {
        expect(wrong, "request", req, Map.of("inspectionSuccFlag", w.result, "companyNo", w.companyNo,
            "companyPhoneNo", w.phoneNo));
        expect(wrong, "management", mgmt, Map.of("inspectionSuccFlag", w.result));
        long sent = texts.stream().filter(s -> "SENT".equals(s.getString("status"))).count();
        if (sent != 1) {
          wrong.add("SMS: " + sent + " SENT of " + texts.size() + " " + texts.stream().map(s -> s.getString("status")).toList());
        } else if (!digits(texts.get(0).getString("phoneNo")).equals(digits(w.phoneNo))) {
          wrong.add("SMS to " + texts.get(0).getString("phoneNo") + " instead of " + w.phoneNo);
        }
      } else if (!texts.isEmpty()) {
        wrong.add("SMS for a cancelled procurement: " + texts.size());
      }
      if (!wrong.isEmpty()) {
        f.lost.add(w.procNo + " (" + outcome + "): " + String.join("; ", wrong));
      }
      if (texts.size() > 1) {
        f.duplicated.add(w.procNo + ": " + texts.size() + " SMS records");
      }

      // the status board, field for field against the services that own each field
      List<String> viewWrong = new ArrayList<>();
      if (view == null) {
        viewWrong.add("missing");
      } else if (req != null && mgmt != null) {
        compare(viewWrong, view, "id", req.getValue("id"));
        compare(viewWrong, view, "procNo", req.getString("procNo"));
        compare(viewWrong, view, "procTitle", req.getString("procTitle"));
        compare(viewWrong, view, "procAgency", req.getString("procAgency"));
        compare(viewWrong, view, "companyNo", mgmt.getString("companyNo"));
        compare(viewWrong, view, "companyNm", mgmt.getString("companyNm"));
        compare(viewWrong, view, "inspectionSuccFlag", req.getValue("inspectionSuccFlag"));
        compare(viewWrong, view, "status", req.getString("status"));
        JsonArray history = view.getJsonArray("history", new JsonArray());
        List<String> steps = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
          steps.add(history.getJsonObject(i).getString("status"));
        }
        if (steps.isEmpty() || !"POSTED".equals(steps.get(0)) || !status.equals(steps.get(steps.size() - 1))
            || !inWorkflowOrder(steps)) {
          viewWrong.add("history " + steps);
        }
      }
      if (!viewWrong.isEmpty()) {
        f.wrongView.add(w.procNo + ": " + String.join("; ", viewWrong));
      }
    }
    return f;
  }

  private static boolean inWorkflowOrder(List<String> steps) {
    List<String> order = List.of("POSTED", "DELIVERY_REQUESTED", "INSPECTION_REQUESTED", "INSPECTED", "CANCELED");
    int last = -1;
    for (String s : steps) {
      int i = order.indexOf(s);
      if (i <= last) {
        return false;
      }
      last = i;
    }
    return true;
  }

  private static void expect(List<String> wrong, String service, JsonObject doc, Map<String, Object> fields) {
    if (doc == null) {
      if (!wrong.contains(service + " missing")) {
        wrong.add(service + " missing");
      }
      return;
    }
    fields.forEach((field, value) -> {
      Object actual = doc.getValue(field);
      if (!same(actual, value)) {
        wrong.add(service + "." + field + " = " + actual + ", expected " + value);
      }
    });
  }

  private static void compare(List<String> wrong, JsonObject view, String field, Object source) {
    Object actual = view.getValue(field);
    if (!same(actual, source)) {
      wrong.add(field + " = " + actual + " but the source says " + source);
    }
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.longValue() == y.longValue();
    }
    return Objects.equals(a, b);
  }

  private static String digits(String s) {
    return s == null ? "" : s.replaceAll("\\D", "").replaceFirst("^82", "0");
  }

  /** Rows with the same procNo twice, in any store; records whose id differs from the request's. */
  private void duplicatesInStores(String prefix, Findings f) {
    for (String table : List.of("request.procurement_request", "management.delivery_management",
        "delivery.goods_delivery")) {
      long twice = stack.db.count("SELECT count(*) FROM (SELECT proc_no FROM " + table
          + " WHERE proc_no LIKE ? GROUP BY proc_no HAVING count(*) > 1) d", prefix + "%");
      if (twice > 0) {
        f.duplicated.add(table + ": " + twice + " procNos stored twice");
      }
    }
    for (String collection : List.of("deliveryStatusInquiries", "smsHistories")) {
      Map<Object, Integer> perKey = new HashMap<>();
      for (Document d : stack.mongo.getCollection(collection).find(Filters.regex("procNo", "^" + prefix))) {
        Object key = collection.equals("smsHistories") ? d.get("eventId") : d.get("procNo");
        perKey.merge(key, 1, Integer::sum);
      }
      perKey.forEach((key, n) -> {
        if (n > 1) {
          f.duplicated.add(collection + ": " + key + " stored " + n + " times");
        }
      });
    }
  }

  /** The collection's items with this prefix, by procNo; two items with one procNo is a duplicate. */
  private Map<String, JsonObject> all(String service, String path, String collection, String prefix, Findings f) {
    Map<String, JsonObject> byProcNo = new LinkedHashMap<>();
    for (JsonObject item : list(service, path, collection)) {
      String procNo = item.getString("procNo", "");
      if (procNo.startsWith(prefix) && byProcNo.put(procNo, item) != null) {
        f.duplicated.add(service + ": " + procNo + " listed twice");
      }
    }
    return byProcNo;
  }

  /** Every item of a collection, 1000 a page, straight from the service. */
  List<JsonObject> list(String service, String path, String collection) {
    List<JsonObject> items = new ArrayList<>();
    for (int page = 0; ; page++) {
      Http.Answer a = http.json(stack.url(service), "GET", path + "?size=1000&sort=id,asc&page=" + page, null, null);
      if (a.status() != 200) {
        throw new IllegalStateException(service + " did not list " + path + ": " + a);
      }
      JsonObject body = a.json();
      JsonArray got = body.getJsonObject("_embedded", new JsonObject()).getJsonArray(collection, new JsonArray());
      for (int i = 0; i < got.size(); i++) {
        items.add(got.getJsonObject(i));
      }
      JsonObject p = body.getJsonObject("page", new JsonObject());
      if (got.isEmpty() || page + 1 >= p.getInteger("totalPages", 0)) {
        return items;
      }
    }
  }
}
