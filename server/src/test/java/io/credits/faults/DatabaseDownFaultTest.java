package io.credits.faults;

import io.credits.sdk.CreditsClient;
import io.credits.sdk.CreditsException;
import io.credits.store.Database;
import io.credits.store.StoppablePostgres;
import io.credits.testing.ServeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that the server survives its database going away under load: while PostgreSQL is
 * stopped, uses fail fast with 503 {@code unavailable} and {@code /health} answers 503, nothing is
 * half-written, and once PostgreSQL is back the server serves again by itself. Every use refused
 * with 503, sent again with its key, charges once.
 */
class DatabaseDownFaultTest {
    static final int CLIENTS = 8;
    static final String ACCOUNT = "down";
    /** How long PostgreSQL stays stopped. */
    static final Duration OUTAGE = Duration.ofSeconds(5);
    /** Fail fast: far below "hangs", well above the pool's 1 s wait on a busy machine. */
    static final Duration FAST = Duration.ofSeconds(5);
    static final Duration RECOVERY_MAX = Duration.ofSeconds(30);

    /** One request: when it was sent and answered (System.nanoTime), and its status (0: no answer). */
    record Call(String key, long start, long end, int status, String code) {
        long millis() {
            return TimeUnit.NANOSECONDS.toMillis(end - start);
        }

        boolean within(long from, long to) {
            return start >= from && end <= to;
        }
    }

    /** When PostgreSQL was stopped and started again (System.nanoTime), as the test saw it. */
    record Outage(long stopping, long stopped, long restarting, long restarted) {}

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void postgresStoppedUnderLoad_failsFastWith503_changesNothingHalfway_recoversByItself() throws Exception {
        Path log = FaultKit.log("database-down");
        try (StoppablePostgres pg = StoppablePostgres.start();
             ServeProcess serve = FaultKit.serve(0, log, pg.urlWithCredentials())) {
            CreditsClient client = FaultKit.client(serve.url());
            FaultKit.fund(client, ACCOUNT, 100_000);
            long before = client.balance(ACCOUNT).available();

            Load load = new Load(client, serve.url());
            load.start();
            Outage outage;
            try {
                load.await(c -> c.status() == 201, 50);
                long stopping = System.nanoTime();
                pg.stop();
                long stopped = System.nanoTime();
                Thread.sleep(OUTAGE.toMillis());
                long restarting = System.nanoTime();
                pg.restart();
                outage = new Outage(stopping, stopped, restarting, System.nanoTime());
                load.await(c -> c.start() >= outage.restarted() && c.status() == 201, 50);
                load.awaitHealth(h -> h.start() >= outage.restarted() && h.status() == 200);
            } finally {
                load.stop();
            }
            assertThat(serve.process().isAlive()).isTrue();

            List<Call> calls = List.copyOf(load.calls);
            assertThat(calls.stream().filter(c -> c.status() != 201 && !(c.status() == 503 && "unavailable".equals(c.code()))))
                    .as("answers other than 201 and 503 unavailable; see %s", log).isEmpty();
            List<Call> refused = calls.stream().filter(c -> c.status() == 503).toList();
            List<Call> duringOutage = calls.stream().filter(c -> c.within(outage.stopped(), outage.restarting())).toList();
            assertThat(duringOutage).as("uses sent and answered while PostgreSQL was stopped").isNotEmpty()
                    .allSatisfy(c -> assertThat(c.status()).isEqualTo(503));
            assertThat(refused).allSatisfy(c -> assertThat(c.millis()).as("%s", c).isLessThan(FAST.toMillis()));
            List<Call> healthDown = load.health.stream().filter(h -> h.within(outage.stopped(), outage.restarting())).toList();
            assertThat(healthDown).as("/health while PostgreSQL was stopped").isNotEmpty().allSatisfy(h -> {
                assertThat(h.status()).isEqualTo(503);
                assertThat(h.millis()).isLessThan(FAST.toMillis());
            });

            try (Database db = Database.external(pg.urlWithCredentials())) {
                long answered = calls.size() - refused.size();
                long committedAnyway = checkNothingHalfWritten(db, answered, refused);
                FaultKit.verify(pg.urlWithCredentials());

                // Each refused use, sent again with its key, is charged once.
                for (Call c : refused) client.use(CreditsClient.Spender.account(ACCOUNT), FaultKit.FEATURE, c.key());
                long keys = answered + refused.size();
                assertThat(FaultKit.count(db.dataSource(), "SELECT count(*) FROM uses")).isEqualTo(keys);
                assertThat(client.balance(ACCOUNT).available()).isEqualTo(before - keys * FaultKit.COST);
                FaultKit.verify(pg.urlWithCredentials());

                report(calls, refused, duringOutage, healthDown, load.health, committedAnyway, outage);
            }
        }
    }

    /**
     * Each use is whole (its key, its row, its ledger credits) or absent; returns how many of the
     * refused uses had committed all the same (their commit cut off on the way back).
     */
    private static long checkNothingHalfWritten(Database db, long answered, List<Call> refused) {
        long committedAnyway = FaultKit.count(db.dataSource(), "SELECT count(*) FROM idempotency_keys WHERE idem_key = ANY(?)",
                (Object) refused.stream().map(Call::key).toArray(String[]::new));
        long whole = answered + committedAnyway;
        assertThat(FaultKit.count(db.dataSource(), "SELECT count(*) FROM uses")).isEqualTo(whole);
        assertThat(FaultKit.count(db.dataSource(), "SELECT count(*) FROM idempotency_keys WHERE idem_key LIKE 'down-%'"))
                .isEqualTo(whole);
        assertThat(FaultKit.count(db.dataSource(), "SELECT coalesce(sum(credits), 0) FROM ledger_entries WHERE type = 'USE'"))
                .isEqualTo(whole * FaultKit.COST);
        return committedAnyway;
    }

    private static void report(List<Call> calls, List<Call> refused, List<Call> duringOutage, List<Call> healthDown,
                               Collection<Call> health, long committedAnyway, Outage o) {
        Call firstUse = first(calls, c -> c.start() >= o.restarted() && c.status() == 201);
        Call firstHealth = first(health, h -> h.start() >= o.restarted() && h.status() == 200);
        Call firstHealthDown = first(health, h -> h.start() >= o.stopping() && h.status() == 503);
        FaultKit.report("database down", calls.size() + " uses sent by " + CLIENTS + " clients, "
                + refused.size() + " answered 503 unavailable (" + duringOutage.size()
                + " wholly within the " + OUTAGE.toSeconds() + " s outage), slowest 503 in "
                + refused.stream().mapToLong(Call::millis).max().orElse(0) + " ms, median "
                + median(refused) + " ms; " + committedAnyway + " refused uses had committed; "
                + "/health 503 in at most " + healthDown.stream().mapToLong(Call::millis).max().orElse(0)
                + " ms, first 503 " + millis(o.stopping(), firstHealthDown.end()) + " ms after the stop began; "
                + "PostgreSQL stop " + millis(o.stopping(), o.stopped()) + " ms, start "
                + millis(o.restarting(), o.restarted()) + " ms; after it was back: first 201 in "
                + millis(o.restarted(), firstUse.end()) + " ms, /health 200 in " + millis(o.restarted(), firstHealth.end())
                + " ms; " + refused.size() + " refused uses sent again, each charged once");
    }

    private static Call first(Collection<Call> calls, Predicate<Call> p) {
        return calls.stream().filter(p).min(Comparator.comparingLong(Call::end)).orElseThrow();
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }

    private static long median(List<Call> calls) {
        List<Long> ms = calls.stream().map(Call::millis).sorted().toList();
        return ms.isEmpty() ? 0 : ms.get(ms.size() / 2);
    }

    /** {@link #CLIENTS} clients sending uses, each with a new key, and a probe of /health every 100 ms. */
    static final class Load {
        final CreditsClient client;
        final String url;
        final Queue<Call> calls = new ConcurrentLinkedQueue<>();
        final Queue<Call> health = new ConcurrentLinkedQueue<>();
        final AtomicLong next = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        private volatile boolean running = true;

        Load(CreditsClient client, String url) {
            this.client = client;
            this.url = url;
        }

        void start() {
            for (int i = 0; i < CLIENTS; i++) threads.add(Thread.ofVirtual().start(this::send));
            threads.add(Thread.ofVirtual().start(this::probe));
        }

        private void send() {
            while (running) {
                String key = ACCOUNT + "-" + next.incrementAndGet();
                long start = System.nanoTime();
                try {
                    client.use(CreditsClient.Spender.account(ACCOUNT), FaultKit.FEATURE, key);
                    calls.add(new Call(key, start, System.nanoTime(), 201, null));
                } catch (CreditsException e) {
                    calls.add(new Call(key, start, System.nanoTime(), e.status(), e.code()));
                }
            }
        }

        private void probe() {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/health")).timeout(FAST.multipliedBy(2)).build();
            while (running) {
                long start = System.nanoTime();
                int status;
                try {
                    status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (Exception e) {
                    status = 0;
                }
                health.add(new Call("health", start, System.nanoTime(), status, null));
                sleep(100);
            }
        }

        /** Waits until {@code n} calls match (at most {@link #RECOVERY_MAX}). */
        void await(Predicate<Call> p, int n) {
            long deadline = System.nanoTime() + RECOVERY_MAX.toNanos();
            while (calls.stream().filter(p).count() < n) {
                if (System.nanoTime() > deadline) throw new AssertionError("no " + n + " such uses within " + RECOVERY_MAX);
                sleep(10);
            }
        }

        void awaitHealth(Predicate<Call> p) {
            long deadline = System.nanoTime() + RECOVERY_MAX.toNanos();
            while (health.stream().noneMatch(p)) {
                if (System.nanoTime() > deadline) throw new AssertionError("/health not 200 within " + RECOVERY_MAX);
                sleep(10);
            }
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(30));
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
