package io.credits.cli;

import io.credits.bench.Bench;
import io.credits.catalog.CatalogLoader;
import io.credits.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code credits bench}: durable uses per second on an embedded PostgreSQL with fsync on, beside
 * the naive baseline, in one run. A benchmark, never a test: results go to docs/benchmarks.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure durable uses per second (spread and one hot account) against a naive baseline.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--accounts", defaultValue = "10000", description = "Accounts the spread load goes over (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--clients", defaultValue = "128", description = "Concurrent clients, closed loop (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--lanes", defaultValue = "4", description = "Engine lanes, each one transaction at a time (default: ${DEFAULT-VALUE}).")
    int lanes;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds per workload (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", defaultValue = "3", description = "Warm-up seconds per workload (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--database-url", paramLabel = "JDBC_URL", description = "Measure on this PostgreSQL (its data is added to) instead of a new embedded one.")
    String databaseUrl;

    @Option(names = "--http", description = "Measure over HTTP on loopback instead: the most uses/s of a closed loop, and latency at a fixed load.")
    boolean http;

    @Option(names = "--rate", defaultValue = "5000", description = "With --http: the fixed offered load, uses per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Override
    public Integer call() throws IOException {
        check(accounts >= 1 && accounts <= 1_000_000, "--accounts must be 1 to 1000000");
        check(clients >= 1 && clients <= 4096, "--clients must be 1 to 4096");
        check(lanes >= 1 && lanes <= 64, "--lanes must be 1 to 64");
        check(seconds >= 1 && seconds <= 3600, "--seconds must be 1 to 3600");
        check(warmup >= 0 && warmup <= 600, "--warmup must be 0 to 600");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = Files.createTempDirectory("credits-bench");
        Database.Options options = Database.Options.defaults().withPoolSize(Math.max(lanes, 32)).withFsync(true);
        try (Database db = databaseUrl != null ? Database.external(databaseUrl, options) : Database.embedded(dir, options)) {
            if (http) {
                check(rate >= 1 && rate <= 100_000, "--rate must be 1 to 100000");
                return httpBench(db, dir, out, err);
            }
            Bench bench = new Bench(db.dataSource(), CatalogLoader.defaultCatalog(),
                    new Bench.Settings(accounts, clients, Duration.ofSeconds(warmup), Duration.ofSeconds(seconds)),
                    line -> {
                        err.println(line);
                        err.flush();
                    });
            List<Bench.Figure> figures = bench.run(lanes);
            out.printf("%-8s | %-28s | %7s | %10s | %8s | %8s%n", "engine", "workload", "clients", "uses/s", "p50 us", "p99 us");
            for (Bench.Figure f : figures)
                out.printf("%-8s | %-28s | %7d | %,10d | %8d | %8d%n", f.engine(), f.workload(), f.clients(),
                        f.usesPerSecond(), f.p50Micros(), f.p99Micros());
            for (int i = 0; i + 1 < figures.size(); i += 2)
                out.printf("%s: credits / naive = %.1fx%n", figures.get(i).workload(),
                        (double) figures.get(i).usesPerSecond() / Math.max(1, figures.get(i + 1).usesPerSecond()));
            out.flush();
        } catch (Exception e) {
            throw new IllegalStateException("benchmark failed: " + e.getMessage(), e);
        } finally {
            deleteTree(dir);
        }
        return 0;
    }

    private int httpBench(Database db, Path dir, PrintWriter out, PrintWriter err) throws Exception {
        String key = "ck_bench_" + java.util.UUID.randomUUID();
        java.util.function.Consumer<String> progress = line -> {
            err.println(line);
            err.flush();
        };
        try (io.credits.app.App app = io.credits.app.App.start(new io.credits.app.ServeConfig("127.0.0.1", 0, dir,
                java.util.Optional.empty(), java.util.Optional.empty()), db, java.time.Clock.systemUTC(), java.util.Optional.of(key))) {
            progress.accept("setting up " + accounts + " accounts...");
            List<String> ids = new java.util.ArrayList<>();
            List<java.util.concurrent.CompletableFuture<io.credits.account.Outcome>> pending = new java.util.ArrayList<>();
            for (int i = 0; i < accounts; i++) {
                String id = "bench-" + i;
                ids.add(id);
                var target = new io.credits.store.Engine.Target.OfAccount(id, true);
                pending.add(app.engine().submit(new io.credits.store.Engine.Request(target,
                        new io.credits.account.Command.BookAiPlan("T10000"), "book")));
                pending.add(app.engine().submit(new io.credits.store.Engine.Request(target,
                        new io.credits.account.Command.ManualGrant(1_000_000_000L, java.util.Optional.empty(), "benchmark", "bench"), "grant")));
            }
            pending.forEach(java.util.concurrent.CompletableFuture::join);
            io.credits.bench.HttpBench bench = new io.credits.bench.HttpBench(java.net.URI.create(app.url()), key, ids, progress);
            List<io.credits.bench.HttpBench.Figure> figures = List.of(
                    bench.closedLoop(clients, Duration.ofSeconds(warmup), Duration.ofSeconds(seconds)),
                    bench.openLoop(rate, Duration.ofSeconds(warmup), Duration.ofSeconds(seconds)));
            out.printf("%-28s | %10s | %8s | %8s | %6s%n", "http workload", "uses/s", "p50 us", "p99 us", "errors");
            for (var f : figures)
                out.printf("%-28s | %,10d | %8d | %8d | %6d%n", f.workload(), f.usesPerSecond(), f.p50Micros(), f.p99Micros(), f.errors());
            out.flush();
        }
        return 0;
    }

    private void check(boolean ok, String message) {
        if (!ok) throw new ParameterException(spec.commandLine(), message);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
