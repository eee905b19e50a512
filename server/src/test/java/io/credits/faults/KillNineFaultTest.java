package io.credits.faults;

import io.credits.sdk.CreditsClient;
import io.credits.sdk.CreditsException;
import io.credits.sdk.Models;
import io.credits.store.Database;
import io.credits.store.EmbeddedServer;
import io.credits.store.TestDatabases;
import io.credits.testing.ServeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that {@code kill -9} of a server under load loses and doubles nothing. Twenty times, the
 * server process is killed while clients have uses in flight, and started again on the same port
 * and database; the clients send what got no answer again with the same Idempotency-Key. In the
 * end every use answered 201 is in the ledger exactly once, each retry charged once, sending any
 * answered use again answers the same use, and {@code credits verify} passes.
 */
class KillNineFaultTest {
    static final int KILLS = 20;
    static final int CLIENTS = 8;
    static final String[] ACCOUNTS = {"kill-a", "kill-b", "kill-c", "kill-d"};
    /**
     * Each round, the kill comes after 1 to this many more answered uses; the clients keep sending,
     * so each of them has a use in flight when it comes.
     */
    static final int ANSWERED_PER_ROUND_MAX = 10;

    @Test
    @Timeout(value = 360, unit = TimeUnit.SECONDS)
    void killNine20TimesUnderLoad_everyAnsweredUseOnceInTheLedger_retriesChargeOnce_verifyPasses() throws Exception {
        Path log = FaultKit.log("kill-nine");
        Random random = new Random(20);
        try (Database db = EmbeddedServer.shared().freshDatabase()) {
            String url = TestDatabases.urlWithCredentials(db);
            ServeProcess serve = FaultKit.serve(0, log, url);
            try {
                int port = serve.port(); // every restart takes the same port: the clients keep their URL
                CreditsClient client = FaultKit.client(serve.url());
                for (String a : ACCOUNTS) FaultKit.fund(client, a, 100_000);
                Map<String, Long> before = new HashMap<>();
                for (String a : ACCOUNTS) before.put(a, client.balance(a).available());

                Load load = new Load(client);
                Set<String> committedUnanswered = new HashSet<>();
                List<Long> restartMillis = new ArrayList<>();
                for (int kill = 1; kill <= KILLS; kill++) {
                    load.runAndKill(serve, load.answered.size() + 1 + random.nextInt(ANSWERED_PER_ROUND_MAX));
                    assertThat(load.errors).as("see %s", log).isEmpty();
                    // Which of the unanswered uses had committed before the kill (their answer was lost).
                    FaultKit.rows(db.dataSource(), "SELECT idem_key FROM idempotency_keys WHERE idem_key = ANY(?)",
                            (Object) load.unanswered.toArray(String[]::new)).forEach(r -> committedUnanswered.add(r.getFirst()));
                    long t0 = System.nanoTime();
                    serve = FaultKit.serve(port, log, url);
                    restartMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                }
                load.drain();
                assertThat(load.errors).as("see %s", log).isEmpty();
                assertThat(load.unanswered).isEmpty();
                assertThat(load.lostInFlight.get()).as("uses in flight at the kills").isPositive();

                int sentAgain = sendAnsweredAgain(load, random);
                checkEachAnsweredUseOnce(db, load, client, before);
                FaultKit.verify(url);

                FaultKit.report("kill -9", KILLS + " kills under " + CLIENTS + " clients; " + load.answered.size()
                        + " uses answered 201, each once in the ledger; " + load.lostInFlight.get()
                        + " requests got no answer (in flight or sent to the dead server), " + committedUnanswered.size()
                        + " keys of them had committed; " + load.stale.get()
                        + " sent on a connection kept from a killed server; " + load.retried.size()
                        + " keys retried, each charged once; " + sentAgain + " answered keys sent again, same use;"
                        + " restart to listening " + median(restartMillis) + " ms median, "
                        + restartMillis.stream().mapToLong(x -> x).max().orElse(0) + " ms max");
            } finally {
                serve.close();
            }
        }
    }

    /** Every retried key and 200 others, sent again: the same use comes back, and nothing is charged. */
    private static int sendAnsweredAgain(Load load, Random random) {
        List<String> again = new ArrayList<>(load.retried);
        List<String> others = new ArrayList<>(load.answered.keySet());
        others.removeAll(load.retried);
        Collections.shuffle(others, random);
        again.addAll(others.subList(0, Math.min(200, others.size())));
        for (String key : again) {
            assertThat(load.client.use(CreditsClient.Spender.account(Load.account(key)), FaultKit.FEATURE, key).id())
                    .as(key).isEqualTo(load.answered.get(key));
        }
        return again.size();
    }

    /** The uses and the ledger hold each answered use exactly once, and nothing else; the balances agree. */
    private static void checkEachAnsweredUseOnce(Database db, Load load, CreditsClient client, Map<String, Long> before) {
        Set<String> useIds = new HashSet<>(load.answered.values());
        assertThat(useIds).as("one use per key").hasSize(load.answered.size());
        List<List<String>> uses = FaultKit.rows(db.dataSource(), "SELECT use_id, credits FROM uses");
        assertThat(uses).as("every answered use once in uses, and nothing else")
                .hasSize(useIds.size())
                .allSatisfy(u -> assertThat(u.get(1)).isEqualTo(Long.toString(FaultKit.COST)));
        assertThat(uses.stream().map(List::getFirst)).containsExactlyInAnyOrderElementsOf(useIds);
        List<List<String>> ledger = FaultKit.rows(db.dataSource(),
                "SELECT ref, sum(credits) FROM ledger_entries WHERE type = 'USE' GROUP BY ref");
        assertThat(ledger).as("each use's credits once in the ledger")
                .hasSize(useIds.size())
                .allSatisfy(e -> assertThat(e.get(1)).isEqualTo(Long.toString(FaultKit.COST)));
        assertThat(ledger.stream().map(List::getFirst)).containsExactlyInAnyOrderElementsOf(useIds);
        for (String a : ACCOUNTS) {
            long spent = load.answered.keySet().stream().filter(k -> Load.account(k).equals(a)).count() * FaultKit.COST;
            assertThat(client.balance(a).available()).as(a).isEqualTo(before.get(a) - spent);
        }
    }

    private static long median(List<Long> xs) {
        List<Long> sorted = xs.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** {@link #CLIENTS} clients sending uses, each with a key of its own, until the server dies. */
    static final class Load {
        final CreditsClient client;
        /** Idempotency key → the use id answered. */
        final Map<String, String> answered = new ConcurrentHashMap<>();
        /** Keys sent without an answer: sent again, with the same key, before new ones. */
        final Queue<String> unanswered = new ConcurrentLinkedQueue<>();
        /** Keys that were sent more than once. */
        final Set<String> retried = ConcurrentHashMap.newKeySet();
        final Queue<String> errors = new ConcurrentLinkedQueue<>();
        final AtomicLong next = new AtomicLong();
        final AtomicInteger lostInFlight = new AtomicInteger();
        /** Failures on a connection kept alive from the server before: sent again at once. */
        final AtomicInteger stale = new AtomicInteger();
        private volatile boolean killing;

        Load(CreditsClient client) {
            this.client = client;
        }

        static String account(String key) {
            return ACCOUNTS[(int) (Long.parseLong(key.substring("use-".length())) % ACCOUNTS.length)];
        }

        /** Runs the clients until {@code target} uses are answered, then kills the server and waits for the clients. */
        void runAndKill(ServeProcess server, int target) throws InterruptedException {
            killing = false;
            List<Thread> clients = start(false);
            while (answered.size() < target && errors.isEmpty() && clients.stream().anyMatch(Thread::isAlive)) {
                Thread.sleep(1);
            }
            killing = true; // set first: from here on a failure is the kill's, and ends the client
            server.kill();
            join(clients);
        }

        /** Sends what has no answer yet until nothing is left; the server is up, so every call must answer. */
        void drain() throws InterruptedException {
            killing = false;
            join(start(true));
        }

        private List<Thread> start(boolean onlyUnanswered) {
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) clients.add(Thread.ofVirtual().start(() -> send(onlyUnanswered)));
            return clients;
        }

        private static void join(List<Thread> clients) throws InterruptedException {
            for (Thread t : clients) t.join(TimeUnit.SECONDS.toMillis(60));
        }

        private void send(boolean onlyUnanswered) {
            while (errors.isEmpty()) {
                String key = unanswered.poll();
                if (key != null) retried.add(key);
                else if (onlyUnanswered) return;
                else key = "use-" + next.incrementAndGet();
                try {
                    Models.Use u = client.use(CreditsClient.Spender.account(account(key)), FaultKit.FEATURE, key);
                    String first = answered.putIfAbsent(key, u.id());
                    if (first != null && !first.equals(u.id())) errors.add(key + " answered " + first + " then " + u.id());
                } catch (CreditsException e) {
                    unanswered.add(key);
                    if (e.status() != 0 || onlyUnanswered) {
                        errors.add(key + ": " + e.getMessage()); // an answer other than 201, or no answer from a live server
                        return;
                    }
                    if (killing) {
                        lostInFlight.incrementAndGet();
                        return;
                    }
                    stale.incrementAndGet(); // a kept-alive connection to the server killed before: send again
                }
            }
        }
    }
}
