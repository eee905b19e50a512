package io.credits.web;

import io.credits.account.Command;
import io.credits.store.BillingQueries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test: measurements, run by hand (docs/billing.md has the figures and the commands); the
 * name keeps it out of the suite. One account with about a million uses over a year, then the page
 * of its current period, with and without the index {@code uses_by_time}; and what that index
 * costs each use row written.
 */
@EnabledIfSystemProperty(named = "credits.bench", matches = "true")
class BillingLongHistoryBench extends BillingFixture {
    static final int USES_PER_DAY = Integer.getInteger("credits.bench.usesPerDay", 2_740);

    @Test
    void pageOfAnAccountWithAMillionUses() throws Exception {
        clock.set(Instant.parse("2025-01-01T00:00:00Z"));
        openAccount("big", ZoneOffset.UTC, "T10000");
        owner("big", new Command.ManualGrant(20_000_000, Optional.empty(), "bench", "bench"));
        long t0 = System.nanoTime();
        Instant day = Instant.parse("2025-01-01T09:00:00Z");
        while (day.isBefore(Instant.parse("2026-01-20T00:00:00Z"))) {
            clock.set(day);
            use("big", "vibe_coding", USES_PER_DAY);
            day = day.plus(Duration.ofDays(1));
        }
        long buildMillis = (System.nanoTime() - t0) / 1_000_000;
        clock.set(Instant.parse("2026-01-20T12:00:00Z"));
        long entries = count("SELECT count(*) FROM ledger_entries WHERE account_id = ?", "big");
        try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("VACUUM ANALYZE uses");
            s.execute("VACUUM ANALYZE ledger_entries");
        }
        Map<String, String> q = link("big");
        String withIndex = measure(q);
        dropIndex();
        String withoutIndex = measure(q);
        System.out.printf("BENCH entries=%d usesPerDay=%d build=%d ms%n  with uses_by_time: %s%n  without: %s%n",
                entries, USES_PER_DAY, buildMillis, withIndex, withoutIndex);
    }

    /**
     * What the index costs a write: the same rows inserted into {@code uses} (key and uses_by_time)
     * and into a copy of it with its key only, alternately, the best of five rounds each.
     */
    @Test
    void indexCostPerUseRow() throws Exception {
        int rows = Integer.getInteger("credits.bench.rows", 200_000);
        try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("CREATE TABLE uses_plain (LIKE uses INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            s.execute("ALTER TABLE uses_plain ADD PRIMARY KEY (account_id, use_id)");
            long best = Long.MAX_VALUE, bestPlain = Long.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                for (String table : List.of("uses", "uses_plain")) {
                    String sql = """
                            INSERT INTO %s (account_id, use_id, credits, portions, effective_at, user_id, feature)
                            SELECT 'acct_' || (i %% 10000), 'use_r%d_' || i, 10, '1:10',
                                   timestamptz '2026-01-01' + i * interval '1 second', 'u', 'vibe_coding'
                            FROM generate_series(1, %d) i""".formatted(table, round, rows);
                    long t = System.nanoTime();
                    s.execute(sql);
                    long ms = (System.nanoTime() - t) / 1_000_000;
                    if (table.equals("uses")) best = Math.min(best, ms);
                    else bestPlain = Math.min(bestPlain, ms);
                }
            }
            System.out.printf("BENCH insert %d use rows: key + uses_by_time %d ms, key only %d ms (%.2f µs a row more)%n",
                    rows, best, bestPlain, (best - bestPlain) * 1000.0 / rows);
        }
    }

    void dropIndex() throws Exception {
        try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("DROP INDEX uses_by_time");
        }
    }

    String measure(Map<String, String> q) {
        for (int i = 0; i < 5; i++) assertThat(get("big", q).status()).isEqualTo(200);
        List<Long> page = new ArrayList<>(), queries = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            long t = System.nanoTime();
            WebResponse r = get("big", q);
            page.add((System.nanoTime() - t) / 1_000);
            assertThat(r.status()).isEqualTo(200);
            t = System.nanoTime();
            BillingQueries.read(db.dataSource(), engine.catalog(), "big", clock.instant(), null, 50);
            queries.add((System.nanoTime() - t) / 1_000);
        }
        Collections.sort(page);
        Collections.sort(queries);
        return "page p50 %.1f ms, max %.1f ms; queries p50 %.1f ms".formatted(page.get(10) / 1000.0,
                page.getLast() / 1000.0, queries.get(10) / 1000.0);
    }
}
