package kr.go.procurement.system;

import io.vertx.core.json.JsonObject;
import java.util.Random;
import java.util.function.Predicate;

/**
 * One procurement taken through the workflow by its three officers, over the gateway with the stack's printed
 * tokens, as real clients would: commands are retried on 503/429 after Retry-After and on 502/504/no answer after a
 * short backoff (a retried registration that answers 409 "duplicate" is looked up, since the first attempt may have
 * committed), and each officer waits (polling) until the previous step has reached their service.
 *
 * <p>What each step answered successfully is kept: that is what the checks hold the services to.
 */
final class Workflow implements Runnable {

  /** The step after whose success answer the agency cancels (0 = never). */
  static final int CANCEL_AFTER_REGISTER = 1;
  static final int CANCEL_AFTER_ORDER = 2;
  static final int CANCEL_AFTER_INSPECTION_REQUEST = 3;

  private static final long STEP_DEADLINE_MS = 180_000;

  final String procNo;
  final String companyNo;
  final String companyNm;
  final String phoneNo;
  final boolean passed;
  final int cancelAfter;
  final String title;
  final String agency;

  // what the services answered with success
  volatile Long id;
  volatile boolean ordered;
  volatile boolean inspectionRequested;
  volatile Boolean result;
  volatile boolean cancelled;
  volatile String gaveUp;
  volatile long startedAt;
  volatile long finishedAt;

  private final Stack stack;
  private final Http http;
  private final Ledger ledger;
  /** When set, the workflow stops (instead of cancelling) after the step {@link #cancelAfter} names. */
  private boolean stopInstead;

  Workflow(Stack stack, Http http, Ledger ledger, String procNo, int cancelAfter, Random random) {
    this.stack = stack;
    this.http = http;
    this.ledger = ledger;
    this.procNo = procNo;
    this.cancelAfter = cancelAfter;
    boolean c01 = random.nextBoolean();
    this.companyNo = c01 ? "c01" : "c02";
    this.companyNm = c01 ? "레드불" : "삼다수";
    this.phoneNo = String.format("010-%04d-%04d", random.nextInt(10_000), random.nextInt(10_000));
    this.passed = random.nextInt(5) > 0;
    this.title = "사무용 의자 " + procNo;
    this.agency = random.nextBoolean() ? "서울시청" : "부산광역시청";
  }

  /** Leaves the procurement where it is after step {@code cancelAfter} instead of cancelling it. */
  Workflow stopInsteadOfCancel() {
    stopInstead = true;
    return this;
  }

  /** The outcome the client was told, to which every service must converge. */
  enum Outcome { NOTHING, INSPECTED, CANCELED, INCOMPLETE }

  Outcome outcome() {
    if (id == null) {
      return gaveUp == null ? Outcome.NOTHING : Outcome.INCOMPLETE;
    }
    if (cancelled) {
      return Outcome.CANCELED;
    }
    if (result != null) {
      return Outcome.INSPECTED;
    }
    return Outcome.INCOMPLETE;
  }

  @Override
  public void run() {
    startedAt = System.currentTimeMillis();
    try {
      steps();
    } catch (GiveUp e) {
      gaveUp = e.getMessage();
    } catch (RuntimeException e) {
      gaveUp = e.toString();
      ledger.unexpected(procNo + ": " + e);
    } finally {
      finishedAt = System.currentTimeMillis();
    }
  }

  private void steps() {
    String agencyToken = stack.token("AGENCY_TOKEN");
    String ppsToken = stack.token("PPS_TOKEN");
    String supplierToken = stack.token("c01".equals(companyNo) ? "SUPPLIER_C01_TOKEN" : "SUPPLIER_C02_TOKEN");

    // 수요기관: 조달요청서 등록
    JsonObject request = new JsonObject().put("procNo", procNo).put("procTitle", title).put("procAgency", agency)
        .put("procPrice", 1_200_000).put("procQty", 12).put("procContents", "시스템 시험 " + procNo);
    Command register = command("POST", "/deliveryrequests", agencyToken, request);
    if (register.answer.status() == 201) {
      id = register.answer.json().getLong("id");
    } else if (register.answer.status() == 409 && register.ambiguous) {
      // the first attempt committed but its answer was lost: find it, as a client would
      Http.Answer found = poll("/deliveryrequests/search/findByProcNo?procNo=" + procNo, agencyToken,
          a -> a.status() == 200);
      id = found.json().getLong("id");
    } else {
      throw unexpected("register", register.answer);
    }
    if (cancelAfter == CANCEL_AFTER_REGISTER) {
      cancel(agencyToken);
      return;
    }

    // 조달청: 납품요구서 — once the request has reached management
    poll("/deliverymanagements/" + id, ppsToken, a -> a.status() == 200);
    Command order = command("PATCH", "/deliverymanagements/" + id, ppsToken,
        new JsonObject().put("procNo", procNo).put("companyNo", companyNo).put("companyNm", companyNm));
    if (order.answer.status() != 200) {
      throw unexpected("delivery order", order.answer);
    }
    ordered = true;
    if (cancelAfter == CANCEL_AFTER_ORDER) {
      cancel(agencyToken);
      return;
    }

    // 조달업체: 검사검수요청서 — once the order has reached goods delivery
    poll("/goodsdeliveries/" + id, supplierToken, a -> a.status() == 200);
    Command inspection = command("PATCH", "/goodsdeliveries/" + id, supplierToken,
        new JsonObject().put("procNo", procNo).put("companyPhoneNo", phoneNo).put("inspectionContents", "납품 완료"));
    if (inspection.answer.status() != 200) {
      throw unexpected("inspection request", inspection.answer);
    }
    inspectionRequested = true;
    if (cancelAfter == CANCEL_AFTER_INSPECTION_REQUEST) {
      cancel(agencyToken);
      return;
    }

    // 수요기관: 검사결과 등록 — once the inspection request has reached the request service
    poll("/inspectionResults/" + id, agencyToken,
        a -> a.status() == 200 && "INSPECTION_REQUESTED".equals(a.json().getString("status")));
    Command outcome = command("PATCH", "/inspectionResults/" + id, agencyToken,
        new JsonObject().put("procNo", procNo).put("inspectionSuccFlag", passed));
    if (outcome.answer.status() != 200) {
      throw unexpected("inspection result", outcome.answer);
    }
    result = passed;
  }

  private void cancel(String agencyToken) {
    if (stopInstead) {
      return;
    }
    Command cancel = command("DELETE", "/deliveryrequests/" + id, agencyToken, null);
    if (cancel.answer.status() != 204) {
      throw unexpected("cancel", cancel.answer);
    }
    cancelled = true;
  }

  private RuntimeException unexpected(String step, Http.Answer answer) {
    ledger.unexpected(procNo + " " + step + ": unexpected " + answer);
    return new GiveUp(step + " answered " + answer.status());
  }

  /** An answer, and whether an earlier attempt may have been carried out without the client learning it. */
  private record Command(Http.Answer answer, boolean ambiguous) {
  }

  private Command command(String method, String path, String token, JsonObject body) {
    long deadline = System.currentTimeMillis() + STEP_DEADLINE_MS;
    boolean ambiguous = false;
    long backoff = 250;
    while (true) {
      Http.Answer a = http.json(stack.gateway(), method, path, token, body);
      ledger.record(a);
      if (!retryable(a)) {
        return new Command(a, ambiguous);
      }
      if (System.currentTimeMillis() > deadline) {
        throw new GiveUp(method + " " + path + " still " + a.status() + " after " + STEP_DEADLINE_MS / 1000 + " s");
      }
      if (a.status() == 503 || a.status() == 429) {
        Integer seconds = a.retryAfter();
        // 503 from the gateway ("not reachable") or from request-svc (breaker): nothing was done
        Stack.sleep(Math.min(10_000, seconds == null ? 1_000 : seconds * 1_000L));
      } else {
        // 502/504/no answer: the command may or may not have been carried out
        ambiguous = true;
        Stack.sleep(backoff);
        backoff = Math.min(2_000, backoff * 2);
      }
    }
  }

  /** GET until {@code done}; 404 means "not there yet"; unavailable answers are waited out like a client would. */
  private Http.Answer poll(String path, String token, Predicate<Http.Answer> done) {
    long deadline = System.currentTimeMillis() + STEP_DEADLINE_MS;
    long pause = 150;
    while (true) {
      Http.Answer a = http.json(stack.gateway(), "GET", path, token, null);
      ledger.record(a);
      if (done.test(a)) {
        return a;
      }
      if (a.status() != 404 && a.status() != 200 && !retryable(a)) {
        throw unexpected("GET " + path, a);
      }
      if (System.currentTimeMillis() > deadline) {
        throw new GiveUp("GET " + path + " did not show the step within " + STEP_DEADLINE_MS / 1000 + " s (last "
            + a.status() + ")");
      }
      Integer seconds = a.retryAfter();
      Stack.sleep(seconds != null ? Math.min(10_000, seconds * 1_000L) : pause);
      pause = Math.min(1_500, (long) (pause * 1.5));
    }
  }

  private static boolean retryable(Http.Answer a) {
    return a.status() == -1 || a.status() == 429 || a.status() == 502 || a.status() == 503 || a.status() == 504;
  }

  /** The workflow stops; what it achieved so far stands. */
  static final class GiveUp extends RuntimeException {
    GiveUp(String message) {
      super(message, null, false, false);
    }
  }
}
