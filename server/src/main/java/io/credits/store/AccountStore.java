package io.credits.store;

import io.credits.account.Account;
import io.credits.account.AccountState;
import io.credits.account.Changes;
import io.credits.account.Charge;
import io.credits.account.Event;
import io.credits.account.UseRecord;
import io.credits.hold.Hold;
import io.credits.hold.HoldStatus;
import io.credits.ledger.Entry;
import io.credits.ledger.Grant;
import io.credits.ledger.GrantKind;
import io.credits.ledger.Portion;
import io.credits.period.Period;
import io.credits.plan.AiSubscription;
import io.credits.plan.MainPlan;
import io.credits.plan.Term;
import io.credits.project.Project;
import io.credits.project.Role;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL of loading and writing accounts, many at once: one statement per table for a whole
 * batch of accounts, so a batch costs a handful of round trips whatever its size.
 * Every method runs on the caller's connection and transaction.
 */
public final class AccountStore {
    private AccountStore() {}

    // ---------------------------------------------------------------- accounts

    /**
     * Inserts the rows of new accounts, as they come into being at their first mention; {@link #write}
     * then sets their state. Fails on an account that exists: the caller must not overwrite it.
     */
    public static void insertNew(Connection c, Collection<String> ids, ZoneId zone, Instant now) throws SQLException {
        if (ids.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO accounts (account_id, time_zone, used_this_period, usage_from_seq, charged_cents, last_seq,
                                      created_at, caught_up_to, updated_at)
                SELECT id, ?, 0, 0, 0, 0, ?, ?, ? FROM unnest(?::text[]) AS t(id)""")) {
            Timestamp ts = ts(now);
            ps.setString(1, zone.getId());
            ps.setTimestamp(2, ts);
            ps.setTimestamp(3, ts);
            ps.setTimestamp(4, ts);
            ps.setArray(5, textArray(c, ids));
            ps.executeUpdate();
        }
    }

    private static final String ACCOUNTS = "SELECT * FROM accounts WHERE account_id = ANY(?) ORDER BY account_id";
    /** Locks in id order, so two processes never deadlock. */
    static final String LOCK_ACCOUNTS = ACCOUNTS + " FOR UPDATE";
    static final String ACTIVE_GRANTS = "SELECT * FROM grants WHERE account_id = ANY(?) AND (NOT closed OR held > 0)";
    static final String OPEN_HOLDS = "SELECT * FROM holds WHERE account_id = ANY(?) AND status = 'OPEN'";

    /** Loads accounts, locking their rows in id order when asked. */
    public static Map<String, AccountState> loadAccounts(Connection c, Collection<String> ids, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(lock ? LOCK_ACCOUNTS : ACCOUNTS)) {
            ps.setArray(1, textArray(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                return accounts(rs);
            }
        }
    }

    static Map<String, AccountState> accounts(ResultSet rs) throws SQLException {
        Map<String, AccountState> out = new HashMap<>();
        while (rs.next()) out.put(rs.getString("account_id"), account(rs));
        return out;
    }

    private static AccountState account(ResultSet rs) throws SQLException {
        MainPlan main = rs.getString("main_plan") == null ? null
                : new MainPlan(rs.getString("main_plan"), Term.valueOf(rs.getString("main_term")), instant(rs, "main_anchor"));
        AiSubscription ai = rs.getString("ai_plan") == null ? null
                : new AiSubscription(rs.getString("ai_plan"), rs.getString("ai_next_plan"), instant(rs, "ai_anchor"),
                new Period(instant(rs, "period_start"), instant(rs, "period_end"), rs.getInt("period_days")),
                instant(rs, "ai_booked_at"));
        long low = rs.getLong("low_threshold");
        Long lowThreshold = rs.wasNull() ? null : low;
        return new AccountState(rs.getString("account_id"), rs.getString("name"), ZoneId.of(rs.getString("time_zone")),
                main, ai, rs.getLong("used_this_period"), rs.getLong("usage_from_seq"), rs.getLong("charged_cents"),
                rs.getLong("last_seq"), lowThreshold, instant(rs, "created_at"), instant(rs, "caught_up_to"),
                instant(rs, "next_due_at"));
    }

    // ---------------------------------------------------------------- grants, holds, uses, projects

    /** The grants a unit of work may touch: live ones, and ended ones that still have credits in holds. */
    public static Map<String, List<Grant>> loadActiveGrants(Connection c, Collection<String> ids) throws SQLException {
        return grants(c, ACTIVE_GRANTS, ps -> ps.setArray(1, textArray(c, ids)));
    }

    /** Grants by number, for refunds of uses whose grants have ended. */
    public static Map<String, List<Grant>> loadGrants(Connection c, String account, Collection<Long> seqs) throws SQLException {
        return grants(c, "SELECT * FROM grants WHERE account_id = ? AND grant_seq = ANY(?)", ps -> {
            ps.setString(1, account);
            ps.setArray(2, c.createArrayOf("bigint", seqs.toArray()));
        });
    }

    private static Map<String, List<Grant>> grants(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return grants(rs);
            }
        }
    }

    static Map<String, List<Grant>> grants(ResultSet rs) throws SQLException {
        Map<String, List<Grant>> out = new HashMap<>();
        while (rs.next()) {
            Grant g = Grant.restore(rs.getLong("grant_seq"), GrantKind.valueOf(rs.getString("kind")),
                    rs.getInt("priority"), instant(rs, "created_at"), instant(rs, "expires_at"), rs.getString("reason"),
                    rs.getLong("granted"), rs.getLong("remaining"), rs.getLong("held"), rs.getLong("used"),
                    rs.getLong("expired"), rs.getLong("carried_out"), rs.getBoolean("closed"));
            out.computeIfAbsent(rs.getString("account_id"), k -> new ArrayList<>()).add(g);
        }
        return out;
    }

    public static Map<String, List<Hold>> loadOpenHolds(Connection c, Collection<String> ids) throws SQLException {
        return holds(c, OPEN_HOLDS, ps -> ps.setArray(1, textArray(c, ids)));
    }

    public static Map<String, List<Hold>> loadHolds(Connection c, String account, Collection<String> holdIds) throws SQLException {
        return holds(c, "SELECT * FROM holds WHERE account_id = ? AND hold_id = ANY(?)", ps -> {
            ps.setString(1, account);
            ps.setArray(2, textArray(c, holdIds));
        });
    }

    private static Map<String, List<Hold>> holds(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return holds(rs);
            }
        }
    }

    static Map<String, List<Hold>> holds(ResultSet rs) throws SQLException {
        Map<String, List<Hold>> out = new HashMap<>();
        while (rs.next()) {
            Hold h = new Hold(rs.getString("hold_id"), rs.getLong("credits"), portions(rs.getString("portions")),
                    instant(rs, "created_at"), instant(rs, "expires_at"), HoldStatus.valueOf(rs.getString("status")),
                    rs.getLong("captured_credits"), instant(rs, "closed_at"), rs.getString("user_id"),
                    rs.getString("project_id"), rs.getString("feature"));
            out.computeIfAbsent(rs.getString("account_id"), k -> new ArrayList<>()).add(h);
        }
        return out;
    }

    public static List<UseRecord> loadUses(Connection c, String account, Collection<String> useIds) throws SQLException {
        List<UseRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM uses WHERE account_id = ? AND use_id = ANY(?)")) {
            ps.setString(1, account);
            ps.setArray(2, textArray(c, useIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString("use_id");
                    out.add(new UseRecord(id, io.credits.account.Ids.parse("use", id).map(p -> p.seq()).orElse(0L),
                            rs.getLong("credits"), portions(rs.getString("portions")), instant(rs, "effective_at"),
                            rs.getString("user_id"), rs.getString("project_id"), rs.getString("feature"),
                            rs.getString("hold_id"), instant(rs, "refunded_at")));
                }
            }
        }
        return out;
    }

    /** Projects by id, whoever owns them, with their members. */
    public static Map<String, Project> loadProjects(Connection c, Collection<String> projectIds) throws SQLException {
        Map<String, String> owners = new HashMap<>();
        Map<String, Map<String, Role>> members = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT p.project_id, p.account_id, m.user_id, m.role FROM projects p
                LEFT JOIN project_members m ON m.account_id = p.account_id AND m.project_id = p.project_id
                WHERE p.project_id = ANY(?)""")) {
            ps.setArray(1, textArray(c, projectIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String pid = rs.getString(1);
                    owners.put(pid, rs.getString(2));
                    Map<String, Role> m = members.computeIfAbsent(pid, k -> new HashMap<>());
                    if (rs.getString(3) != null) m.put(rs.getString(3), Role.valueOf(rs.getString(4)));
                }
            }
        }
        Map<String, Project> out = new HashMap<>();
        owners.forEach((pid, acc) -> out.put(pid, new Project(pid, acc, members.get(pid))));
        return out;
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes what the accounts decided: entries, projections, money, events, plan history. The
     * rows every use writes (entries, uses, grants, accounts) join {@code writes}, sent in one round
     * trip by the caller; the rarer ones (new grants and holds, charges, events) go now, before them.
     */
    public static void write(Connection c, Collection<Account> accounts, Map<String, AccountState> before,
                             Instant recordedAt, Pipeline writes) throws SQLException {
        Timestamp rec = ts(recordedAt);
        Columns entries = new Columns(11);
        Columns newUse = new Columns(10);
        try (PreparedStatement newGrant = c.prepareStatement("""
                INSERT INTO grants (account_id, grant_seq, kind, priority, granted, remaining, held, used, expired,
                                    carried_out, closed, created_at, expires_at, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""");
             PreparedStatement newHold = c.prepareStatement("""
                INSERT INTO holds (account_id, hold_id, credits, portions, created_at, expires_at, status,
                                   captured_credits, closed_at, user_id, project_id, feature) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""");
             PreparedStatement changedHold = c.prepareStatement("""
                UPDATE holds SET status = ?, captured_credits = ?, closed_at = ? WHERE account_id = ? AND hold_id = ?""");
             PreparedStatement changedUse = c.prepareStatement(
                     "UPDATE uses SET refunded_at = ? WHERE account_id = ? AND use_id = ?");
             PreparedStatement charges = c.prepareStatement("""
                INSERT INTO charges (account_id, cents, currency, reason, plan, effective_at, period_start, period_end,
                                     recorded_at) VALUES (?,?,?,?,?,?,?,?,?)""");
             PreparedStatement events = c.prepareStatement("""
                INSERT INTO outbox_events (account_id, type, data, effective_at, recorded_at) VALUES (?,?,?::jsonb,?,?)""")) {
            for (Account a : accounts) {
                Changes ch = a.changes();
                String acc = a.id();
                for (Entry e : ch.entries)
                    entries.add(acc, e.grantSeq() > 0 ? e.grantSeq() : null, e.type().name(), e.cause().code(),
                            e.credits(), e.effectiveAt(), recordedAt, e.ref(), e.userId(), e.projectId(), e.feature());
                for (long seq : ch.newGrants) {
                    Grant g = a.grant(seq);
                    newGrant.setString(1, acc);
                    newGrant.setLong(2, g.seq);
                    newGrant.setString(3, g.kind.name());
                    newGrant.setInt(4, g.priority);
                    newGrant.setLong(5, g.granted());
                    newGrant.setLong(6, g.remaining());
                    newGrant.setLong(7, g.held());
                    newGrant.setLong(8, g.used());
                    newGrant.setLong(9, g.expired());
                    newGrant.setLong(10, g.carriedOut());
                    newGrant.setBoolean(11, g.closed());
                    newGrant.setTimestamp(12, ts(g.createdAt));
                    newGrant.setTimestamp(13, ts(g.expiresAt));
                    newGrant.setString(14, g.reason);
                    newGrant.addBatch();
                }
                for (Hold h : ch.holds.values()) {
                    if (ch.newHolds.contains(h.id())) {
                        newHold.setString(1, acc);
                        newHold.setString(2, h.id());
                        newHold.setLong(3, h.credits());
                        newHold.setString(4, portions(h.portions()));
                        newHold.setTimestamp(5, ts(h.createdAt()));
                        newHold.setTimestamp(6, ts(h.expiresAt()));
                        newHold.setString(7, h.status().name());
                        newHold.setLong(8, h.capturedCredits());
                        newHold.setTimestamp(9, ts(h.closedAt()));
                        newHold.setString(10, h.userId());
                        newHold.setString(11, h.projectId());
                        newHold.setString(12, h.feature());
                        newHold.addBatch();
                    } else {
                        changedHold.setString(1, h.status().name());
                        changedHold.setLong(2, h.capturedCredits());
                        changedHold.setTimestamp(3, ts(h.closedAt()));
                        changedHold.setString(4, acc);
                        changedHold.setString(5, h.id());
                        changedHold.addBatch();
                    }
                }
                for (UseRecord u : ch.uses.values()) {
                    if (ch.newUses.contains(u.id())) {
                        newUse.add(acc, u.id(), u.credits(), portions(u.portions()), u.at(), u.userId(), u.projectId(),
                                u.feature(), u.holdId(), u.refundedAt());
                    } else {
                        changedUse.setTimestamp(1, ts(u.refundedAt()));
                        changedUse.setString(2, acc);
                        changedUse.setString(3, u.id());
                        changedUse.addBatch();
                    }
                }
                for (Charge ch2 : ch.charges) {
                    charges.setString(1, acc);
                    charges.setLong(2, ch2.cents());
                    charges.setString(3, ch2.currency());
                    charges.setString(4, ch2.reason());
                    charges.setString(5, ch2.plan());
                    charges.setTimestamp(6, ts(ch2.effectiveAt()));
                    charges.setTimestamp(7, ts(ch2.periodStart()));
                    charges.setTimestamp(8, ts(ch2.periodEnd()));
                    charges.setTimestamp(9, rec);
                    charges.addBatch();
                }
                for (Event ev : ch.events) {
                    events.setString(1, acc);
                    events.setString(2, ev.type());
                    events.setString(3, Json.write(ev.data()));
                    events.setTimestamp(4, ts(ev.at()));
                    events.setTimestamp(5, rec);
                    events.addBatch();
                }
            }
            newGrant.executeBatch();
            newHold.executeBatch();
            changedHold.executeBatch();
            changedUse.executeBatch();
            charges.executeBatch();
            events.executeBatch();
        }
        writeProjects(c, accounts, recordedAt);
        updateGrants(accounts, writes);
        writes.add("""
                INSERT INTO ledger_entries (account_id, grant_seq, type, cause, credits, effective_at, recorded_at, ref,
                                            user_id, project_id, feature)
                SELECT account_id, grant_seq, type, cause, credits, effective_at, recorded_at, ref, user_id, project_id,
                       feature
                FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::timestamptz[],
                            ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY
                  AS v(account_id, grant_seq, type, cause, credits, effective_at, recorded_at, ref, user_id,
                       project_id, feature, n)
                ORDER BY n""", entries, "text", "bigint", "text", "text", "bigint", "text", "text", "text", "text", "text",
                "text");
        writes.add("""
                INSERT INTO uses (account_id, use_id, credits, portions, effective_at, user_id, project_id, feature,
                                  hold_id, refunded_at)
                SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::timestamptz[], ?::text[],
                                     ?::text[], ?::text[], ?::text[], ?::timestamptz[])""", newUse,
                "text", "text", "bigint", "text", "text", "text", "text", "text", "text", "text");
        writeAccounts(c, accounts, before, recordedAt, writes);
    }

    private static void writeProjects(Connection c, Collection<Account> accounts, Instant now) throws SQLException {
        boolean any = accounts.stream().anyMatch(a -> !a.changes().projects.isEmpty());
        if (!any) return;
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO projects (account_id, project_id, created_at) VALUES (?,?,?)");
             PreparedStatement clear = c.prepareStatement(
                     "DELETE FROM project_members WHERE account_id = ? AND project_id = ?");
             PreparedStatement member = c.prepareStatement(
                     "INSERT INTO project_members (account_id, project_id, user_id, role) VALUES (?,?,?,?)")) {
            for (Account a : accounts) {
                Changes ch = a.changes();
                for (Project p : ch.projects.values()) {
                    if (ch.newProjects.contains(p.id())) {
                        insert.setString(1, a.id());
                        insert.setString(2, p.id());
                        insert.setTimestamp(3, ts(now));
                        insert.addBatch();
                    }
                    clear.setString(1, a.id());
                    clear.setString(2, p.id());
                    clear.addBatch();
                    for (var m : p.members().entrySet()) {
                        member.setString(1, a.id());
                        member.setString(2, p.id());
                        member.setString(3, m.getKey());
                        member.setString(4, m.getValue().name());
                        member.addBatch();
                    }
                }
            }
            insert.executeBatch();
            clear.executeBatch();
            member.executeBatch();
        }
    }

    /** One statement for all changed grants of the batch: a statement per row costs far more. */
    private static void updateGrants(Collection<Account> accounts, Pipeline writes) {
        Columns v = new Columns(8);
        for (Account a : accounts)
            for (long seq : a.changes().changedGrants) {
                Grant g = a.grant(seq);
                v.add(a.id(), seq, g.remaining(), g.held(), g.used(), g.expired(), g.carriedOut(), g.closed());
            }
        writes.add("""
                UPDATE grants g SET remaining = v.remaining, held = v.held, used = v.used, expired = v.expired,
                                    carried_out = v.carried_out, closed = v.closed
                FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
                            ?::boolean[])
                  AS v(account_id, grant_seq, remaining, held, used, expired, carried_out, closed)
                WHERE g.account_id = v.account_id AND g.grant_seq = v.grant_seq""",
                v, "text", "bigint", "bigint", "bigint", "bigint", "bigint", "bigint", "boolean");
    }

    /** The accounts' rows in one statement, and a history row where a plan changed. */
    private static void writeAccounts(Connection c, Collection<Account> accounts, Map<String, AccountState> before,
                                      Instant now, Pipeline writes) throws SQLException {
        Columns v = new Columns(21);
        try (PreparedStatement history = c.prepareStatement("""
                INSERT INTO subscriptions (account_id, main_plan, main_term, main_anchor, ai_plan, ai_next_plan, ai_anchor,
                                           period_start, period_end, effective_at, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)""")) {
            for (Account a : accounts) {
                AccountState s = a.state();
                MainPlan m = s.main();
                AiSubscription ai = s.ai();
                v.add(s.id(), s.name(), s.zone().getId(), m == null ? null : m.plan(), m == null ? null : m.term().name(),
                        m == null ? null : m.anchor(), ai == null ? null : ai.plan(), ai == null ? null : ai.nextPlan(),
                        ai == null ? null : ai.anchor(), ai == null ? null : ai.period().start(),
                        ai == null ? null : ai.period().end(),
                        ai == null ? null : Math.toIntExact(ai.period().daysInPeriod()), ai == null ? null : ai.bookedAt(),
                        s.usedThisPeriod(), s.usageFromSeq(), s.chargedCents(), s.lastSeq(), s.lowThreshold(),
                        s.caughtUpTo(), s.nextDueAt(), now);
                AccountState b = before.get(s.id());
                if (b == null || !java.util.Objects.equals(b.main(), m) || !java.util.Objects.equals(b.ai(), ai)) {
                    history.setString(1, s.id());
                    history.setString(2, m == null ? null : m.plan());
                    history.setString(3, m == null ? null : m.term().name());
                    history.setTimestamp(4, m == null ? null : ts(m.anchor()));
                    history.setString(5, ai == null ? null : ai.plan());
                    history.setString(6, ai == null ? null : ai.nextPlan());
                    history.setTimestamp(7, ai == null ? null : ts(ai.anchor()));
                    history.setTimestamp(8, ai == null ? null : ts(ai.period().start()));
                    history.setTimestamp(9, ai == null ? null : ts(ai.period().end()));
                    history.setTimestamp(10, ts(s.caughtUpTo()));
                    history.setTimestamp(11, ts(now));
                    history.addBatch();
                }
            }
            history.executeBatch();
        }
        writes.add("""
                UPDATE accounts a SET name = v.name, time_zone = v.time_zone, main_plan = v.main_plan,
                  main_term = v.main_term, main_anchor = v.main_anchor, ai_plan = v.ai_plan,
                  ai_next_plan = v.ai_next_plan, ai_anchor = v.ai_anchor, period_start = v.period_start,
                  period_end = v.period_end, period_days = v.period_days, ai_booked_at = v.ai_booked_at,
                  used_this_period = v.used_this_period, usage_from_seq = v.usage_from_seq,
                  charged_cents = v.charged_cents, last_seq = v.last_seq, low_threshold = v.low_threshold,
                  caught_up_to = v.caught_up_to, next_due_at = v.next_due_at, updated_at = v.updated_at
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[],
                            ?::text[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::int[],
                            ?::timestamptz[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
                            ?::timestamptz[], ?::timestamptz[], ?::timestamptz[])
                  AS v(account_id, name, time_zone, main_plan, main_term, main_anchor, ai_plan, ai_next_plan,
                       ai_anchor, period_start, period_end, period_days, ai_booked_at, used_this_period,
                       usage_from_seq, charged_cents, last_seq, low_threshold, caught_up_to, next_due_at, updated_at)
                WHERE a.account_id = v.account_id""", v,
                "text", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text",
                "int", "text", "bigint", "bigint", "bigint", "bigint", "bigint", "text", "text", "text");
    }

    // ---------------------------------------------------------------- helpers

    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    static Array textArray(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
    }

    static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** Portions as {@code seq:credits,seq:credits}: compact, and read back without a JSON parser. */
    static String portions(List<Portion> portions) {
        StringBuilder sb = new StringBuilder();
        for (Portion p : portions) {
            if (!sb.isEmpty()) sb.append(',');
            sb.append(p.grantSeq()).append(':').append(p.credits());
        }
        return sb.toString();
    }

    static List<Portion> portions(String text) {
        List<Portion> out = new ArrayList<>();
        if (text == null || text.isEmpty()) return out;
        for (String part : text.split(",")) {
            int colon = part.indexOf(':');
            out.add(new Portion(Long.parseLong(part.substring(0, colon)), Long.parseLong(part.substring(colon + 1))));
        }
        return out;
    }

    static Set<Long> grantSeqs(Collection<List<Portion>> portionLists) {
        Set<Long> out = new java.util.HashSet<>();
        for (List<Portion> l : portionLists) for (Portion p : l) out.add(p.grantSeq());
        return out;
    }
}
