-- 납품관리: management's copy of a procurement, from the posted request to the delivery order (납품요구서) and the
-- inspection result. The id is the procurement request's id (from the events), so /deliverymanagements/{id} and
-- /deliveryrequests/{id} name the same procurement. proc_title is nullable only for cancellation tombstones (a
-- cancellation that arrived before the posted request).
CREATE TABLE delivery_management (
  id                   bigint           PRIMARY KEY,
  proc_no              text             NOT NULL UNIQUE,
  proc_title           text,
  proc_contents        text,
  proc_price           bigint,
  proc_agency          text,
  proc_qty             double precision,
  company_no           text,
  company_nm           text,
  inspection_succ_flag boolean,
  status               text             NOT NULL,
  version              integer          NOT NULL DEFAULT 0,
  created_at           timestamptz      NOT NULL,
  updated_at           timestamptz      NOT NULL
);

CREATE INDEX delivery_management_status ON delivery_management (status);
