package kr.go.procurement.request.store;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kr.go.procurement.platform.domain.ProcurementStatus;
import kr.go.procurement.platform.domain.RuleViolation;
import kr.go.procurement.platform.events.EventEnvelope;
import kr.go.procurement.platform.store.PageQuery;
import kr.go.procurement.request.domain.ProcurementRequest;
import kr.go.procurement.request.domain.RequestDetails;
import kr.go.procurement.request.domain.Supplier;

/** SQL for {@code procurement_request}. Every write is conditional on the version read, so no update is lost. */
public final class ProcurementRequestStore {

  /** API field name → column, for sorting; only these may be sorted on. */
  public static final Map<String, String> SORTABLE = Map.of(
      "id", "id", "procNo", "proc_no", "procTitle", "proc_title", "procPrice", "proc_price",
      "procAgency", "proc_agency", "status", "status", "createdAt", "created_at", "updatedAt", "updated_at");

  private static final String COLUMNS = "id, proc_no, proc_title, proc_contents, proc_price, proc_agency, proc_qty, "
      + "company_no, company_nm, company_phone_no, inspection_contents, inspection_succ_flag, status, version, "
      + "inspection_requested_at, created_at, updated_at";

  private static final PageQuery PAGES = new PageQuery("procurement_request", COLUMNS, SORTABLE);

  /** How the payload of an event built from a request with id 0 begins: the relay publishes the text as written. */
  static final String ID_PLACEHOLDER = "{\"id\":0,";

  /**
   * Inserts a new request and its event in one statement (one round trip, one implicit transaction): the outbox row
   * is written from the request's RETURNING id, so both commit together or neither does (a duplicate procNo fails
   * the whole statement). The event must have been built for the request with id 0; its payload text, which starts
   * with {@value #ID_PLACEHOLDER}, gets the real id spliced in, and is otherwise stored byte for byte.
   */
  public Future<ProcurementRequest> insertWithEvent(SqlClient client, ProcurementRequest r, EventEnvelope event) {
    String payloadAfterId = payloadAfterId(event);
    return client.preparedQuery("WITH r AS (INSERT INTO procurement_request (proc_no, proc_title, proc_contents, "
            + "proc_price, proc_agency, proc_qty, status, version, created_at, updated_at) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $8) RETURNING id), "
            + "o AS (INSERT INTO outbox (event_id, event_type, proc_no, payload) "
            + "SELECT $9, $10, $1, '{\"id\":' || r.id || ',' || $11 FROM r) "
            + "SELECT id FROM r")
        .execute(Tuple.from(new Object[] {r.procNo(), r.details().procTitle(), r.details().procContents(),
            r.details().procPrice(), r.details().procAgency(), r.details().procQty(), r.status().name(),
            utc(r.createdAt()), event.eventId(), event.eventType(), payloadAfterId}))
        .map(rows -> r.withId(rows.iterator().next().getLong("id")))
        .recover(e -> duplicate(e, r));
  }

  /**
   * The multi-row form of {@link #insertWithEvent}, for registrations written together (see {@link Registrations}):
   * one statement, so one transaction and one commit for all of them. Each request gets its row and, only if its row
   * was inserted, its outbox row, spliced as in {@link #insertWithEvent}. A procNo that exists already, or came
   * earlier in the same list, is skipped, not an error, so the others still commit.
   *
   * <p>Rows go in in procNo order: two such statements running at once that share procNos then wait on each other in
   * the same order and cannot deadlock. The outbox rows go in in the order of the requests' ids, so the relay (which
   * publishes in outbox id order) publishes the events in the order of the ids.
   *
   * @param events each request's event, built for the request with id 0, in the same order
   * @return each request's id, in the same order; null where its procNo exists already or earlier in the list
   */
  public Future<List<Long>> insertAllWithEvents(SqlClient client, List<ProcurementRequest> requests,
                                                List<EventEnvelope> events) {
    int n = requests.size();
    if (events.size() != n) {
      throw new IllegalArgumentException(n + " requests but " + events.size() + " events");
    }
    String[] procNo = new String[n];
    String[] title = new String[n];
    String[] contents = new String[n];
    Long[] price = new Long[n];
    String[] agency = new String[n];
    Double[] qty = new Double[n];
    String[] status = new String[n];
    OffsetDateTime[] createdAt = new OffsetDateTime[n];
    UUID[] eventId = new UUID[n];
    String[] eventType = new String[n];
    String[] payloadAfterId = new String[n];
    for (int i = 0; i < n; i++) {
      ProcurementRequest r = requests.get(i);
      EventEnvelope event = events.get(i);
      procNo[i] = r.procNo();
      title[i] = r.details().procTitle();
      contents[i] = r.details().procContents();
      price[i] = r.details().procPrice();
      agency[i] = r.details().procAgency();
      qty[i] = r.details().procQty();
      status[i] = r.status().name();
      createdAt[i] = utc(r.createdAt());
      eventId[i] = event.eventId();
      eventType[i] = event.eventType();
      payloadAfterId[i] = payloadAfterId(event);
    }
    return client.preparedQuery(INSERT_ALL_WITH_EVENTS)
        .execute(Tuple.from(new Object[] {procNo, title, contents, price, agency, qty, status, createdAt, eventId,
            eventType, payloadAfterId}))
        .map(rows -> {
          Long[] ids = new Long[n];
          for (Row row : rows) {
            ids[(int) (row.getLong("n") - 1)] = row.getLong("id");
          }
          return Arrays.asList(ids);
        });
  }

  /**
   * The arrays' elements are the requests in the caller's order (n counts from 1). {@code DISTINCT ON} keeps the first
   * of each procNo, so the winner of a duplicate inside the list is decided here, not by which row the insert happens
   * to meet first, and the final join reports which n got which id.
   */
  private static final String INSERT_ALL_WITH_EVENTS = "WITH v AS ("
      + "SELECT DISTINCT ON (proc_no) * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::text[], "
      + "$6::float8[], $7::text[], $8::timestamptz[], $9::uuid[], $10::text[], $11::text[]) WITH ORDINALITY "
      + "AS u(proc_no, proc_title, proc_contents, proc_price, proc_agency, proc_qty, status, created_at, event_id, "
      + "event_type, payload_after_id, n) ORDER BY proc_no, n), "
      + "r AS (INSERT INTO procurement_request (proc_no, proc_title, proc_contents, proc_price, proc_agency, "
      + "proc_qty, status, version, created_at, updated_at) "
      + "SELECT proc_no, proc_title, proc_contents, proc_price, proc_agency, proc_qty, status, 0, created_at, "
      + "created_at FROM v ORDER BY proc_no "
      + "ON CONFLICT (proc_no) DO NOTHING RETURNING id, proc_no), "
      + "o AS (INSERT INTO outbox (event_id, event_type, proc_no, payload) "
      + "SELECT v.event_id, v.event_type, v.proc_no, '{\"id\":' || r.id || ',' || v.payload_after_id "
      + "FROM r JOIN v USING (proc_no) ORDER BY r.id) "
      + "SELECT r.id, v.n FROM r JOIN v USING (proc_no)";

  /** The event's payload text after {@value #ID_PLACEHOLDER}, where the statements splice in the real id. */
  private static String payloadAfterId(EventEnvelope event) {
    String payload = event.encode();
    if (!payload.startsWith(ID_PLACEHOLDER)) {
      throw new IllegalArgumentException("the event's payload must start with " + ID_PLACEHOLDER + ": " + payload);
    }
    return payload.substring(ID_PLACEHOLDER.length());
  }

  private static Future<ProcurementRequest> duplicate(Throwable e, ProcurementRequest r) {
    if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
      return Future.failedFuture(alreadyExists(r.procNo()));
    }
    return Future.failedFuture(e);
  }

  /** What registering a procNo that exists already fails with (409 at the API). */
  public static RuleViolation alreadyExists(String procNo) {
    return new RuleViolation("A procurement request with procNo " + procNo + " already exists.");
  }

  /**
   * Writes the next state if the stored version is still the one it was derived from.
   *
   * @return false if someone else changed the record first
   */
  public Future<Boolean> update(SqlClient tx, ProcurementRequest next) {
    RequestDetails d = next.details();
    return tx.preparedQuery("UPDATE procurement_request SET proc_title = $1, proc_contents = $2, proc_price = $3, "
            + "proc_agency = $4, proc_qty = $5, company_no = $6, company_nm = $7, company_phone_no = $8, "
            + "inspection_contents = $9, inspection_succ_flag = $10, status = $11, version = $12, "
            + "inspection_requested_at = $13, updated_at = $14 WHERE id = $15 AND version = $16")
        .execute(Tuple.from(new Object[] {d.procTitle(), d.procContents(), d.procPrice(), d.procAgency(),
            d.procQty(), next.supplier().companyNo(), next.supplier().companyNm(), next.companyPhoneNo(),
            next.inspectionContents(), next.inspectionSuccFlag(), next.status().name(), next.version(),
            utc(next.inspectionRequestedAt()), utc(next.updatedAt()), next.id(), next.version() - 1}))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<ProcurementRequest> findById(SqlClient client, long id) {
    return PAGES.one(client, "id", id, ProcurementRequestStore::map);
  }

  public Future<ProcurementRequest> findByProcNo(SqlClient client, String procNo) {
    return PAGES.one(client, "proc_no", procNo, ProcurementRequestStore::map);
  }

  /**
   * One page of procurement_request; with {@code inspectionOnly}, only those whose inspection was requested (the
   * /inspectionResults view).
   */
  public Future<PageQuery.Page<ProcurementRequest>> page(SqlClient client, boolean inspectionOnly, String sortField,
                                                          boolean ascending, long offset, int limit) {
    return PAGES.fetch(client, inspectionOnly ? "inspection_requested_at IS NOT NULL" : null, List.of(), sortField,
        ascending, offset, limit, ProcurementRequestStore::map);
  }

  private static ProcurementRequest map(Row row) {
    return new ProcurementRequest(
        row.getLong("id"),
        row.getString("proc_no"),
        new RequestDetails(row.getString("proc_title"), row.getString("proc_contents"), row.getLong("proc_price"),
            row.getString("proc_agency"), row.getDouble("proc_qty")),
        new Supplier(row.getString("company_no"), row.getString("company_nm")),
        row.getString("company_phone_no"),
        row.getString("inspection_contents"),
        row.getBoolean("inspection_succ_flag"),
        ProcurementStatus.valueOf(row.getString("status")),
        row.getInteger("version"),
        instant(row.getOffsetDateTime("inspection_requested_at")),
        instant(row.getOffsetDateTime("created_at")),
        instant(row.getOffsetDateTime("updated_at")));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime odt) {
    return odt == null ? null : odt.toInstant();
  }
}
