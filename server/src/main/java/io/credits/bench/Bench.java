package io.credits.bench;

import io.credits.account.Actor;
import io.credits.account.Command;
import io.credits.account.Outcome;
import io.credits.catalog.Catalog;
import io.credits.store.Engine;
import io.credits.store.Engine.Request;
import io.credits.store.Engine.Target;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Durable uses per second, measured: Credits' engine beside a naive implementation (one
 * transaction per use with a row lock, same schema), on the same database in the same run.
 * Closed loop: each client sends a use and waits for its commit before the next.
 */
public final class Bench {
    public record Settings(int accounts, int clients, Duration warmup, Duration measure) {}

    private final DataSource ds;
    private final Catalog catalog;
    private final Settings settings;
    private final Consumer<String> progress;

    public Bench(DataSource ds, Catalog catalog, Settings settings, Consumer<String> progress) {
        this.ds = ds;
        this.catalog = catalog;
        this.settings = settings;
        this.progress = progress;
    }

    /** Credits and the naive way, spread and on one hot account, at the settings' concurrency. */
    public List<Results.Measurement> run(int lanes) throws Exception {
        List<Results.Measurement> out = new ArrayList<>();
        try (Engine engine = new Engine(ds, catalog, Clock.systemUTC(), ZoneOffset.UTC, lanes)) {
            List<String> spread = setUp(engine, settings.accounts(), "bench-", progress);
            List<String> hot = List.of(spread.getFirst());
            IntFunction<ClosedLoop.Client> credits = i -> credits(engine);
            IntFunction<ClosedLoop.Client> naive = i -> naive(ds);
            Map<String, Long> params = Map.of("accounts", (long) spread.size());
            int c = settings.clients();
            out.add(measure("credits", "spread", c, params, credits, spread, settings.warmup(), settings.measure(), progress));
            out.add(measure("naive", "spread", c, params, naive, spread, settings.warmup(), settings.measure(), progress));
            out.add(measure("credits", "hot", c, params, credits, hot, settings.warmup(), settings.measure(), progress));
            out.add(measure("naive", "hot", c, params, naive, hot, settings.warmup(), settings.measure(), progress));
        }
        return out;
    }

    /**
     * {@code n} accounts named {@code prefix0, prefix1, ...} on the largest AI plan with a large
     * manual grant, so nobody runs out during a run; made through the engine, as a client would.
     */
    public static List<String> setUp(Engine engine, int n, String prefix, Consumer<String> progress) {
        progress.accept("setting up " + n + " accounts...");
        Catalog catalog = engine.catalog();
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<Outcome>> pending = new ArrayList<>();
        String plan = catalog.aiPlans().values().stream().reduce((a, b) -> b).orElseThrow().name();
        for (int i = 0; i < n; i++) {
            String id = prefix + i;
            ids.add(id);
            pending.add(engine.submit(new Request(new Target.OfAccount(id, true), new Command.BookAiPlan(plan), "book")));
            pending.add(engine.submit(new Request(new Target.OfAccount(id, true),
                    new Command.ManualGrant(1_000_000_000L, java.util.Optional.empty(), "benchmark", "bench"), "grant")));
            if (pending.size() >= 20_000) {
                pending.forEach(CompletableFuture::join);
                pending.clear();
            }
        }
        pending.forEach(f -> {
            if (!(f.join() instanceof Outcome.Done)) throw new IllegalStateException("set-up refused: " + f.join());
        });
        return ids;
    }

    /** A client of the engine in this process: one use of generate_page (10 credits), answered after its commit. */
    public static ClosedLoop.Client credits(Engine engine) {
        return (account, key) -> switch (engine.execute(new Request(new Target.OfAccount(account, false),
                new Command.Use(Actor.owner(account), "generate_page", 1), key))) {
            case Outcome.Done d -> null;
            case Outcome.Refused r -> r.code().code() + ": " + r.detail();
        };
    }

    /** A client of the naive way: a connection from the pool per use. */
    public static ClosedLoop.Client naive(DataSource ds) {
        return (account, key) -> naiveUse(ds, account, key);
    }

    /**
     * Write transactions begun in the database cluster so far (transaction ids given out, exact and
     * at once, unlike the statistics views): read before and after a figure, it tells how many uses
     * one transaction carried, i.e. how well the batching worked.
     */
    public static long commits(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT txid_current()");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A warm-up run, then the measured run, of {@code concurrency} clients; reported as it ends. */
    public static Results.Measurement measure(String system, String workload, int concurrency, Map<String, Long> params,
                                              IntFunction<ClosedLoop.Client> clients, List<String> accounts,
                                              Duration warmup, Duration length, Consumer<String> progress)
            throws Exception {
        String name = system + ", " + workload + ", " + concurrency + " clients";
        if (!warmup.isZero()) ClosedLoop.run(clients, accounts, concurrency, warmup);
        ClosedLoop.Run run = ClosedLoop.run(clients, accounts, concurrency, length);
        Results.Measurement m = Results.Measurement.of(system, workload, concurrency, params, run);
        progress.accept(String.format("%s %s: %,d uses/s, p50 %,d us, p99 %,d us, p99.9 %,d us", name, params,
                m.usesPerSecond(), m.p50Micros(), m.p99Micros(), m.p999Micros()));
        if (run.failed() > 0)
            progress.accept("  (" + run.failed() + " uses refused or failed; the first: " + run.firstFailure() + ")");
        return m;
    }

    /**
     * The naive way: per use one transaction that locks the account's grant row, takes the credits,
     * and writes the same ledger entry, use and idempotency key rows as Credits does.
     */
    private static String naiveUse(DataSource ds, String account, String key) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Timestamp now = Timestamp.from(Instant.now());
                long seq;
                long remaining;
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT grant_seq, remaining FROM grants WHERE account_id = ? AND NOT closed AND kind = 'MANUAL'
                        ORDER BY grant_seq LIMIT 1 FOR UPDATE""")) {
                    ps.setString(1, account);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) return "no grant";
                        seq = rs.getLong(1);
                        remaining = rs.getLong(2);
                    }
                }
                if (remaining < 10) {
                    c.rollback();
                    return "insufficient_credits";
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE grants SET remaining = remaining - 10, used = used + 10 WHERE account_id = ? AND grant_seq = ?")) {
                    ps.setString(1, account);
                    ps.setLong(2, seq);
                    ps.executeUpdate();
                }
                String useId = "naive-" + key;
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO ledger_entries (account_id, grant_seq, type, cause, credits, effective_at, recorded_at, ref, user_id, feature)
                        VALUES (?, ?, 'USE', 'use', 10, ?, ?, ?, ?, 'generate_page')""")) {
                    ps.setString(1, account);
                    ps.setLong(2, seq);
                    ps.setTimestamp(3, now);
                    ps.setTimestamp(4, now);
                    ps.setString(5, useId);
                    ps.setString(6, account);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO uses (account_id, use_id, credits, portions, effective_at, user_id, feature)
                        VALUES (?, ?, 10, ?, ?, ?, 'generate_page')""")) {
                    ps.setString(1, account);
                    ps.setString(2, useId);
                    ps.setString(3, seq + ":10");
                    ps.setTimestamp(4, now);
                    ps.setString(5, account);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO idempotency_keys (account_id, idem_key, request_hash, answer, created_at) VALUES (?, ?, '', '', ?)""")) {
                    ps.setString(1, account);
                    ps.setString(2, key);
                    ps.setTimestamp(3, now);
                    ps.executeUpdate();
                }
                c.commit();
                return null;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
