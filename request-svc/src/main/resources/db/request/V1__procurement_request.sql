-- 조달요청서: the procurement request, the aggregate of request-svc. Its inspection fields make the
-- /inspectionResults view of the same rows.
CREATE TABLE procurement_request (
  id                      bigserial        PRIMARY KEY,
  proc_no                 text             NOT NULL UNIQUE,
  proc_title              text             NOT NULL,
  proc_contents           text,
  proc_price              bigint,
  proc_agency             text,
  proc_qty                double precision,
  company_no              text,
  company_nm              text,
  company_phone_no        text,
  inspection_contents     text,
  inspection_succ_flag    boolean,
  status                  text             NOT NULL,
  version                 integer          NOT NULL DEFAULT 0,
  inspection_requested_at timestamptz,
  created_at              timestamptz      NOT NULL,
  updated_at              timestamptz      NOT NULL
);

CREATE INDEX procurement_request_inspection ON procurement_request (id) WHERE inspection_requested_at IS NOT NULL;
CREATE INDEX procurement_request_status ON procurement_request (status);
