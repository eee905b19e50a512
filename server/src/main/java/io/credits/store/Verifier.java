package io.credits.store;

import io.credits.catalog.Catalog;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reconciliation: recomputes every grant from the ledger and checks the invariants of RULES.md
 * against what the store holds. Reads one consistent snapshot; changes nothing.
 */
public final class Verifier {
    /** The most violations reported one by one; the count is always exact. */
    public static final int VIOLATIONS_LISTED_MAX = 100;

    /** What was checked (name → rows looked at) and what was wrong. */
    public record Report(Map<String, Long> checked, long violationCount, List<String> violations) {
        public boolean ok() {
            return violationCount == 0;
        }
    }

    private Verifier() {}

    public static Report verify(DataSource ds, Catalog catalog) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                return run(c, catalog);
            } finally {
                Transactions.endReadOnly(c);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot verify", e);
        }
    }

    private static Report run(Connection c, Catalog catalog) throws SQLException {
        Map<String, Long> checked = new LinkedHashMap<>();
        List<String> out = new ArrayList<>();
        long[] count = {0};
        Check check = (name, sql) -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    count[0]++;
                    if (out.size() < VIOLATIONS_LISTED_MAX) out.add(name + ": " + rs.getString(1));
                }
            }
        };
        for (String t : List.of("accounts", "grants", "ledger_entries", "holds", "uses", "charges", "idempotency_keys"))
            checked.put(t, scalar(c, "SELECT count(*) FROM " + t));

        check.run("grant differs from its ledger entries", """
                WITH sums AS (
                  SELECT account_id, grant_seq,
                    sum(credits) FILTER (WHERE type = 'GRANT') AS granted,
                    sum(CASE type WHEN 'GRANT' THEN credits WHEN 'USE' THEN -credits WHEN 'HOLD' THEN -credits
                                  WHEN 'RELEASE' THEN credits WHEN 'REFUND' THEN credits WHEN 'EXPIRE' THEN -credits
                                  WHEN 'CARRY_OUT' THEN -credits ELSE 0 END) AS remaining,
                    sum(CASE type WHEN 'HOLD' THEN credits WHEN 'CAPTURE' THEN -credits WHEN 'RELEASE' THEN -credits ELSE 0 END) AS held,
                    sum(CASE type WHEN 'USE' THEN credits WHEN 'CAPTURE' THEN credits WHEN 'REFUND' THEN -credits ELSE 0 END) AS used,
                    sum(credits) FILTER (WHERE type = 'EXPIRE') AS expired,
                    sum(credits) FILTER (WHERE type = 'CARRY_OUT') AS carried_out
                  FROM ledger_entries WHERE grant_seq IS NOT NULL GROUP BY account_id, grant_seq)
                SELECT format('%s grant %s: table %s/%s/%s/%s/%s/%s, ledger %s/%s/%s/%s/%s/%s (granted/remaining/held/used/expired/carried out)',
                  coalesce(g.account_id, s.account_id), coalesce(g.grant_seq, s.grant_seq),
                  g.granted, g.remaining, g.held, g.used, g.expired, g.carried_out,
                  s.granted, s.remaining, s.held, s.used, coalesce(s.expired, 0), coalesce(s.carried_out, 0))
                FROM grants g FULL JOIN sums s ON s.account_id = g.account_id AND s.grant_seq = g.grant_seq
                WHERE g.grant_seq IS NULL OR s.grant_seq IS NULL OR g.granted <> s.granted OR g.remaining <> s.remaining
                   OR g.held <> s.held OR g.used <> s.used OR g.expired <> coalesce(s.expired, 0)
                   OR g.carried_out <> coalesce(s.carried_out, 0)""");
        check.run("negative or unbalanced grant", """
                SELECT format('%s grant %s', account_id, grant_seq) FROM grants
                WHERE remaining < 0 OR held < 0 OR used < 0 OR expired < 0 OR carried_out < 0
                   OR granted <> remaining + held + used + expired + carried_out OR (closed AND remaining <> 0)""");
        check.run("grant still live after its expiry", """
                SELECT format('%s grant %s expired at %s, account up to date to %s', g.account_id, g.grant_seq, g.expires_at, a.caught_up_to)
                FROM grants g JOIN accounts a USING (account_id)
                WHERE NOT g.closed AND g.expires_at IS NOT NULL AND g.expires_at <= a.caught_up_to""");
        check.run("held credits of a grant differ from its open holds", """
                WITH portions AS (
                  SELECT h.account_id, split_part(p, ':', 1)::bigint AS grant_seq, split_part(p, ':', 2)::bigint AS credits
                  FROM holds h, unnest(string_to_array(h.portions, ',')) AS p WHERE h.status = 'OPEN' AND h.portions <> ''),
                per_grant AS (SELECT account_id, grant_seq, sum(credits) AS held FROM portions GROUP BY 1, 2)
                SELECT format('%s grant %s: held %s, open holds %s', g.account_id, g.grant_seq, g.held, coalesce(p.held, 0))
                FROM grants g LEFT JOIN per_grant p USING (account_id, grant_seq) WHERE g.held <> coalesce(p.held, 0)""");
        check.run("used credits of a grant differ from its uses", """
                WITH portions AS (
                  SELECT u.account_id, split_part(p, ':', 1)::bigint AS grant_seq, split_part(p, ':', 2)::bigint AS credits
                  FROM uses u, unnest(string_to_array(u.portions, ',')) AS p WHERE u.refunded_at IS NULL AND u.portions <> ''),
                per_grant AS (SELECT account_id, grant_seq, sum(credits) AS used FROM portions GROUP BY 1, 2)
                SELECT format('%s grant %s: used %s, uses %s', g.account_id, g.grant_seq, g.used, coalesce(p.used, 0))
                FROM grants g LEFT JOIN per_grant p USING (account_id, grant_seq) WHERE g.used <> coalesce(p.used, 0)""");
        check.run("a carry-over carried on", """
                SELECT format('%s grant %s', e.account_id, e.grant_seq) FROM ledger_entries e
                JOIN grants g ON g.account_id = e.account_id AND g.grant_seq = e.grant_seq
                WHERE e.type = 'CARRY_OUT' AND g.kind = 'CARRY_OVER'""");
        check.run("carry-over above the allowance of the plan it carries into", carryOverSql(catalog));
        check.run("charged cents differ from the charges", """
                SELECT format('%s: account says %s, charges sum to %s', a.account_id, a.charged_cents, coalesce(s.cents, 0))
                FROM accounts a LEFT JOIN (SELECT account_id, sum(cents) AS cents FROM charges GROUP BY 1) s USING (account_id)
                WHERE a.charged_cents <> coalesce(s.cents, 0)""");
        return new Report(checked, count[0], out);
    }

    /** Each carry-over grant against the plan renewed at the same instant (its renewal charge). */
    private static String carryOverSql(Catalog catalog) {
        StringBuilder plans = new StringBuilder("VALUES ('FREE', 0::bigint)");
        catalog.aiPlans().values().forEach(p -> {
            if (!p.isFree()) plans.append(", ('").append(p.name().replace("'", "''")).append("', ").append(p.credits()).append(")");
        });
        return """
                WITH plans(plan, credits) AS (%s)
                SELECT format('%%s grant %%s: %%s carried into %%s of %%s', g.account_id, g.grant_seq, g.granted, ch.plan, pl.credits)
                FROM grants g
                JOIN charges ch ON ch.account_id = g.account_id AND ch.effective_at = g.created_at AND ch.reason = 'renewal'
                JOIN plans pl ON pl.plan = ch.plan
                WHERE g.kind = 'CARRY_OVER' AND g.granted > pl.credits""".formatted(plans);
    }

    private interface Check {
        void run(String name, String sql) throws SQLException;
    }

    private static long scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
