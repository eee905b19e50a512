package io.credits.store;

import io.credits.account.Account;
import io.credits.account.AccountState;
import io.credits.account.Ids;
import io.credits.catalog.Catalog;
import io.credits.hold.Hold;
import io.credits.ledger.Grant;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the billing page shows, read in one snapshot (one REPEATABLE READ, read-only
 * transaction), so the figures summed from rows agree with the balance computed from the same rows.
 *
 * <p>The balance is computed as {@link Engine#read} computes it: the stored account, its live grants
 * and open holds, brought up to {@code now} in memory. Usage is summed from {@code uses} over one
 * range of the index {@code uses_by_time (account_id, effective_at)}, never the whole history.
 *
 * <p>Which uses count is decided by number, as {@code used_this_period} is (decision 9b): those
 * numbered above the account's {@code usageFromSeq}. Numbers and instants rise together within an
 * account (every request of an account runs under its lock, after everything due before it), so
 * every use after the instant of thing number {@code usageFromSeq} counts, none before it does, and
 * only the uses at that very instant are told apart by their number.
 */
public final class BillingQueries {
    /** The most ledger entries one page shows. */
    public static final int ENTRIES_PAGE_MAX = 200;
    /** The most charges shown, newest first (a monthly plan makes about twelve a year). */
    public static final int CHARGES_MAX = 500;
    /** The most days the usage chart covers; earlier usage is summed apart. */
    public static final int CHART_DAYS_MAX = 366;

    /** Usage of one feature, user or project; {@code key} is null for "none" (no feature, no project). */
    public record Group(String key, long uses, long credits) {}

    /** Usage of one local calendar day. */
    public record Day(LocalDate day, long uses, long credits) {}

    /**
     * The uses counted in {@code used_this_period}, summed.
     *
     * @param days             one row per day of the chart, in order, zeros included
     * @param creditsOffChart  credits of counted uses outside the chart's days (usage before the
     *                         period shown, as after a cancellation)
     * @param countedAfter     counted uses are those after this instant (and some at it); null: all
     */
    public record Usage(List<Day> days, long usesOffChart, long creditsOffChart, List<Group> byFeature,
                        List<Group> byUser, List<Group> byProject, long uses, long credits, Instant countedAfter) {}

    public record ChargeRow(long chargeId, long cents, String currency, String reason, String plan, Instant effectiveAt,
                            Instant periodStart, Instant periodEnd) {}

    /**
     * @param account       the account brought up to {@code now} in memory, as the balance API sees it
     * @param due           whether the stored account had something due by {@code now}: its entries
     *                      are then not yet in the ledger, and a caller that shows them catches up first
     * @param entries       one page of ledger entries, newest first
     * @param entriesBefore the cursor of the next (older) page, or null when this is the last
     */
    public record Snapshot(Account account, Instant now, boolean due, LocalDate chartFrom, LocalDate chartTo,
                           Usage usage, List<LedgerQueries.EntryRow> entries, Long entriesBefore,
                           List<ChargeRow> charges, boolean moreCharges) {}

    private BillingQueries() {}

    /**
     * The account as of {@code now} with its usage, one page of its ledger (entries before
     * {@code entriesBefore}, or the newest) and its charges; empty when there is no such account.
     */
    public static Optional<Snapshot> read(DataSource ds, Catalog catalog, String accountId, Instant now,
                                          Long entriesBefore, int entriesLimit) {
        if (entriesLimit < 1 || entriesLimit > ENTRIES_PAGE_MAX)
            throw new IllegalArgumentException("entriesLimit must be 1.." + ENTRIES_PAGE_MAX + ": " + entriesLimit);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                return snapshot(c, catalog, accountId, now, entriesBefore, entriesLimit);
            } finally {
                Transactions.endReadOnly(c); // the pool restores auto-commit when the connection returns
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the billing of " + accountId, e);
        }
    }

    private static Optional<Snapshot> snapshot(Connection c, Catalog catalog, String accountId, Instant now,
                                               Long entriesBefore, int entriesLimit) throws SQLException {
        AccountState stored = AccountStore.loadAccounts(c, List.of(accountId), false).get(accountId);
        if (stored == null) return Optional.empty();
        List<Grant> grants = AccountStore.loadActiveGrants(c, List.of(accountId)).getOrDefault(accountId, List.of());
        List<Hold> holds = AccountStore.loadOpenHolds(c, List.of(accountId)).getOrDefault(accountId, List.of());
        Account account = Account.restore(catalog, stored, grants, holds, List.of(), List.of());
        account.advanceTo(now);
        boolean due = stored.nextDueAt() != null && !stored.nextDueAt().isAfter(now);

        ZoneId zone = account.zone();
        LocalDate[] range = chartRange(account, zone, now);
        Usage usage = usage(c, accountId, account.state().usageFromSeq(), stored.lastSeq(), zone, range[0], range[1]);
        Page page = entries(c, accountId, entriesBefore, entriesLimit);
        List<ChargeRow> charges = charges(c, accountId, CHARGES_MAX + 1);
        boolean moreCharges = charges.size() > CHARGES_MAX;
        if (moreCharges) charges = charges.subList(0, CHARGES_MAX);
        return Optional.of(new Snapshot(account, now, due, range[0], range[1], usage, page.rows, page.before,
                List.copyOf(charges), moreCharges));
    }

    /**
     * The days the chart covers, {@code [from, to)}: the AI plan's period; without one, the main
     * plan's period; without either, the last 30 days. At most {@link #CHART_DAYS_MAX} days.
     */
    static LocalDate[] chartRange(Account account, ZoneId zone, Instant now) {
        var b = account.balance();
        LocalDate from, to;
        if (b.periodStart() != null) {
            from = b.periodStart().atZone(zone).toLocalDate();
            // A period that ends at 14:37 covers part of its last day: that day is on the chart.
            to = b.periodEnd().minusNanos(1).atZone(zone).toLocalDate().plusDays(1);
        } else {
            to = now.atZone(zone).toLocalDate().plusDays(1);
            from = to.minusDays(30);
        }
        if (ChronoUnit.DAYS.between(from, to) > CHART_DAYS_MAX) from = to.minusDays(CHART_DAYS_MAX);
        return new LocalDate[]{from, to};
    }

    // ---------------------------------------------------------------- usage

    private static Usage usage(Connection c, String accountId, long fromSeq, long storedLastSeq, ZoneId zone,
                               LocalDate from, LocalDate to) throws SQLException {
        Sums sums = new Sums(from, to);
        Instant after = null;
        // Counting started after everything stored (a renewal brought about in memory only): no use counts yet.
        if (fromSeq < storedLastSeq) {
            if (fromSeq > 0) after = instantOf(c, accountId, fromSeq);
            List<String> thresholds = new ArrayList<>();
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) thresholds.add(d.atStartOfDay(zone).toInstant().toString());
            grouped(c, accountId, after, thresholds, sums);
            if (after != null) atInstant(c, accountId, after, fromSeq, zone, sums);
        }
        return sums.usage(after);
    }

    /** When thing number {@code seq} of the account (a grant, a use or a hold) came into being. */
    private static Instant instantOf(Connection c, String accountId, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT created_at FROM grants WHERE account_id = ? AND grant_seq = ?
                UNION ALL SELECT effective_at FROM uses WHERE account_id = ? AND use_id = ?
                UNION ALL SELECT created_at FROM holds WHERE account_id = ? AND hold_id = ?""")) {
            ps.setString(1, accountId);
            ps.setLong(2, seq);
            ps.setString(3, accountId);
            ps.setString(4, Ids.of("use", accountId, seq));
            ps.setString(5, accountId);
            ps.setString(6, Ids.of("hold", accountId, seq));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next())
                    throw new IllegalStateException("account " + accountId + " has no grant, use or hold number " + seq);
                return instant(rs, 1);
            }
        }
    }

    /**
     * Sums of the uses after {@code after} (all when null), by day, feature, user and project, in one
     * scan. The day thresholds are a subquery so they are cast once: a cast of text to timestamptz
     * depends on the session's time zone, so PostgreSQL does not fold it and would cast the whole
     * array again for every row (a million-use account: 1 s instead of 40 ms).
     */
    private static void grouped(Connection c, String accountId, Instant after, List<String> thresholds, Sums sums)
            throws SQLException {
        String sql = """
                SELECT GROUPING(bucket), GROUPING(feature), GROUPING(user_id), bucket, feature, user_id, project_id,
                       count(*), coalesce(sum(credits), 0)
                FROM (SELECT width_bucket(effective_at, (SELECT ?::text[]::timestamptz[])) AS bucket, feature, user_id,
                             project_id, credits
                      FROM uses WHERE account_id = ? AND refunded_at IS NULL%s) u
                GROUP BY GROUPING SETS ((bucket), (feature), (user_id), (project_id))"""
                .formatted(after == null ? "" : " AND effective_at > ?");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", thresholds.toArray()));
            ps.setString(2, accountId);
            if (after != null) ps.setObject(3, OffsetDateTime.ofInstant(after, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long uses = rs.getLong(8), credits = rs.getLong(9);
                    if (rs.getInt(1) == 0) sums.bucket(rs.getInt(4), uses, credits);
                    else if (rs.getInt(2) == 0) sums.feature(rs.getString(5), uses, credits);
                    else if (rs.getInt(3) == 0) sums.user(rs.getString(6), uses, credits);
                    else sums.project(rs.getString(7), uses, credits);
                }
            }
        }
    }

    /** The uses at the very instant counting started again, told apart by their number. */
    private static void atInstant(Connection c, String accountId, Instant at, long fromSeq, ZoneId zone, Sums sums)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT use_id, credits, feature, user_id, project_id FROM uses
                WHERE account_id = ? AND effective_at = ? AND refunded_at IS NULL""")) {
            ps.setString(1, accountId);
            ps.setObject(2, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            LocalDate day = at.atZone(zone).toLocalDate();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = Ids.parse("use", rs.getString(1)).map(Ids.Parsed::seq).orElse(0L);
                    if (seq <= fromSeq) continue;
                    long credits = rs.getLong(2);
                    sums.day(day, 1, credits);
                    sums.feature(rs.getString(3), 1, credits);
                    sums.user(rs.getString(4), 1, credits);
                    sums.project(rs.getString(5), 1, credits);
                }
            }
        }
    }

    /** Adds up usage rows; days outside the chart are summed apart. */
    private static final class Sums {
        final LocalDate from;
        final long[] dayUses, dayCredits;
        long offUses, offCredits;
        final Map<String, long[]> features = new HashMap<>(), users = new HashMap<>(), projects = new HashMap<>();

        Sums(LocalDate from, LocalDate to) {
            this.from = from;
            int n = (int) ChronoUnit.DAYS.between(from, to);
            dayUses = new long[n];
            dayCredits = new long[n];
        }

        /** width_bucket: 0 before the first threshold, i for [t_i, t_i+1), n + 1 after the last. */
        void bucket(int bucket, long uses, long credits) {
            if (bucket >= 1 && bucket <= dayUses.length) {
                dayUses[bucket - 1] += uses;
                dayCredits[bucket - 1] += credits;
            } else {
                offUses += uses;
                offCredits += credits;
            }
        }

        void day(LocalDate day, long uses, long credits) {
            bucket((int) ChronoUnit.DAYS.between(from, day) + 1, uses, credits);
        }

        void feature(String key, long uses, long credits) {
            add(features, key, uses, credits);
        }

        void user(String key, long uses, long credits) {
            add(users, key, uses, credits);
        }

        void project(String key, long uses, long credits) {
            add(projects, key, uses, credits);
        }

        private static void add(Map<String, long[]> m, String key, long uses, long credits) {
            long[] v = m.computeIfAbsent(key, k -> new long[2]);
            v[0] += uses;
            v[1] += credits;
        }

        Usage usage(Instant after) {
            List<Day> days = new ArrayList<>();
            long uses = offUses, credits = offCredits;
            for (int i = 0; i < dayUses.length; i++) {
                days.add(new Day(from.plusDays(i), dayUses[i], dayCredits[i]));
                uses += dayUses[i];
                credits += dayCredits[i];
            }
            return new Usage(List.copyOf(days), offUses, offCredits, groups(features), groups(users), groups(projects),
                    uses, credits, after);
        }

        /** Most credits first, then most uses, then by name ("none" last). */
        private static List<Group> groups(Map<String, long[]> m) {
            List<Group> out = new ArrayList<>();
            m.forEach((k, v) -> out.add(new Group(k, v[0], v[1])));
            out.sort(Comparator.comparingLong(Group::credits).reversed()
                    .thenComparing(Comparator.comparingLong(Group::uses).reversed())
                    .thenComparing(Group::key, Comparator.nullsLast(Comparator.naturalOrder())));
            return List.copyOf(out);
        }
    }

    // ---------------------------------------------------------------- ledger and charges

    private record Page(List<LedgerQueries.EntryRow> rows, Long before) {}

    private static Page entries(Connection c, String accountId, Long before, int limit) throws SQLException {
        List<LedgerQueries.EntryRow> rows = LedgerQueries.entries(c, accountId, before, limit + 1);
        if (rows.size() <= limit) return new Page(List.copyOf(rows), null);
        List<LedgerQueries.EntryRow> page = List.copyOf(rows.subList(0, limit));
        return new Page(page, page.getLast().entryId());
    }

    private static List<ChargeRow> charges(Connection c, String accountId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT charge_id, cents, currency, reason, plan, effective_at, period_start, period_end
                FROM charges WHERE account_id = ? ORDER BY charge_id DESC LIMIT ?""")) {
            ps.setString(1, accountId);
            ps.setInt(2, limit);
            List<ChargeRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.add(new ChargeRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), instant(rs, 6), instant(rs, 7), instant(rs, 8)));
            }
            return out;
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
