-- API keys (API.md, "Authentication"). Global, not per account: a key is the host application's,
-- and the host acts for every account it names. Only the SHA-256 of a key is kept; the key itself
-- is shown once, when it is made.
CREATE TABLE api_keys (
  key_id      text        PRIMARY KEY CHECK (key_id ~ '^key_[A-Za-z0-9_-]{1,64}$'),
  name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  scope       text        NOT NULL CHECK (scope IN ('admin', 'spend', 'read')),
  key_hash    text        NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  created_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  CHECK (revoked_at IS NULL OR revoked_at >= created_at)
);
