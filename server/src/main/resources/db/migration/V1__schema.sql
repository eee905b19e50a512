-- Credits schema. Every table is keyed by account first, so it can be distributed by account.
-- The tables written on every use (ledger_entries, uses, holds, idempotency_keys, outbox_events)
-- carry no foreign key: its per-row check would cost more than the rest of a batched use, and
-- `credits verify` finds any row without its account or grant instead.
-- The ledger (ledger_entries) and the money (charges) are append-only, enforced here; the other
-- tables are projections that `credits verify` recomputes from the ledger.

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END $$;

CREATE TABLE accounts (
  account_id        text        PRIMARY KEY CHECK (length(account_id) BETWEEN 1 AND 200),
  name              text,
  time_zone         text        NOT NULL,
  main_plan         text,
  main_term         text        CHECK (main_term IN ('MONTHLY', 'YEARLY')),
  main_anchor       timestamptz,
  ai_plan           text,
  ai_next_plan      text,
  ai_anchor         timestamptz,
  period_start      timestamptz,
  period_end        timestamptz,
  period_days       integer     CHECK (period_days >= 1),
  ai_booked_at      timestamptz,
  used_this_period  bigint      NOT NULL CHECK (used_this_period >= 0),
  usage_from_seq    bigint      NOT NULL CHECK (usage_from_seq >= 0),
  charged_cents     bigint      NOT NULL CHECK (charged_cents >= 0),
  last_seq          bigint      NOT NULL CHECK (last_seq >= 0),
  low_threshold     bigint      CHECK (low_threshold >= 0),
  created_at        timestamptz NOT NULL,
  caught_up_to      timestamptz NOT NULL,
  next_due_at       timestamptz,
  updated_at        timestamptz NOT NULL,
  CHECK ((main_plan IS NULL) = (main_anchor IS NULL) AND (main_plan IS NULL) = (main_term IS NULL)),
  CHECK ((ai_plan IS NULL) = (period_start IS NULL) AND (ai_plan IS NULL) = (period_end IS NULL)
         AND (ai_plan IS NULL) = (ai_next_plan IS NULL) AND (ai_plan IS NULL) = (ai_anchor IS NULL)),
  CHECK (period_start < period_end)
) WITH (fillfactor = 70); -- room on each page for HOT updates: the row changes with every unit of work
CREATE INDEX accounts_next_due ON accounts (next_due_at) WHERE next_due_at IS NOT NULL;

-- The history of plan states: one row each time a main or AI plan starts, changes, renews or ends.
CREATE TABLE subscriptions (
  account_id    text        NOT NULL REFERENCES accounts,
  change_id     bigint      GENERATED ALWAYS AS IDENTITY,
  main_plan     text,
  main_term     text,
  main_anchor   timestamptz,
  ai_plan       text,
  ai_next_plan  text,
  ai_anchor     timestamptz,
  period_start  timestamptz,
  period_end    timestamptz,
  effective_at  timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL,
  PRIMARY KEY (account_id, change_id)
);

CREATE TABLE grants (
  account_id   text        NOT NULL REFERENCES accounts,
  grant_seq    bigint      NOT NULL CHECK (grant_seq > 0),
  kind         text        NOT NULL CHECK (kind IN ('CARRY_OVER', 'ALLOWANCE', 'TOP_UP', 'MANUAL')),
  priority     integer     NOT NULL,
  granted      bigint      NOT NULL CHECK (granted > 0),
  remaining    bigint      NOT NULL CHECK (remaining >= 0),
  held         bigint      NOT NULL CHECK (held >= 0),
  used         bigint      NOT NULL CHECK (used >= 0),
  expired      bigint      NOT NULL CHECK (expired >= 0),
  carried_out  bigint      NOT NULL CHECK (carried_out >= 0),
  closed       boolean     NOT NULL,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz,
  reason       text,
  PRIMARY KEY (account_id, grant_seq),
  CHECK (granted = remaining + held + used + expired + carried_out),
  CHECK (NOT closed OR remaining = 0)
) WITH (fillfactor = 70); -- as accounts: a live grant changes with every use
-- What a unit of work loads: the grants that can be spent or still have credits in holds.
CREATE INDEX grants_active ON grants (account_id) WHERE NOT closed OR held > 0;

CREATE TABLE ledger_entries (
  account_id    text        NOT NULL,
  entry_id      bigint      GENERATED ALWAYS AS IDENTITY,
  grant_seq     bigint,
  type          text        NOT NULL CHECK (type IN ('GRANT', 'USE', 'HOLD', 'CAPTURE', 'RELEASE', 'REFUND', 'EXPIRE', 'CARRY_OUT')),
  cause         text        NOT NULL,
  credits       bigint      NOT NULL CHECK (credits >= 0),
  effective_at  timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL,
  ref           text,
  user_id       text,
  project_id    text,
  feature       text,
  PRIMARY KEY (account_id, entry_id),
  CHECK (credits = 0 OR grant_seq IS NOT NULL)
);
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

CREATE TABLE holds (
  account_id        text        NOT NULL,
  hold_id           text        NOT NULL,
  credits           bigint      NOT NULL CHECK (credits >= 0),
  portions          text        NOT NULL,
  created_at        timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,
  status            text        NOT NULL CHECK (status IN ('OPEN', 'CAPTURED', 'RELEASED', 'EXPIRED', 'CANCELLED')),
  captured_credits  bigint      NOT NULL CHECK (captured_credits >= 0 AND captured_credits <= credits),
  closed_at         timestamptz,
  user_id           text        NOT NULL,
  project_id        text,
  feature           text,
  PRIMARY KEY (account_id, hold_id),
  CHECK (expires_at > created_at)
);
CREATE INDEX holds_open ON holds (account_id) WHERE status = 'OPEN';

CREATE TABLE uses (
  account_id    text        NOT NULL,
  use_id        text        NOT NULL,
  credits       bigint      NOT NULL CHECK (credits >= 0),
  portions      text        NOT NULL,
  effective_at  timestamptz NOT NULL,
  user_id       text        NOT NULL,
  project_id    text,
  feature       text,
  hold_id       text,
  refunded_at   timestamptz,
  PRIMARY KEY (account_id, use_id)
);

CREATE TABLE idempotency_keys (
  account_id    text        NOT NULL,
  idem_key      text        NOT NULL CHECK (length(idem_key) BETWEEN 1 AND 255),
  request_hash  text        NOT NULL,
  answer        text        NOT NULL,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (account_id, idem_key)
);
-- No index on created_at: every index costs each use; the purge of old keys scans instead.

CREATE TABLE projects (
  account_id  text        NOT NULL REFERENCES accounts,
  project_id  text        NOT NULL CHECK (length(project_id) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (account_id, project_id)
);
-- Project ids are the host's and global: a project has one owner for life.
CREATE UNIQUE INDEX projects_by_id ON projects (project_id);

CREATE TABLE project_members (
  account_id  text NOT NULL,
  project_id  text NOT NULL,
  user_id     text NOT NULL CHECK (length(user_id) BETWEEN 1 AND 200),
  role        text NOT NULL CHECK (role IN ('EDITOR', 'VIEWER')),
  PRIMARY KEY (account_id, project_id, user_id),
  FOREIGN KEY (account_id, project_id) REFERENCES projects
);

CREATE TABLE charges (
  account_id    text        NOT NULL REFERENCES accounts,
  charge_id     bigint      GENERATED ALWAYS AS IDENTITY,
  cents         bigint      NOT NULL CHECK (cents >= 0),
  currency      text        NOT NULL,
  reason        text        NOT NULL CHECK (reason IN ('booking', 'renewal', 'upgrade')),
  plan          text        NOT NULL,
  effective_at  timestamptz NOT NULL,
  period_start  timestamptz NOT NULL,
  period_end    timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL,
  PRIMARY KEY (account_id, charge_id)
);
CREATE TRIGGER charges_append_only BEFORE UPDATE OR DELETE ON charges
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Events, written in the same transaction as their cause; delivered by polling and webhooks.
CREATE TABLE outbox_events (
  account_id    text        NOT NULL,
  event_id      bigint      GENERATED ALWAYS AS IDENTITY,
  type          text        NOT NULL,
  data          jsonb       NOT NULL,
  effective_at  timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL,
  PRIMARY KEY (account_id, event_id)
);
CREATE INDEX outbox_events_order ON outbox_events (event_id);
