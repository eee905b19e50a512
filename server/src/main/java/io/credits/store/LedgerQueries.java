package io.credits.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Read-only queries behind the explanations: the ledger entries of an account, newest first. */
public final class LedgerQueries {
    /** The most entries one page may hold. */
    public static final int PAGE_MAX = 500;

    public record EntryRow(long entryId, Long grantSeq, String type, String cause, long credits, Instant effectiveAt,
                           Instant recordedAt, String ref, String userId, String projectId, String feature) {}

    private LedgerQueries() {}

    /** Entries older than {@code beforeId} (or the newest when null), at most {@code limit}. */
    public static List<EntryRow> entries(DataSource ds, String account, Long beforeId, int limit) {
        try (Connection c = ds.getConnection()) {
            return entries(c, account, beforeId, limit);
        } catch (SQLException e) {
            throw new StoreException("cannot read the ledger of " + account, e);
        }
    }

    /** The same on the caller's connection, so it reads in the caller's snapshot. */
    public static List<EntryRow> entries(Connection c, String account, Long beforeId, int limit) throws SQLException {
        if (limit < 1 || limit > PAGE_MAX) throw new IllegalArgumentException("limit must be 1.." + PAGE_MAX + ": " + limit);
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT * FROM ledger_entries WHERE account_id = ? AND entry_id < ?
                ORDER BY entry_id DESC LIMIT ?""")) {
            ps.setString(1, account);
            ps.setLong(2, beforeId == null ? Long.MAX_VALUE : beforeId);
            ps.setInt(3, limit);
            List<EntryRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long g = rs.getLong("grant_seq");
                    out.add(new EntryRow(rs.getLong("entry_id"), rs.wasNull() ? null : g, rs.getString("type"),
                            rs.getString("cause"), rs.getLong("credits"), AccountStore.instant(rs, "effective_at"),
                            AccountStore.instant(rs, "recorded_at"), rs.getString("ref"), rs.getString("user_id"),
                            rs.getString("project_id"), rs.getString("feature")));
                }
            }
            return out;
        }
    }
}
