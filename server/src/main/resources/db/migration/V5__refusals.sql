-- Refused uses and holds, for the operator page's "recent refusals" (io.credits.store.RefusalLog).
-- A refusal changes no credits, so the ledger has no trace of it, and the events tell only of
-- insufficient credits: this table keeps every refused spend with its code. Written by the engine
-- in the transaction of the batch that refused it (nothing is written when nothing is refused).
-- Requests refused before an account is found (bad input, an unknown account or project) are not
-- kept: there is no account to show them under.
CREATE TABLE refusals (
  account_id   text        NOT NULL,
  refusal_id   bigint      GENERATED ALWAYS AS IDENTITY,
  refused_at   timestamptz NOT NULL,
  code         text        NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
  user_id      text,
  project_id   text,
  feature      text,
  detail       text        NOT NULL CHECK (length(detail) <= 500),
  PRIMARY KEY (account_id, refusal_id)
);
-- The newest first, over every account.
CREATE INDEX refusals_recent ON refusals (refusal_id);
