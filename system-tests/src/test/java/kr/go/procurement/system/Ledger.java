package kr.go.procurement.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every answer the clients of one scenario got, and the judgement of each: what the contract documents (2xx, the
 * expected 4xx of a step, 429/503 with Retry-After, the gateway's 502/504 and refused connections while a service is
 * down) and what it does not (any other 5xx, a 503 without Retry-After, an error that is not problem+json, an
 * unavailable answer outside the fault's window).
 */
final class Ledger {

  private final ConcurrentLinkedQueue<Http.Answer> answers = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

  void record(Http.Answer a) {
    answers.add(a);
    if (a.status() >= 500 && a.status() != 502 && a.status() != 503 && a.status() != 504) {
      unexpected.add("undocumented " + a);
    } else if ((a.status() == 503 || a.status() == 429) && a.retryAfter() == null) {
      unexpected.add(a.status() + " without Retry-After: " + a);
    } else if (a.status() >= 400 && !a.contentType().startsWith("application/problem+json")) {
      unexpected.add("error that is not application/problem+json (" + a.contentType() + "): " + a);
    }
  }

  /** A step got an answer its client did not expect (e.g. a 409 or a 404 where the workflow's state allows none). */
  void unexpected(String what) {
    unexpected.add(what);
  }

  /**
   * Answers meaning "unavailable, try again" (-1 no answer, 502, 503, 504) that arrived outside [from, to] (epoch
   * ms): a request sent just before the fault may be answered by it, so what counts is when the answer came.
   */
  List<Http.Answer> unavailableOutside(long from, long to) {
    List<Http.Answer> out = new ArrayList<>();
    for (Http.Answer a : answers) {
      boolean unavailable = a.status() == -1 || a.status() == 502 || a.status() == 503 || a.status() == 504;
      long answered = a.atMillis() + a.millis();
      if (unavailable && (answered < from || answered > to)) {
        out.add(a);
      }
    }
    return out;
  }

  /** Every answer meaning "unavailable, try again": no answer, 502, 503, 504. */
  List<Http.Answer> unavailable() {
    return answers.stream().filter(a -> a.status() == -1 || a.status() == 502 || a.status() == 503
        || a.status() == 504).toList();
  }

  List<String> violations() {
    return new ArrayList<>(unexpected);
  }

  int total() {
    return answers.size();
  }

  long count(int status) {
    return answers.stream().filter(a -> a.status() == status).count();
  }

  /** "200×812 201×40 503×12 -1×3" */
  String histogram() {
    Map<Integer, Integer> counts = new TreeMap<>();
    for (Http.Answer a : answers) {
      counts.merge(a.status(), 1, Integer::sum);
    }
    StringBuilder sb = new StringBuilder();
    counts.forEach((status, n) -> sb.append(sb.length() == 0 ? "" : " ")
        .append(status == -1 ? "no-answer" : status).append('×').append(n));
    return sb.toString();
  }
}
