-- The transactional outbox: a service writes its event here in the same transaction as the state change, and the
-- relay publishes it to Kafka afterwards. The payload is kept as text so it is published byte for byte as written.
CREATE TABLE outbox (
  id           bigserial   PRIMARY KEY,
  event_id     uuid        NOT NULL UNIQUE,
  event_type   text        NOT NULL,
  proc_no      text        NOT NULL,
  payload      text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);

CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Wakes the relay at commit (notifications are delivered only when the transaction commits, and collapsed within
-- one transaction); the relay also polls, so a lost notification only delays publication.
CREATE FUNCTION outbox_notify() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('outbox_' || TG_TABLE_SCHEMA, '');
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- The idempotent consumer: an event's id is recorded in the same transaction as its effect, so an event is applied
-- at most once, and a failed attempt leaves no trace.
CREATE TABLE processed_events (
  event_id     uuid        PRIMARY KEY,
  event_type   text        NOT NULL,
  proc_no      text        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now()
);
