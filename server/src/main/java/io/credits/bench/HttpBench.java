package io.credits.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Uses over HTTP on loopback with keep-alive: {@code POST /v1/uses}, each with its own
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

    private final URI base;
    private final String apiKey;
    private final List<String> accounts;
    private final Consumer<String> progress;
    /**
     * Several clients: one JDK HttpClient serialises much of its work on one lock, and a timeout
     * per request adds a timer under that lock, so the load generator would measure itself.
     */
    private final List<HttpClient> clients = java.util.stream.IntStream.range(0, CLIENTS)
            .mapToObj(i -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build()).toList();
    static final int CLIENTS = 16;

    public HttpBench(URI base, String apiKey, List<String> accounts, Consumer<String> progress) {
        this.base = base;
        this.apiKey = apiKey;
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
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                long[] lat = new long[1 << 14];
                int n = 0;
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    boolean done = send();
                    if (done) ok.incrementAndGet(); else errors.incrementAndGet();
                    if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                    lat[n++] = System.nanoTime() - t0;
                }
                latencies.add(Arrays.copyOf(lat, n));
            }));
        }
        for (Thread t : threads) t.join();
        return figure("closed loop, " + clients + " clients", ok.get(), errors.get(), start, latencies);
    }

    /** Open loop: uses leave at {@code perSecond} on a fixed schedule; latency from the scheduled instant. */
    public Figure openLoop(int perSecond, Duration warmup, Duration measure) throws InterruptedException {
        progress.accept("http fixed load " + perSecond + "/s: warming up...");
        openLoopRun(perSecond, warmup);
        progress.accept("http fixed load " + perSecond + "/s: measuring...");
        return openLoopRun(perSecond, measure);
    }

    private Figure openLoopRun(int perSecond, Duration length) throws InterruptedException {
        long interval = 1_000_000_000L / perSecond;
        long total = length.toSeconds() * perSecond;
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long[] lat = new long[(int) total];
        List<CompletableFuture<Void>> inflight = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
            int slot = i;
            inflight.add(sendAsync().handle((done, failure) -> {
                lat[slot] = System.nanoTime() - scheduled;
                if (failure == null && done) ok.incrementAndGet(); else errors.incrementAndGet();
                return null;
            }));
        }
        inflight.forEach(CompletableFuture::join);
        ConcurrentLinkedQueue<long[]> all = new ConcurrentLinkedQueue<>();
        all.add(lat);
        return figure("fixed load " + perSecond + "/s", ok.get(), errors.get(), start, all);
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

    private HttpRequest request() {
        String account = accounts.get(ThreadLocalRandom.current().nextInt(accounts.size()));
        String body = "{\"account\":\"" + account + "\",\"feature\":\"generate_page\"}";
        return HttpRequest.newBuilder(base.resolve("/v1/uses"))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "hb-" + System.nanoTime() + "-" + ThreadLocalRandom.current().nextLong())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private boolean send() {
        try {
            return client().send(request(), HttpResponse.BodyHandlers.discarding()).statusCode() == 201;
        } catch (Exception e) {
            return false;
        }
    }

    private CompletableFuture<Boolean> sendAsync() {
        return client().sendAsync(request(), HttpResponse.BodyHandlers.discarding()).thenApply(r -> r.statusCode() == 201);
    }

    private HttpClient client() {
        return clients.get(ThreadLocalRandom.current().nextInt(CLIENTS));
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }
}
