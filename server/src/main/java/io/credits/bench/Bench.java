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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Durable uses per second, measured: Credits' engine beside a naive implementation (one
 * transaction per use with a row lock, same schema), on the same database in the same run.
 * Closed loop: each client sends a use and waits for its commit before the next.
 */
public final class Bench {
    /** One measured workload. */
    public record Figure(String engine, String workload, int clients, long uses, double seconds, long p50Micros,
                         long p99Micros) {
        public long usesPerSecond() {
            return Math.round(uses / seconds);
        }
    }

    /** The per-use operation under test: returns true when the use was charged. */
    interface Spender {
        /** Null when the use was charged, else why not. */
        String spend(String account, String key) throws Exception;
    }

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

    public List<Figure> run(int lanes) throws Exception {
        List<Figure> out = new ArrayList<>();
        try (Engine engine = new Engine(ds, catalog, Clock.systemUTC(), ZoneOffset.UTC, lanes)) {
            List<String> spread = setUp(engine);
            String hot = spread.getFirst();
            Spender credits = (account, key) -> switch (engine.execute(new Request(new Target.OfAccount(account, false),
                    new Command.Use(Actor.owner(account), "generate_page", 1), key))) {
                case Outcome.Done d -> null;
                case Outcome.Refused r -> r.code().code() + ": " + r.detail();
            };
            Spender naive = this::naiveUse;
            out.add(measure("credits", "spread over " + spread.size() + " accounts", credits, spread));
            out.add(measure("naive", "spread over " + spread.size() + " accounts", naive, spread));
            out.add(measure("credits", "one hot account", credits, List.of(hot)));
            out.add(measure("naive", "one hot account", naive, List.of(hot)));
        }
        return out;
    }

    /** Accounts on the largest plan with a large manual grant, so nobody runs out during the run. */
    private List<String> setUp(Engine engine) {
        progress.accept("setting up " + settings.accounts() + " accounts...");
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<Outcome>> pending = new ArrayList<>();
        String plan = catalog.aiPlans().values().stream().reduce((a, b) -> b).orElseThrow().name();
        for (int i = 0; i < settings.accounts(); i++) {
            String id = "bench-" + i;
            ids.add(id);
            pending.add(engine.submit(new Request(new Target.OfAccount(id, true), new Command.BookAiPlan(plan), "book")));
            pending.add(engine.submit(new Request(new Target.OfAccount(id, true),
                    new Command.ManualGrant(1_000_000_000L, java.util.Optional.empty(), "benchmark", "bench"), "grant")));
        }
        pending.forEach(CompletableFuture::join);
        return ids;
    }

    private Figure measure(String name, String workload, Spender spender, List<String> accounts) throws Exception {
        progress.accept(name + ", " + workload + ": warming up " + settings.warmup().toSeconds() + " s...");
        drive(spender, accounts, settings.warmup(), null);
        progress.accept(name + ", " + workload + ": measuring " + settings.measure().toSeconds() + " s...");
        List<long[]> latencies = new ArrayList<>();
        long start = System.nanoTime();
        long uses = drive(spender, accounts, settings.measure(), latencies);
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).toArray();
        Arrays.sort(all);
        Figure f = new Figure(name, workload, settings.clients(), uses, seconds, percentile(all, 0.50) / 1000,
                percentile(all, 0.99) / 1000);
        progress.accept(String.format("%s, %s: %,d uses/s, p50 %d us, p99 %d us", name, workload, f.usesPerSecond(),
                f.p50Micros(), f.p99Micros()));
        return f;
    }

    /** Runs the clients until the deadline; returns the uses charged. Latencies per client when asked. */
    private long drive(Spender spender, List<String> accounts, Duration length, List<long[]> latencies) throws Exception {
        long deadline = System.nanoTime() + length.toNanos();
        AtomicLong charged = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        List<long[]> perClient = new ArrayList<>();
        for (int c = 0; c < settings.clients(); c++) {
            long[][] box = {new long[1 << 14]};
            int[] n = {0};
            int client = c;
            threads.add(Thread.ofVirtual().start(() -> {
                java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
                long i = 0;
                while (System.nanoTime() < deadline) {
                    String account = accounts.get(accounts.size() == 1 ? 0 : rnd.nextInt(accounts.size()));
                    long t0 = System.nanoTime();
                    try {
                        String why = spender.spend(account, "b-" + client + "-" + System.nanoTime() + "-" + (i++));
                        if (why == null) charged.incrementAndGet();
                        else {
                            failures.incrementAndGet();
                            firstFailure.compareAndSet(null, why);
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, e.toString());
                    }
                    if (latencies != null) {
                        if (n[0] == box[0].length) box[0] = Arrays.copyOf(box[0], n[0] * 2);
                        box[0][n[0]++] = System.nanoTime() - t0;
                    }
                }
                synchronized (perClient) {
                    perClient.add(Arrays.copyOf(box[0], n[0]));
                }
            }));
        }
        for (Thread t : threads) t.join();
        if (latencies != null) latencies.addAll(perClient);
        if (failures.get() > 0)
            progress.accept("  (" + failures.get() + " uses refused or failed; the first: " + firstFailure.get() + ")");
        return charged.get();
    }

    /**
     * The naive way: per use one transaction that locks the account's grant row, takes the credits,
     * and writes the same ledger entry, use and idempotency key rows as Credits does.
     */
    private String naiveUse(String account, String key) throws SQLException {
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

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.min(sorted.length - 1, Math.floor(p * sorted.length));
        return sorted[i];
    }
}
