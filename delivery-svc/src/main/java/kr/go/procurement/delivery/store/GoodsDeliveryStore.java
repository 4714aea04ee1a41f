package kr.go.procurement.delivery.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import kr.go.procurement.delivery.domain.GoodsDelivery;
import kr.go.procurement.delivery.domain.Supplier;
import kr.go.procurement.platform.domain.ProcurementStatus;
import kr.go.procurement.platform.store.PageQuery;

/** SQL for {@code goods_delivery}. Every update is conditional on the version read, so no update is lost. */
public final class GoodsDeliveryStore {

  /** API field name → column, for sorting; only these may be sorted on. */
  public static final Map<String, String> SORTABLE = Map.of(
      "id", "id", "procNo", "proc_no", "companyNo", "company_no", "companyNm", "company_nm", "status", "status",
      "createdAt", "created_at", "updatedAt", "updated_at");

  private static final String COLUMNS = "id, proc_no, company_no, company_nm, company_phone_no, inspection_contents, "
      + "status, version, created_at, updated_at";

  private static final PageQuery PAGES = new PageQuery("goods_delivery", COLUMNS, SORTABLE);

  /**
   * Inserts a new record unless its id or procNo is taken already, so one procurement has one delivery however
   * often its delivery order arrives.
   *
   * @return true if the row was inserted, false if one existed
   */
  public Future<Boolean> insertIfAbsent(SqlClient tx, GoodsDelivery d) {
    return tx.preparedQuery("INSERT INTO goods_delivery (id, proc_no, company_no, company_nm, company_phone_no, "
            + "inspection_contents, status, version, created_at, updated_at) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT DO NOTHING")
        .execute(Tuple.from(new Object[] {d.id(), d.procNo(), d.supplier().companyNo(), d.supplier().companyNm(),
            d.companyPhoneNo(), d.inspectionContents(), d.status().name(), d.version(), utc(d.createdAt())}))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Writes the next state if the stored version is still the one it was derived from.
   *
   * @return false if someone else changed the record first
   */
  public Future<Boolean> update(SqlClient tx, GoodsDelivery next) {
    return tx.preparedQuery("UPDATE goods_delivery SET company_no = $1, company_nm = $2, company_phone_no = $3, "
            + "inspection_contents = $4, status = $5, version = $6, updated_at = $7 WHERE id = $8 AND version = $9")
        .execute(Tuple.from(new Object[] {next.supplier().companyNo(), next.supplier().companyNm(),
            next.companyPhoneNo(), next.inspectionContents(), next.status().name(), next.version(),
            utc(next.updatedAt()), next.id(), next.version() - 1}))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<GoodsDelivery> findById(SqlClient client, long id) {
    return PAGES.one(client, "id", id, GoodsDeliveryStore::map);
  }

  public Future<GoodsDelivery> findByProcNo(SqlClient client, String procNo) {
    return PAGES.one(client, "proc_no", procNo, GoodsDeliveryStore::map);
  }

  /** One page of goods_delivery (only one company's, if companyNo is given). */
  public Future<PageQuery.Page<GoodsDelivery>> page(SqlClient client, String companyNo, String sortField,
                                                     boolean ascending, long offset, int limit) {
    return PAGES.fetch(client, companyNo == null ? null : "company_no = $1",
        companyNo == null ? List.of() : List.of(companyNo), sortField, ascending, offset, limit,
        GoodsDeliveryStore::map);
  }

  private static GoodsDelivery map(Row row) {
    return new GoodsDelivery(
        row.getLong("id"),
        row.getString("proc_no"),
        new Supplier(row.getString("company_no"), row.getString("company_nm")),
        row.getString("company_phone_no"),
        row.getString("inspection_contents"),
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
