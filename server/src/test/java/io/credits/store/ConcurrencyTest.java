package io.credits.store;

import io.credits.account.Actor;
import io.credits.account.Command;
import io.credits.account.Outcome;
import io.credits.account.RefusalCode;
import io.credits.catalog.CatalogLoader;
import io.credits.store.Engine.Request;
import io.credits.store.Engine.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** No overdraft under any concurrency: exactly as many uses succeed as the credits allow. */
class ConcurrencyTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    Database db;

    @BeforeEach
    void open() {
        db = EmbeddedServer.shared().freshDatabase(16);
    }

    @AfterEach
    void close() {
        assertThat(Verifier.verify(db.dataSource(), CatalogLoader.defaultCatalog()).violations()).isEmpty();
        db.close();
    }

    Engine engine(int lanes) {
        return new Engine(db.dataSource(), CatalogLoader.defaultCatalog(), Clock.fixed(NOW, ZoneOffset.UTC), ZoneOffset.UTC, lanes);
    }

    @Test
    void sixtyFourThreadsOnOneAccount_exactlyTheAffordableUsesSucceed() throws Exception {
        try (Engine engine = engine(4)) {
            book(engine, "hot");
            Counts counts = hammer(List.of(engine), "hot", 64, 5);
            assertThat(counts.ok.get()).isEqualTo(100);
            assertThat(counts.refused.get()).isEqualTo(64 * 5 - 100);
            assertThat(counts.otherCodes).isEmpty();
            assertThat(engine.read("hot").orElseThrow().balance().available()).isZero();
        }
    }

    @Test
    void twoEnginesOnOneDatabase_likeTwoProcesses_neverOverdraw() throws Exception {
        try (Engine a = engine(2); Engine b = engine(3)) {
            book(a, "shared");
            Counts counts = hammer(List.of(a, b), "shared", 32, 8);
            assertThat(counts.ok.get()).isEqualTo(100);
            assertThat(counts.otherCodes).isEmpty();
            assertThat(a.read("shared").orElseThrow().balance().usedThisPeriod()).isEqualTo(1000);
        }
    }

    @Test
    void concurrentRetriesOfOneIdempotencyKey_chargeOnce() throws Exception {
        try (Engine engine = engine(4)) {
            book(engine, "retry");
            Request r = new Request(new Target.OfAccount("retry", false),
                    new Command.Use(Actor.owner("retry"), "vibe_coding", 1), "same-key");
            List<Thread> threads = new ArrayList<>();
            ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < 32; i++) threads.add(Thread.ofPlatform().start(() -> outcomes.add(engine.execute(r))));
            for (Thread t : threads) t.join();
            assertThat(outcomes).hasSize(32).allMatch(o -> o instanceof Outcome.Done);
            assertThat(outcomes.stream().distinct().count()).isEqualTo(1);
            assertThat(engine.read("retry").orElseThrow().balance().available()).isEqualTo(990);
        }
    }

    record Counts(AtomicInteger ok, AtomicInteger refused, ConcurrentLinkedQueue<String> otherCodes) {}

    private static Counts hammer(List<Engine> engines, String account, int threads, int usesEach) throws Exception {
        Counts counts = new Counts(new AtomicInteger(), new AtomicInteger(), new ConcurrentLinkedQueue<>());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Engine engine = engines.get(t % engines.size());
            int thread = t;
            all.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < usesEach; i++) {
                        Outcome o = engine.execute(new Request(new Target.OfAccount(account, false),
                                new Command.Use(Actor.owner(account), "vibe_coding", 1), "k-" + thread + "-" + i));
                        switch (o) {
                            case Outcome.Done d -> counts.ok.incrementAndGet();
                            case Outcome.Refused r when r.code() == RefusalCode.INSUFFICIENT_CREDITS -> counts.refused.incrementAndGet();
                            case Outcome.Refused r -> counts.otherCodes.add(r.code().code());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        start.countDown();
        for (Thread t : all) assertThat(joined(t)).isTrue();
        return counts;
    }

    private static boolean joined(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(60));
        return !t.isAlive();
    }

    private static void book(Engine engine, String account) {
        Outcome o = engine.execute(new Request(new Target.OfAccount(account, true), new Command.BookAiPlan("T1000"), "book"));
        assertThat(o).isInstanceOf(Outcome.Done.class);
    }
}
