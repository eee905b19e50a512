package io.credits.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
    private final List<URI> bases;
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
        this(List.of(base), apiKey, accounts, progress);
    }

    /** Load spread over several servers (of one database): each request goes to one of them at random. */
    public HttpBench(List<URI> bases, String apiKey, List<String> accounts, Consumer<String> progress) {
        if (bases.isEmpty()) throw new IllegalArgumentException("no server to send to");
        this.bases = List.copyOf(bases);
        this.apiKey = apiKey;
        this.accounts = List.copyOf(accounts);
        this.progress = progress;
    }

    /** A closed-loop client: one {@code POST /v1/uses} per use, charged when answered 201. */
    public ClosedLoop.Client client() {
        return (account, key) -> {
            HttpResponse<String> r = http().send(request(account, key), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 201 ? null : "HTTP " + r.statusCode() + ": " + r.body();
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

    private Results.Measurement openLoopRun(int perSecond, Duration length) throws InterruptedException {
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
            String account = accounts.get(ThreadLocalRandom.current().nextInt(accounts.size()));
            String key = "hb-" + System.nanoTime() + "-" + ThreadLocalRandom.current().nextLong();
            inflight.add(http().sendAsync(request(account, key), HttpResponse.BodyHandlers.discarding())
                    .handle((r, failure) -> {
                        lat[slot] = System.nanoTime() - scheduled;
                        if (failure == null && r.statusCode() == 201) ok.incrementAndGet(); else errors.incrementAndGet();
                        return null;
                    }));
        }
        inflight.forEach(CompletableFuture::join);
        double seconds = (System.nanoTime() - start) / 1e9;
        Latencies all = new Latencies();
        for (long l : lat) all.add(l);
        return Results.Measurement.of("credits-http", "fixed load " + perSecond + "/s", 0,
                Map.of("accounts", (long) accounts.size(), "offeredPerSecond", (long) perSecond),
                new ClosedLoop.Run(ok.get(), errors.get(), null, seconds, all));
    }

    private Results.Measurement report(Results.Measurement m) {
        progress.accept(String.format("http %s: %,d uses/s, p50 %d us, p99 %d us, p99.9 %d us, %d errors", m.workload(),
                m.usesPerSecond(), m.p50Micros(), m.p99Micros(), m.p999Micros(), m.failed()));
        return m;
    }

    private HttpRequest request(String account, String key) {
        String body = "{\"account\":\"" + account + "\",\"feature\":\"generate_page\"}";
        URI base = bases.size() == 1 ? bases.getFirst() : bases.get(ThreadLocalRandom.current().nextInt(bases.size()));
        return HttpRequest.newBuilder(base.resolve("/v1/uses"))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpClient http() {
        return clients.get(ThreadLocalRandom.current().nextInt(CLIENTS));
    }
}
