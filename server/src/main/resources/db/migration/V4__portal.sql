-- The billing page (io.credits.web): the secret its links are signed with, and the index its
-- usage sums read.

-- One row: 32 random bytes made by the first server that needs them (io.credits.store.PortalSecrets),
-- shared by every process on this database, so a link made by one is good on all. Kept as is: an
-- HMAC needs the key itself. Deleting the row (a new one is made) revokes every link in flight.
CREATE TABLE portal_secrets (
  secret_id   smallint    PRIMARY KEY CHECK (secret_id = 1),
  secret      bytea       NOT NULL CHECK (length(secret) = 32),
  created_at  timestamptz NOT NULL
);

-- Usage of the current period by day, feature, user and project is summed over one range of this
-- index (io.credits.store.BillingQueries), so the page costs the period's uses, not the account's
-- whole history. Its price: one more index entry for each use row written (the use path writes
-- three rows and, before this, two indexes). docs/billing.md has the figures.
CREATE INDEX uses_by_time ON uses (account_id, effective_at);
