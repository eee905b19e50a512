package io.credits.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * A closed loop of clients: each sends a use, waits for its durable answer, and sends the next,
 * until the time is up. Throughput is what comes back per second; latency counts from each call
 * to its answer. Every system of the comparison is driven by this one loop, so they differ only
 * in what one use costs them.
 */
public final class ClosedLoop {
    /** One client of a system under test; its own connection where the system needs one. */
    public interface Client extends AutoCloseable {
        /** Spends one use on the account: null when it was charged, else why not. */
        String use(String account, String key) throws Exception;

        @Override
        default void close() throws Exception {}
    }

    /** What one run did: uses charged, uses refused or failed (the first reason kept), and latencies. */
    public record Run(long uses, long failed, String firstFailure, double seconds, Latencies latencies) {
        public long usesPerSecond() {
            return Math.round(uses / seconds);
        }
    }

    private ClosedLoop() {}

    /** {@code concurrency} clients made by {@code clients}, on accounts drawn at random, for {@code length}. */
    public static Run run(IntFunction<Client> clients, List<String> accounts, int concurrency, Duration length)
            throws Exception {
        List<Client> made = new ArrayList<>();
        try {
            for (int i = 0; i < concurrency; i++) made.add(clients.apply(i));
            return drive(made, accounts, length);
        } finally {
            for (Client c : made) c.close();
        }
    }

    private static Run drive(List<Client> clients, List<String> accounts, Duration length) throws InterruptedException {
        AtomicLong charged = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        List<Latencies> perClient = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        long[] deadline = new long[1];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients.size(); c++) {
            Client client = clients.get(c);
            Latencies mine = new Latencies();
            perClient.add(mine);
            String prefix = "b-" + c + "-" + System.nanoTime() + "-";
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    ready.await();
                } catch (InterruptedException e) {
                    return;
                }
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                long i = 0;
                while (System.nanoTime() < deadline[0]) {
                    String account = accounts.get(accounts.size() == 1 ? 0 : rnd.nextInt(accounts.size()));
                    long t0 = System.nanoTime();
                    String why;
                    try {
                        why = client.use(account, prefix + (i++));
                    } catch (Exception e) {
                        why = e.toString();
                    }
                    mine.add(System.nanoTime() - t0);
                    if (why == null) {
                        charged.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, why);
                    }
                }
            }));
        }
        long start = System.nanoTime();
        deadline[0] = start + length.toNanos();
        ready.countDown(); // the latch publishes the deadline to the clients
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        Latencies all = new Latencies();
        perClient.forEach(all::addAll);
        return new Run(charged.get(), failed.get(), firstFailure.get(), seconds, all);
    }
}
