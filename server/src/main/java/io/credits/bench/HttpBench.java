package io.credits.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private final List<URI> bases;
    private final String headers;
    private final List<String> accounts;
    private final Consumer<String> progress;
    /** Connections of the open loop: enough that a slow answer never delays the next send. */
    static final int OPEN_LOOP_CONNECTIONS = 256;

    public HttpBench(URI base, String apiKey, List<String> accounts, Consumer<String> progress) {
        this(List.of(base), apiKey, accounts, progress);
    }

    /** Load spread over several servers (of one database): each request goes to one of them at random. */
    public HttpBench(List<URI> bases, String apiKey, List<String> accounts, Consumer<String> progress) {
        if (bases.isEmpty()) throw new IllegalArgumentException("no server to send to");
        this.bases = List.copyOf(bases);
        this.headers = "Authorization: Bearer " + apiKey + "\r\n";
        this.accounts = List.copyOf(accounts);
        this.progress = progress;
    }

    /**
     * A closed-loop client on its own keep-alive connection (to one of the servers, at random):
     * one {@code POST /v1/uses} per use, charged when answered 201.
     */
    public ClosedLoop.Client client() {
        LoopbackConnection connection = new LoopbackConnection(base());
        return new ClosedLoop.Client() {
            @Override
            public String use(String account, String key) throws IOException {
                int status = connection.post("/v1/uses", headers + "Idempotency-Key: " + key + "\r\n", body(account));
                return status == 201 ? null : "HTTP " + status;
            }

            @Override
            public void close() {
                connection.close();
            }
        };
    }

    /** Closed loop: {@code clients} clients, each sending a use when the last one came back. */
    public Results.Measurement closedLoop(int clients, Duration warmup, Duration measure) throws Exception {
        progress.accept("http closed loop, " + clients + " clients: warming up...");
        ClosedLoop.run(i -> client(), accounts, clients, warmup);
        progress.accept("http closed loop, " + clients + " clients: measuring...");
        ClosedLoop.Run run = ClosedLoop.run(i -> client(), accounts, clients, measure);
        if (run.failed() > 0) progress.accept("  (" + run.failed() + " uses failed; the first: " + run.firstFailure() + ")");
        return report(Results.Measurement.of("credits-http", "closed loop", clients, Map.of("accounts", (long) accounts.size()), run));
    }

    /** Open loop: uses leave at {@code perSecond} on a fixed schedule; latency from the scheduled instant. */
    public Results.Measurement openLoop(int perSecond, Duration warmup, Duration measure) throws InterruptedException {
        progress.accept("http fixed load " + perSecond + "/s: warming up...");
        openLoopRun(perSecond, warmup);
        progress.accept("http fixed load " + perSecond + "/s: measuring...");
        return report(openLoopRun(perSecond, measure));
    }

    /**
     * Each connection takes the next slot of the schedule, waits for its instant and sends; when
     * every connection is busy a slot is taken late, and its latency still counts from its
     * scheduled instant (no coordinated omission).
     */
    private Results.Measurement openLoopRun(int perSecond, Duration length) throws InterruptedException {
        long interval = 1_000_000_000L / perSecond;
        long total = length.toSeconds() * perSecond;
        AtomicLong next = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Latencies> perConnection = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime() + 1_000_000;
        for (int c = 0; c < OPEN_LOOP_CONNECTIONS; c++) {
            Latencies lat = new Latencies();
            perConnection.add(lat);
            threads.add(Thread.ofVirtual().start(() -> {
                try (ClosedLoop.Client client = client()) {
                    for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        long scheduled = start + i * interval;
                        long wait = scheduled - System.nanoTime();
                        if (wait > 0) LockSupport.parkNanos(wait);
                        String account = accounts.get(ThreadLocalRandom.current().nextInt(accounts.size()));
                        String key = "hb-" + System.nanoTime() + "-" + ThreadLocalRandom.current().nextLong();
                        boolean charged;
                        try {
                            charged = client.use(account, key) == null;
                        } catch (Exception e) {
                            charged = false;
                        }
                        (charged ? ok : errors).incrementAndGet();
                        lat.add(System.nanoTime() - scheduled);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        Latencies all = new Latencies();
        perConnection.forEach(all::addAll);
        return Results.Measurement.of("credits-http", "fixed load " + perSecond + "/s", 0,
                Map.of("accounts", (long) accounts.size(), "offeredPerSecond", (long) perSecond),
                new ClosedLoop.Run(ok.get(), errors.get(), null, seconds, all));
    }

    private Results.Measurement report(Results.Measurement m) {
        progress.accept(String.format("http %s: %,d uses/s, p50 %d us, p99 %d us, p99.9 %d us, %d errors", m.workload(),
                m.usesPerSecond(), m.p50Micros(), m.p99Micros(), m.p999Micros(), m.failed()));
        return m;
    }

    private static String body(String account) {
        return "{\"account\":\"" + account + "\",\"feature\":\"generate_page\"}";
    }

    private URI base() {
        return bases.size() == 1 ? bases.getFirst() : bases.get(ThreadLocalRandom.current().nextInt(bases.size()));
    }
}
