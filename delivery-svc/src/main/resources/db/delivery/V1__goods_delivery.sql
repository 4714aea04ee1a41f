-- 물품납품: the supplier's side of a procurement, from the delivery order to the inspection request (검사검수요청서),
-- or its cancellation. The id is the procurement request's id (from the events), so /goodsdeliveries/{id} and
-- /deliveryrequests/{id} name the same procurement. company_no is null only for cancellation tombstones (a
-- cancellation of a procurement that never had a delivery order).
CREATE TABLE goods_delivery (
  id                  bigint      PRIMARY KEY,
  proc_no             text        NOT NULL UNIQUE,
  company_no          text,
  company_nm          text,
  company_phone_no    text,
  inspection_contents text,
  status              text        NOT NULL,
  version             integer     NOT NULL DEFAULT 0,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
);

-- A supplier lists only its own company's rows.
CREATE INDEX goods_delivery_company ON goods_delivery (company_no, id);
CREATE INDEX goods_delivery_status ON goods_delivery (status);
