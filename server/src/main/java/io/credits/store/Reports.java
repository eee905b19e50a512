package io.credits.store;

import io.credits.project.Role;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Read-only queries behind the API's reports: usage totals, charges, a project's members. They
 * read committed rows and change nothing.
 */
public final class Reports {
    /** The most charges one page may hold. */
    public static final int PAGE_MAX = 500;
    /** Usage is summed in buckets of this many seconds, then grouped into local days by the caller. */
    public static final int USAGE_BUCKET_SECONDS = 900;

    private Reports() {}

    /** What uses are grouped by; {@link #DAY} is summed by {@link #usageBuckets} instead. */
    public enum UsageGroup {
        DAY, FEATURE, USER, PROJECT;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<UsageGroup> parse(String s) {
            for (UsageGroup g : values()) if (g.code().equals(s)) return Optional.of(g);
            return Optional.empty();
        }
    }

    /** One group: its key (null for uses outside any project), credits and number of uses. */
    public record UsageRow(String key, long credits, long uses) {}

    /** Credits and uses in one quarter-hour, starting at {@code start} (UTC). */
    public record UsageBucket(Instant start, long credits, long uses) {}

    public record ChargeRow(long id, long cents, String currency, String reason, String plan, Instant effectiveAt,
                            Instant periodStart, Instant periodEnd, Instant recordedAt) {}

    /** Sums of the uses in {@code [from, to)} that were not refunded, by feature, user or project. */
    public static List<UsageRow> usage(DataSource ds, String account, Instant from, Instant to, UsageGroup group) {
        String column = switch (group) {
            case FEATURE -> "feature";
            case USER -> "user_id";
            case PROJECT -> "project_id";
            case DAY -> throw new IllegalArgumentException("usage by day is summed from usageBuckets");
        };
        String sql = "SELECT " + column + " AS k, sum(credits), count(*) FROM uses"
                + " WHERE account_id = ? AND refunded_at IS NULL AND effective_at >= ? AND effective_at < ?"
                + " GROUP BY k ORDER BY k NULLS LAST";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, account, from, to);
            List<UsageRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new UsageRow(rs.getString(1), rs.getLong(2), rs.getLong(3)));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot sum the usage of " + account, e);
        }
    }

    /**
     * Usage in quarter-hour buckets (every time zone's offset is a multiple of 15 minutes), so the
     * caller can group them into the account's local days without the database knowing its zones.
     */
    public static List<UsageBucket> usageBuckets(DataSource ds, String account, Instant from, Instant to) {
        String sql = "SELECT floor(extract(epoch FROM effective_at) / " + USAGE_BUCKET_SECONDS + ")::bigint AS b,"
                + " sum(credits), count(*) FROM uses"
                + " WHERE account_id = ? AND refunded_at IS NULL AND effective_at >= ? AND effective_at < ?"
                + " GROUP BY b ORDER BY b";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, account, from, to);
            List<UsageBucket> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.add(new UsageBucket(Instant.ofEpochSecond(rs.getLong(1) * USAGE_BUCKET_SECONDS), rs.getLong(2),
                            rs.getLong(3)));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot sum the usage of " + account, e);
        }
    }

    /** Charges older than {@code beforeId} (or the newest when null), newest first, at most {@code limit}. */
    public static List<ChargeRow> charges(DataSource ds, String account, Long beforeId, int limit) {
        if (limit < 1 || limit > PAGE_MAX) throw new IllegalArgumentException("limit must be 1.." + PAGE_MAX + ": " + limit);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT * FROM charges WHERE account_id = ? AND charge_id < ?
                     ORDER BY charge_id DESC LIMIT ?""")) {
            ps.setString(1, account);
            ps.setLong(2, beforeId == null ? Long.MAX_VALUE : beforeId);
            ps.setInt(3, limit);
            List<ChargeRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.add(new ChargeRow(rs.getLong("charge_id"), rs.getLong("cents"), rs.getString("currency"),
                            rs.getString("reason"), rs.getString("plan"), instant(rs, "effective_at"),
                            instant(rs, "period_start"), instant(rs, "period_end"), instant(rs, "recorded_at")));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read the charges of " + account, e);
        }
    }

    /** The role of a user in a project owned by {@code account}; empty for the owner and strangers. */
    public static Optional<Role> memberRole(DataSource ds, String account, String project, String user) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT role FROM project_members WHERE account_id = ? AND project_id = ? AND user_id = ?")) {
            ps.setString(1, account);
            ps.setString(2, project);
            ps.setString(3, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Role.valueOf(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the members of project " + project, e);
        }
    }

    /** The account's time zone; empty when there is no such account. */
    public static Optional<ZoneId> accountZone(DataSource ds, String account) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT time_zone FROM accounts WHERE account_id = ?")) {
            ps.setString(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(ZoneId.of(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read account " + account, e);
        }
    }

    /** Rows in the outbox, for the metrics. */
    public static long outboxSize(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout(2);
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM outbox_events")) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot count the outbox", e);
        }
    }

    private static void bind(PreparedStatement ps, String account, Instant from, Instant to) throws SQLException {
        ps.setString(1, account);
        ps.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        ps.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
