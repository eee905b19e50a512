-- Events in commit order, webhook endpoints and their deliveries (io.credits.events).

-- Identity values are taken when a row is inserted, not when its transaction commits: under
-- concurrency a transaction holding event 7 can commit after one holding event 8, and a poller
-- that remembered "after 8" would never see 7. So readers page by `seq`, a number given to events
-- after they commit, by one sequencer at a time (io.credits.events.EventLog.sequence: under an
-- advisory lock held until its commit, it numbers the committed events that have none, from the
-- highest number so far). A number is visible only with every smaller one, so a cursor on `seq`
-- skips nothing. The engine's INSERT is unchanged; `seq` stays null until the next sequencing.
ALTER TABLE outbox_events ADD COLUMN seq bigint CHECK (seq > 0);
UPDATE outbox_events o SET seq = n.seq
FROM (SELECT account_id, event_id, row_number() OVER (ORDER BY event_id) AS seq FROM outbox_events) n
WHERE o.account_id = n.account_id AND o.event_id = n.event_id;
CREATE UNIQUE INDEX outbox_events_seq ON outbox_events (seq) WHERE seq IS NOT NULL;
-- What the sequencer looks for. It replaces outbox_events_order: still one index besides the key
-- on the engine's write path.
CREATE INDEX outbox_events_unsequenced ON outbox_events (event_id) WHERE seq IS NULL;
DROP INDEX outbox_events_order;

CREATE TABLE webhook_endpoints (
  endpoint_id   text        PRIMARY KEY CHECK (length(endpoint_id) BETWEEN 1 AND 64),
  url           text        NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
  event_types   text[]      NOT NULL CHECK (cardinality(event_types) BETWEEN 1 AND 32),
  -- The signing secret, "whsec_" + base64 of 32 random bytes. Kept as is, not hashed: every
  -- delivery is signed with it (HMAC needs the key itself). Only the creation answer shows it.
  secret        text        NOT NULL CHECK (secret LIKE 'whsec\_%'),
  created_at    timestamptz NOT NULL,
  disabled_at   timestamptz
);

-- The fan-out position: the events up to seq after_seq have their webhook_deliveries rows. One
-- row; the process that fans out locks it (FOR UPDATE SKIP LOCKED), so one does at a time. It
-- starts after the events that exist now: webhooks carry what happens from here on.
CREATE TABLE webhook_fanout (
  id          integer     PRIMARY KEY CHECK (id = 1),
  after_seq   bigint      NOT NULL CHECK (after_seq >= 0),
  updated_at  timestamptz
);
INSERT INTO webhook_fanout (id, after_seq) SELECT 1, coalesce(max(seq), 0) FROM outbox_events;

-- One row per (endpoint, event): the unit of work of the dispatcher and of the delivery log.
CREATE TABLE webhook_deliveries (
  delivery_id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  endpoint_id      text        NOT NULL REFERENCES webhook_endpoints ON DELETE CASCADE,
  account_id       text        NOT NULL,
  event_id         bigint      NOT NULL,
  event_type       text        NOT NULL,
  state            text        NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
  attempts         integer     NOT NULL CHECK (attempts >= 0),
  -- When pending: the next attempt; while an attempt is in flight, the end of its lease (the
  -- attempt is taken again then if its outcome was never recorded). Null once finished.
  next_attempt_at  timestamptz,
  created_at       timestamptz NOT NULL,
  finished_at      timestamptz,
  UNIQUE (endpoint_id, event_id),
  CHECK ((state = 'pending') = (next_attempt_at IS NOT NULL)),
  CHECK ((state = 'pending') = (finished_at IS NULL))
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, delivery_id);
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at) WHERE state <> 'pending';

-- Every attempt: what the receiver answered (its status and the start of its body) or the error.
CREATE TABLE webhook_attempts (
  delivery_id       bigint      NOT NULL REFERENCES webhook_deliveries ON DELETE CASCADE,
  attempt           integer     NOT NULL CHECK (attempt >= 1),
  attempted_at      timestamptz NOT NULL,
  duration_millis   bigint      NOT NULL CHECK (duration_millis >= 0),
  status_code       integer     CHECK (status_code BETWEEN 100 AND 599),
  error             text        CHECK (length(error) <= 500),
  response_excerpt  text        CHECK (length(response_excerpt) <= 500),
  PRIMARY KEY (delivery_id, attempt),
  CHECK ((status_code IS NULL) <> (error IS NULL))
);
