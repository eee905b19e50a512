package io.credits.store;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Read-only queries that find accounts for an operator ({@code credits accounts}, the operator
 * page). They return ids; the figures come from the engine's reading of each account, so they are
 * the balance API's figures.
 */
public final class OperatorQueries {
    /** The most ids one query returns. */
    public static final int LIMIT_MAX = 1_000;
    /** The longest search text. */
    public static final int SEARCH_LENGTH_MAX = 200;

    private OperatorQueries() {}

    /** Accounts whose id or name contains {@code text} (any case; null or empty: all), by id, at most {@code limit}. */
    public static List<String> search(DataSource ds, String text, int limit) {
        checkLimit(limit);
        String t = text == null || text.isEmpty() ? null : text;
        if (t != null && t.length() > SEARCH_LENGTH_MAX)
            throw new IllegalArgumentException("search text must be at most " + SEARCH_LENGTH_MAX + " characters: " + t.length());
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT account_id FROM accounts
                     WHERE ? IS NULL OR account_id ILIKE '%' || ? || '%' OR name ILIKE '%' || ? || '%'
                     ORDER BY account_id LIMIT ?""")) {
            // The text is matched literally: % and _ are no wildcards here.
            String like = t == null ? null : t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            ps.setString(1, like);
            ps.setString(2, like);
            ps.setString(3, like);
            ps.setInt(4, limit);
            return ids(ps);
        } catch (SQLException e) {
            throw new StoreException("cannot search accounts", e);
        }
    }

    /**
     * Accounts that may be under their low threshold now, at most {@code limit}: those whose stored
     * credits are under it (their own threshold, else the one {@code defaultThresholds} gives for
     * their AI plan), and those with something due by {@code now} (an expiry or a renewal not yet
     * written can move them either way). The caller reads each to decide; the first kind come first.
     */
    public static List<String> lowCandidates(DataSource ds, Map<String, Long> defaultThresholds, Instant now, int limit) {
        checkLimit(limit);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT a.account_id FROM accounts a
                     LEFT JOIN unnest(?::text[], ?::bigint[]) AS t(plan, threshold) ON t.plan = a.ai_plan
                     CROSS JOIN LATERAL (SELECT coalesce(sum(g.remaining), 0) AS available FROM grants g
                                         WHERE g.account_id = a.account_id AND NOT g.closed) g
                     WHERE g.available < coalesce(a.low_threshold, t.threshold, 0) OR a.next_due_at <= ?
                     ORDER BY g.available < coalesce(a.low_threshold, t.threshold, 0) DESC, a.account_id
                     LIMIT ?""")) {
            Array plans = c.createArrayOf("text", defaultThresholds.keySet().toArray());
            Array thresholds = c.createArrayOf("bigint", defaultThresholds.values().toArray());
            ps.setArray(1, plans);
            ps.setArray(2, thresholds);
            ps.setTimestamp(3, AccountStore.ts(now));
            ps.setInt(4, limit);
            return ids(ps);
        } catch (SQLException e) {
            throw new StoreException("cannot find accounts low on credits", e);
        }
    }

    private static List<String> ids(PreparedStatement ps) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > LIMIT_MAX) throw new IllegalArgumentException("limit must be 1.." + LIMIT_MAX + ": " + limit);
    }
}
