package kr.go.procurement.management.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import kr.go.procurement.management.domain.DeliveryManagement;
import kr.go.procurement.management.domain.ProcurementDetails;
import kr.go.procurement.management.domain.Supplier;
import kr.go.procurement.platform.domain.ProcurementStatus;
import kr.go.procurement.platform.store.PageQuery;

/** SQL for {@code delivery_management}. Every update is conditional on the version read, so no update is lost. */
public final class DeliveryManagementStore {

  /** API field name → column, for sorting; only these may be sorted on. */
  public static final Map<String, String> SORTABLE = Map.of(
      "id", "id", "procNo", "proc_no", "procTitle", "proc_title", "procPrice", "proc_price",
      "procAgency", "proc_agency", "companyNo", "company_no", "status", "status", "createdAt", "created_at",
      "updatedAt", "updated_at");

  private static final String COLUMNS = "id, proc_no, proc_title, proc_contents, proc_price, proc_agency, proc_qty, "
      + "company_no, company_nm, inspection_succ_flag, status, version, created_at, updated_at";

  private static final PageQuery PAGES = new PageQuery("delivery_management", COLUMNS, SORTABLE);

  /**
   * Inserts a new record unless its id or procNo is taken already (a redelivered or repeated event).
   *
   * @return true if the row was inserted, false if one existed
   */
  public Future<Boolean> insertIfAbsent(SqlClient tx, DeliveryManagement m) {
    ProcurementDetails d = m.details();
    return tx.preparedQuery("INSERT INTO delivery_management (id, proc_no, proc_title, proc_contents, proc_price, "
            + "proc_agency, proc_qty, company_no, company_nm, inspection_succ_flag, status, version, created_at, "
            + "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) "
            + "ON CONFLICT DO NOTHING")
        .execute(Tuple.from(new Object[] {m.id(), m.procNo(), d.procTitle(), d.procContents(), d.procPrice(),
            d.procAgency(), d.procQty(), m.supplier().companyNo(), m.supplier().companyNm(), m.inspectionSuccFlag(),
            m.status().name(), m.version(), utc(m.createdAt())}))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Writes the next state if the stored version is still the one it was derived from.
   *
   * @return false if someone else changed the record first
   */
  public Future<Boolean> update(SqlClient tx, DeliveryManagement next) {
    ProcurementDetails d = next.details();
    return tx.preparedQuery("UPDATE delivery_management SET proc_title = $1, proc_contents = $2, proc_price = $3, "
            + "proc_agency = $4, proc_qty = $5, company_no = $6, company_nm = $7, inspection_succ_flag = $8, "
            + "status = $9, version = $10, updated_at = $11 WHERE id = $12 AND version = $13")
        .execute(Tuple.from(new Object[] {d.procTitle(), d.procContents(), d.procPrice(), d.procAgency(),
            d.procQty(), next.supplier().companyNo(), next.supplier().companyNm(), next.inspectionSuccFlag(),
            next.status().name(), next.version(), utc(next.updatedAt()), next.id(), next.version() - 1}))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<DeliveryManagement> findById(SqlClient client, long id) {
    return PAGES.one(client, "id", id, DeliveryManagementStore::map);
  }

  public Future<DeliveryManagement> findByProcNo(SqlClient client, String procNo) {
    return PAGES.one(client, "proc_no", procNo, DeliveryManagementStore::map);
  }

  /** One page of delivery_management. */
  public Future<PageQuery.Page<DeliveryManagement>> page(SqlClient client, String sortField, boolean ascending,
                                        long offset, int limit) {
    return PAGES.fetch(client, null, List.of(), sortField, ascending, offset, limit,
        DeliveryManagementStore::map);
  }

  private static DeliveryManagement map(Row row) {
    return new DeliveryManagement(
        row.getLong("id"),
        row.getString("proc_no"),
        new ProcurementDetails(row.getString("proc_title"), row.getString("proc_contents"), row.getLong("proc_price"),
            row.getString("proc_agency"), row.getDouble("proc_qty")),
        new Supplier(row.getString("company_no"), row.getString("company_nm")),
        row.getBoolean("inspection_succ_flag"),
        ProcurementStatus.valueOf(row.getString("status")),
        row.getInteger("version"),
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
