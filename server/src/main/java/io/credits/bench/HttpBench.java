package io.credits.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Uses over HTTP on loopback, each client on its own keep-alive connection: {@code POST /v1/uses}, each with its own
 * idempotency key, answered after its commit. Two measures: the most uses per second a closed
 * loop of clients gets, and the latency at a fixed offered load (an open loop: requests leave on
 * a schedule whether or not earlier ones came back, and latency counts from the scheduled time,
 * so a stall is not hidden).
 */
public final class HttpBench {
    public record Figure(String workload, long uses, double seconds, long p50Micros, long p99Micros, long errors) {
        public long usesPerSecond() {
            return Math.round(uses / seconds);
        }
    }

    /** Connections of the open loop: enough that a slow answer never delays the next send. */
    static final int OPEN_LOOP_CONNECTIONS = 256;

    private final URI base;
    private final String headers;
    private final List<String> accounts;
    private final Consumer<String> progress;

    public HttpBench(URI base, String apiKey, List<String> accounts, Consumer<String> progress) {
        this.base = base;
        this.headers = "Authorization: Bearer " + apiKey + "\r\n";
        this.accounts = List.copyOf(accounts);
        this.progress = progress;
    }

    /** Closed loop: {@code clients} clients, each sending a use when the last one came back. */
    public Figure closedLoop(int clients, Duration warmup, Duration measure) throws InterruptedException {
        progress.accept("http closed loop, " + clients + " clients: warming up...");
        closedLoopRun(clients, warmup);
        progress.accept("http closed loop, " + clients + " clients: measuring...");
        return closedLoopRun(clients, measure);
    }

    private Figure closedLoopRun(int clients, Duration length) throws InterruptedException {
        long deadline = System.nanoTime() + length.toNanos();
        return run("closed loop, " + clients + " clients", clients, (connection, lat, counts) -> {
            while (System.nanoTime() < deadline) {
                long t0 = System.nanoTime();
                counts.add(send(connection));
                lat.add(System.nanoTime() - t0);
            }
        });
    }

    /** Open loop: uses leave at {@code perSecond} on a fixed schedule; latency from the scheduled instant. */
    public Figure openLoop(int perSecond, Duration warmup, Duration measure) throws InterruptedException {
        progress.accept("http fixed load " + perSecond + "/s: warming up...");
        openLoopRun(perSecond, warmup);
        progress.accept("http fixed load " + perSecond + "/s: measuring...");
        return openLoopRun(perSecond, measure);
    }

    /**
     * Each connection takes the next slot of the schedule, waits for its instant and sends; when
     * every connection is busy a slot is taken late, and its latency still counts from its
     * scheduled instant (no coordinated omission).
     */
    private Figure openLoopRun(int perSecond, Duration length) throws InterruptedException {
        long interval = 1_000_000_000L / perSecond;
        long total = length.toSeconds() * perSecond;
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime() + 1_000_000;
        return run("fixed load " + perSecond + "/s", OPEN_LOOP_CONNECTIONS, (connection, lat, counts) -> {
            for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                long scheduled = start + i * interval;
                long wait = scheduled - System.nanoTime();
                if (wait > 0) LockSupport.parkNanos(wait);
                counts.add(send(connection));
                lat.add(System.nanoTime() - scheduled);
            }
        });
    }

    private interface Client {
        void run(LoopbackConnection connection, Latencies lat, Counts counts);
    }

    /** One client's latencies, in nanoseconds. */
    private static final class Latencies {
        long[] values = new long[1 << 12];
        int n;

        void add(long nanos) {
            if (n == values.length) values = Arrays.copyOf(values, n * 2);
            values[n++] = nanos;
        }
    }

    private static final class Counts {
        long ok;
        long errors;

        void add(boolean done) {
            if (done) ok++; else errors++;
        }
    }

    private Figure run(String name, int connections, Client client) throws InterruptedException {
        ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                Latencies lat = new Latencies();
                Counts counts = new Counts();
                try (LoopbackConnection connection = new LoopbackConnection(base)) {
                    client.run(connection, lat, counts);
                }
                latencies.add(Arrays.copyOf(lat.values, lat.n));
                ok.addAndGet(counts.ok);
                errors.addAndGet(counts.errors);
            }));
        }
        for (Thread t : threads) t.join();
        return figure(name, ok.get(), errors.get(), start, latencies);
    }

    private Figure figure(String name, long ok, long errors, long start, ConcurrentLinkedQueue<long[]> latencies) {
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).toArray();
        Arrays.sort(all);
        Figure f = new Figure(name, ok, seconds, pct(all, 0.50) / 1000, pct(all, 0.99) / 1000, errors);
        progress.accept(String.format("http %s: %,d uses/s, p50 %d us, p99 %d us, %d errors", name, f.usesPerSecond(),
                f.p50Micros(), f.p99Micros(), errors));
        return f;
    }

    private boolean send(LoopbackConnection connection) {
        String account = accounts.get(ThreadLocalRandom.current().nextInt(accounts.size()));
        String body = "{\"account\":\"" + account + "\",\"feature\":\"generate_page\"}";
        String key = "Idempotency-Key: hb-" + System.nanoTime() + "-" + ThreadLocalRandom.current().nextLong() + "\r\n";
        try {
            return connection.post("/v1/uses", headers + key, body) == 201;
        } catch (IOException | RuntimeException e) {
            connection.close();
            return false;
        }
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }
}
