package io.credits.bench;

import io.credits.account.Command;
import io.credits.account.Outcome;
import io.credits.catalog.CatalogLoader;
import io.credits.store.Engine;
import io.credits.store.Engine.Request;
import io.credits.store.Engine.Target;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.LongStream;

/**
 * How Credits holds up as it grows ({@code bench --growth}): uses per second and latency against
 * the number of accounts, the size of the ledger and the number of live grants per account; then
 * the month-end catch-up of every account, all of them idle and due at once.
 *
 * <p>Accounts are made in bulk, not one request at a time: one template account is made through
 * the engine (an AI plan booked ten days ago, so its period ends in about three weeks, and a
 * large manual grant), and its rows in every table are copied server-side with
 * {@code INSERT ... SELECT ... FROM generate_series} under new ids, which is as fast as COPY and
 * needs no data to cross the wire. Each step adds to what the last one made, so the database only
 * grows during a run, as a real one does.
 */
public final class Growth {
    public record Settings(List<Integer> accounts, List<Long> ledgerEntries, List<Integer> grantsPerAccount,
                           int concurrency, Duration warmup, Duration measure, int lanes, boolean catchUp) {}

    /** What a growth run found: closed-loop figures and one-off timings (bulk loads, the catch-up). */
    public record Found(List<Results.Measurement> measurements, List<Results.Timing> timings) {}

    /** The steps, in the order they run. */
    public static final List<String> STEPS = List.of("accounts", "ledger", "grants", "catch-up");
    static final String TEMPLATE = "growth-template";
    /** Accounts of the accounts and ledger steps: g-1, g-2, ... */
    static final String PREFIX = "g-";
    /** Accounts of the grants step, apart so their many grants do not weigh on the others. */
    static final String GRANTS_PREFIX = "gg-";
    static final int GRANTS_ACCOUNTS = 1_000;
    /** The ledger step spreads its entries, and its load, over this many accounts. */
    static final int LEDGER_ACCOUNTS = 10_000;
    /** Tables that hold an account's rows, parents first; their identity columns are left to the database. */
    static final List<String> TABLES = List.of("accounts", "subscriptions", "grants", "ledger_entries", "charges",
            "outbox_events", "idempotency_keys");
    private static final int CHUNK = 50_000;

    private final DataSource ds;
    private final Settings settings;
    private final Consumer<String> progress;
    private final Instant booked = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(10));
    private final List<Results.Measurement> measurements = new ArrayList<>();
    private final List<Results.Timing> timings = new ArrayList<>();

    public Growth(DataSource ds, Settings settings, Consumer<String> progress) {
        this.ds = ds;
        this.settings = settings;
        this.progress = progress;
    }

    public Found run() throws Exception {
        makeTemplate();
        try (Engine engine = new Engine(ds, CatalogLoader.defaultCatalog(), Clock.systemUTC(), ZoneOffset.UTC,
                settings.lanes())) {
            long made = 0;
            for (int n : settings.accounts().stream().sorted().toList()) {
                made = bulkAccounts(PREFIX, made, n);
                measure(engine, "spread", ids(PREFIX, n), Map.of("accounts", (long) n));
            }
            if (!settings.ledgerEntries().isEmpty()) ledgerStep(engine, made);
            if (!settings.grantsPerAccount().isEmpty()) grantsStep(engine);
        }
        if (settings.catchUp()) catchUp();
        return new Found(measurements, timings);
    }

    // ---------------------------------------------------------------- the steps

    /** Uses over the first accounts while the ledger grows by bulk-appended uses of theirs. */
    private void ledgerStep(Engine engine, long accountsMade) throws Exception {
        int n = (int) Math.min(LEDGER_ACCOUNTS, accountsMade);
        if (n == 0) n = (int) bulkAccounts(PREFIX, 0, LEDGER_ACCOUNTS);
        List<String> accounts = ids(PREFIX, n);
        long entries = count("ledger_entries");
        for (long target : settings.ledgerEntries().stream().sorted().toList()) {
            if (target > entries) {
                appendUses(n, entries, target - entries);
                entries = count("ledger_entries");
            }
            measure(engine, "spread", accounts, Map.of("accounts", (long) n, "ledgerEntries", entries));
        }
    }

    /** Uses over accounts of their own with more and more live grants, spread and on one of them. */
    private void grantsStep(Engine engine) throws Exception {
        bulkAccounts(GRANTS_PREFIX, 0, GRANTS_ACCOUNTS);
        List<String> accounts = ids(GRANTS_PREFIX, GRANTS_ACCOUNTS);
        int live = liveGrants(accounts.getFirst());
        for (int target : settings.grantsPerAccount().stream().sorted().toList()) {
            if (target > live) {
                addGrants(target - live);
                live = liveGrants(accounts.getFirst());
            }
            Map<String, Long> params = Map.of("accounts", (long) GRANTS_ACCOUNTS, "grantsPerAccount", (long) live);
            measure(engine, "spread", accounts, params);
            measure(engine, "hot", List.of(accounts.getFirst()), params);
        }
    }

    /**
     * The month-end: a day after every period ended, bring all accounts up to date as
     * {@code credits catch-up} does (the same engine call, its default batch and lanes).
     */
    private void catchUp() {
        Instant monthEnd = booked.atZone(ZoneOffset.UTC).plusMonths(1).plusDays(1).toInstant();
        Clock later = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), monthEnd));
        long due = countWhere("accounts", "next_due_at <= '" + Timestamp.from(monthEnd) + "+00'");
        progress.accept("catch-up: " + due + " accounts due; running...");
        long start = System.nanoTime();
        long[] last = {start};
        long n;
        try (Engine engine = new Engine(ds, CatalogLoader.defaultCatalog(), later, ZoneOffset.UTC, 4)) {
            n = engine.catchUp(1_000, done -> {
                if (System.nanoTime() - last[0] > 10_000_000_000L) {
                    last[0] = System.nanoTime();
                    progress.accept(String.format("catch-up: %,d accounts (%.0f/s)", done, done / ((last[0] - start) / 1e9)));
                }
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.accept(String.format("catch-up: %,d accounts in %.1f s (%,.0f/s)", n, seconds, n / seconds));
        timings.add(new Results.Timing("catch-up", n, seconds));
    }

    private void measure(Engine engine, String workload, List<String> accounts, Map<String, Long> params) throws Exception {
        // The JIT compiles what runs often: without a longer first warm-up, the first step would measure the interpreter.
        Duration warmup = measurements.isEmpty() ? Duration.ofSeconds(Math.max(5, 3 * settings.warmup().toSeconds()))
                : settings.warmup();
        measurements.add(Bench.measure("credits", workload, settings.concurrency(), params, i -> Bench.credits(engine),
                accounts, warmup, settings.measure(), progress));
    }

    // ---------------------------------------------------------------- bulk loading

    /** The template account, through the engine as a client would make it, on the day its plan was booked. */
    private void makeTemplate() {
        progress.accept("growth: making the template account (AI plan booked " + booked + ")...");
        Clock then = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), booked));
        try (Engine engine = new Engine(ds, CatalogLoader.defaultCatalog(), then, ZoneOffset.UTC, 1)) {
            Target t = new Target.OfAccount(TEMPLATE, true);
            for (Command c : List.of(new Command.BookAiPlan("T10000"),
                    new Command.ManualGrant(1_000_000_000_000L, Optional.empty(), "benchmark", "bench"))) {
                Outcome o = engine.execute(new Request(t, c, null));
                if (!(o instanceof Outcome.Done)) throw new IllegalStateException("template refused: " + o);
            }
        }
    }

    /** Copies the template to accounts {@code prefix(from+1) .. prefix(to)}; returns {@code to}. */
    private long bulkAccounts(String prefix, long from, long to) throws SQLException {
        if (to <= from) return from;
        progress.accept(String.format("growth: loading accounts %s%d .. %s%d...", prefix, from + 1, prefix, to));
        long start = System.nanoTime();
        try (Connection c = ds.getConnection()) {
            List<String> inserts = new ArrayList<>();
            for (String table : TABLES) inserts.add(copyOfTemplate(c, table));
            for (long lo = from + 1; lo <= to; lo += CHUNK) {
                long hi = Math.min(to, lo + CHUNK - 1);
                c.setAutoCommit(false);
                for (String sql : inserts) {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setString(1, prefix);
                        ps.setLong(2, lo);
                        ps.setLong(3, hi);
                        ps.setString(4, TEMPLATE);
                        ps.executeUpdate();
                    }
                }
                c.commit();
                c.setAutoCommit(true);
            }
            analyze(c);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.accept(String.format("growth: %,d accounts loaded in %.1f s", to - from, seconds));
        timings.add(new Results.Timing("bulk load of accounts " + prefix + (from + 1) + ".." + prefix + to, to - from, seconds));
        return to;
    }

    /**
     * {@code INSERT INTO t (cols) SELECT ? || i, cols... FROM t, generate_series(?, ?) i WHERE account_id = ?}
     * over the table's columns, leaving out identity columns (the database numbers those).
     */
    static String copyOfTemplate(Connection c, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = ? AND is_identity = 'NO'
                ORDER BY ordinal_position""")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) columns.add(rs.getString(1));
            }
        }
        if (!columns.contains("account_id")) throw new IllegalStateException(table + " has no account_id");
        String select = String.join(", ", columns.stream()
                .map(col -> col.equals("account_id") ? "?::text || i" : "t." + col).toList());
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") SELECT " + select + " FROM " + table
                + " t, generate_series(?::bigint, ?::bigint) i WHERE t.account_id = ?";
    }

    /**
     * Appends {@code count} uses to the ledger, round-robin over the first {@code accounts}
     * accounts: a ledger entry, a use row and an idempotency key each, as a use writes.
     * (The grants' balances are left as they are: these rows are ballast for size, not spending.)
     */
    private void appendUses(int accounts, long already, long count) throws SQLException {
        progress.accept(String.format("growth: appending %,d uses to the ledger...", count));
        long start = System.nanoTime();
        String account = "?::text || (1 + i % ?)";
        String series = " FROM generate_series(?::bigint, ?::bigint) i";
        try (Connection c = ds.getConnection()) {
            long manual = manualGrantSeq(c);
            Timestamp at = Timestamp.from(Instant.now());
            for (long lo = already; lo < already + count; lo += 10L * CHUNK) {
                long hi = Math.min(already + count, lo + 10L * CHUNK) - 1;
                c.setAutoCommit(false);
                try (PreparedStatement entries = c.prepareStatement("INSERT INTO ledger_entries (account_id, grant_seq, "
                        + "type, cause, credits, effective_at, recorded_at, ref, user_id, feature) SELECT " + account
                        + ", " + manual + ", 'USE', 'use', 10, ?, ?, 'bulk-' || i, " + account + ", 'generate_page'" + series);
                     PreparedStatement uses = c.prepareStatement("INSERT INTO uses (account_id, use_id, credits, portions, "
                             + "effective_at, user_id, feature) SELECT " + account + ", 'bulk-' || i, 10, '" + manual
                             + ":10', ?, " + account + ", 'generate_page'" + series);
                     PreparedStatement keys = c.prepareStatement("INSERT INTO idempotency_keys (account_id, idem_key, "
                             + "request_hash, answer, created_at) SELECT " + account + ", 'bulk-' || i, '', '', ?" + series)) {
                    bind(entries, PREFIX, accounts, at, at, PREFIX, accounts, lo, hi);
                    bind(uses, PREFIX, accounts, at, PREFIX, accounts, lo, hi);
                    bind(keys, PREFIX, accounts, at, lo, hi);
                    entries.executeUpdate();
                    uses.executeUpdate();
                    keys.executeUpdate();
                }
                c.commit();
                c.setAutoCommit(true);
            }
            analyze(c);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.accept(String.format("growth: %,d uses appended in %.1f s", count, seconds));
        timings.add(new Results.Timing("bulk append of uses to the ledger", count, seconds));
    }

    private static void bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) ps.setObject(i + 1, values[i]);
    }

    /** Gives every account of the grants step {@code extra} more manual grants, numbered after its last sequence. */
    private void addGrants(int extra) throws SQLException {
        progress.accept("growth: adding " + extra + " grants to each of " + GRANTS_ACCOUNTS + " accounts...");
        long start = System.nanoTime();
        String ours = " WHERE a.account_id LIKE ? || '%'";
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            long manual = manualGrantSeq(c);
            try (PreparedStatement grants = c.prepareStatement("""
                    INSERT INTO grants (account_id, grant_seq, kind, priority, granted, remaining, held, used, expired,
                                        carried_out, closed, created_at, expires_at, reason)
                    SELECT a.account_id, a.last_seq + k, g.kind, g.priority, g.granted, g.granted, 0, 0, 0, 0, false,
                           g.created_at, g.expires_at, g.reason
                    FROM accounts a JOIN grants g ON g.account_id = ? AND g.grant_seq = ?
                    CROSS JOIN generate_series(1, ?) k""" + ours);
                 PreparedStatement entries = c.prepareStatement("""
                    INSERT INTO ledger_entries (account_id, grant_seq, type, cause, credits, effective_at, recorded_at)
                    SELECT a.account_id, a.last_seq + k, 'GRANT', 'manual', g.granted, g.created_at, now()
                    FROM accounts a JOIN grants g ON g.account_id = ? AND g.grant_seq = ?
                    CROSS JOIN generate_series(1, ?) k""" + ours);
                 PreparedStatement seqs = c.prepareStatement("UPDATE accounts a SET last_seq = last_seq + ?" + ours)) {
                bind(grants, TEMPLATE, manual, extra, GRANTS_PREFIX);
                bind(entries, TEMPLATE, manual, extra, GRANTS_PREFIX);
                bind(seqs, extra, GRANTS_PREFIX);
                grants.executeUpdate();
                entries.executeUpdate();
                seqs.executeUpdate();
            }
            c.commit();
            c.setAutoCommit(true);
            analyze(c);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        timings.add(new Results.Timing("bulk add of " + extra + " grants per account", (long) extra * GRANTS_ACCOUNTS, seconds));
    }

    // ---------------------------------------------------------------- small queries

    private long manualGrantSeq(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT grant_seq FROM grants WHERE account_id = ? AND kind = 'MANUAL' ORDER BY grant_seq LIMIT 1")) {
            ps.setString(1, TEMPLATE);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("the template has no manual grant");
                return rs.getLong(1);
            }
        }
    }

    private int liveGrants(String account) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM grants WHERE account_id = ? AND NOT closed")) {
            ps.setString(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private long count(String table) throws SQLException {
        return countWhere(table, "true");
    }

    private long countWhere(String table, String condition) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table + " WHERE " + condition)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count " + table, e);
        }
    }

    /**
     * Fresh planner statistics (a table that grew a thousandfold since its last ANALYZE gets poor
     * plans), and a checkpoint, so the next figure does not pay for flushing the bulk load.
     */
    private static void analyze(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("ANALYZE");
            try {
                st.execute("CHECKPOINT");
            } catch (SQLException notSuperuser) {
                // On a database given by URL the role may not checkpoint: the figures are then less even.
            }
        }
    }

    static List<String> ids(String prefix, long n) {
        return LongStream.rangeClosed(1, n).mapToObj(i -> prefix + i).toList();
    }
}
