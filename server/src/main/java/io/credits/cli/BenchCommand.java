package io.credits.cli;

import io.credits.bench.Bench;
import io.credits.bench.Compare;
import io.credits.bench.Growth;
import io.credits.bench.HttpBench;
import io.credits.bench.MachineInfo;
import io.credits.bench.Report;
import io.credits.bench.Results;
import io.credits.bench.ScaleOut;
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
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code credits bench}: durable uses per second on an embedded PostgreSQL with fsync on. Without a
 * mode: Credits beside the naive baseline at one concurrency. {@code --compare}: Credits in process
 * and over HTTP, the naive way and Redis ({@code appendfsync always}) at rising concurrency.
 * {@code --growth}: against the number of accounts, the ledger's size and grants per account, and
 * the month-end catch-up. {@code --scale-out}: 1, 2, 4 server processes on one database. The modes
 * write a result file and charts into {@code --out}. A benchmark, never a test: results go to
 * docs/benchmarks.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure durable uses per second: against a naive baseline, or side by side with Redis "
                + "(--compare), as the data grows (--growth), or on several server processes (--scale-out).")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--accounts", defaultValue = "10000", description = "Accounts the spread load goes over (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--clients", description = "Concurrent clients, closed loop (default: 128; 64 with --growth).")
    Integer clients;

    @Option(names = "--lanes", defaultValue = "4", description = "Engine lanes, each one transaction at a time (default: ${DEFAULT-VALUE}).")
    int lanes;

    @Option(names = "--seconds", description = "Measured seconds per figure (default: 10; 4 with --compare, --growth, --scale-out).")
    Integer seconds;

    @Option(names = "--warmup", description = "Warm-up seconds before each figure (default: 3; 1 with --compare, --growth, --scale-out).")
    Integer warmup;

    @Option(names = "--database-url", paramLabel = "JDBC_URL", description = "Measure on this PostgreSQL (its data is added to) instead of a new embedded one.")
    String databaseUrl;

    @Option(names = "--http", description = "Measure over HTTP on loopback instead: the most uses/s of a closed loop, and latency at a fixed load.")
    boolean http;

    @Option(names = "--rate", defaultValue = "5000", description = "With --http: the fixed offered load, uses per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--compare", description = "Credits in process and over HTTP, naive PostgreSQL and Redis (appendfsync always), "
            + "spread and on one hot account, at each --concurrency.")
    boolean compare;

    @Option(names = "--growth", description = "Uses/s and latency against accounts, ledger size and grants per account; "
            + "then the month-end catch-up of all accounts.")
    boolean growth;

    @Option(names = "--scale-out", description = "Over HTTP, with --processes server processes on one database.")
    boolean scaleOut;

    @Option(names = "--concurrency", split = ",", paramLabel = "N,N,...",
            description = "Client concurrency levels (default: 1,4,16,64,256 with --compare; 16,64,256 with --scale-out).")
    List<Integer> concurrency;

    @Option(names = "--growth-accounts", split = ",", defaultValue = "1,100,10000,100000,1000000", paramLabel = "N,N,...",
            description = "With --growth: numbers of accounts (default: ${DEFAULT-VALUE}).")
    List<Integer> growthAccounts;

    @Option(names = "--growth-ledger", split = ",", defaultValue = "2000000,5000000", paramLabel = "N,N,...",
            description = "With --growth: ledger sizes in entries to grow to (default: ${DEFAULT-VALUE}).")
    List<Long> growthLedger;

    @Option(names = "--growth-grants", split = ",", defaultValue = "2,10,100,1000", paramLabel = "N,N,...",
            description = "With --growth: live grants per account (default: ${DEFAULT-VALUE}).")
    List<Integer> growthGrants;

    @Option(names = "--growth-steps", split = ",", defaultValue = "accounts,ledger,grants,catch-up", paramLabel = "STEP,...",
            description = "With --growth: which steps to run, of ${DEFAULT-VALUE} (default: all).")
    List<String> growthSteps;

    @Option(names = "--processes", split = ",", defaultValue = "1,2,4", paramLabel = "N,N,...",
            description = "With --scale-out: numbers of server processes (default: ${DEFAULT-VALUE}).")
    List<Integer> processes;

    @Option(names = "--redis-server", defaultValue = "/usr/bin/redis-server", paramLabel = "PATH",
            description = "With --compare: the redis-server to start (default: ${DEFAULT-VALUE}).")
    Path redisServer;

    @Option(names = "--out", defaultValue = "docs/bench", paramLabel = "DIR",
            description = "Where --compare, --growth and --scale-out write their result file and charts (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Make the charts and tables of an earlier result file again (into --out), without measuring.")
    Path report;

    @Override
    public Integer call() throws Exception {
        int modes = (compare ? 1 : 0) + (growth ? 1 : 0) + (scaleOut ? 1 : 0) + (http ? 1 : 0) + (report != null ? 1 : 0);
        check(modes <= 1, "choose one of --compare, --growth, --scale-out, --http, --report");
        boolean experiment = compare || growth || scaleOut;
        int secs = seconds != null ? seconds : experiment ? 4 : 10;
        int warm = warmup != null ? warmup : experiment ? 1 : 3;
        int clientCount = clients != null ? clients : growth ? 64 : 128;
        List<Integer> levels = concurrency != null ? concurrency : scaleOut ? List.of(16, 64, 256) : List.of(1, 4, 16, 64, 256);
        check(accounts >= 1 && accounts <= 1_000_000, "--accounts must be 1 to 1000000");
        check(clientCount >= 1 && clientCount <= 4096, "--clients must be 1 to 4096");
        check(lanes >= 1 && lanes <= 64, "--lanes must be 1 to 64");
        check(secs >= 1 && secs <= 3600, "--seconds must be 1 to 3600");
        check(warm >= 0 && warm <= 600, "--warmup must be 0 to 600");
        check(levels.stream().allMatch(c -> c >= 1 && c <= 4096), "--concurrency levels must be 1 to 4096");
        check(growthAccounts.stream().allMatch(n -> n >= 1 && n <= 10_000_000), "--growth-accounts must be 1 to 10000000");
        check(growthLedger.stream().allMatch(n -> n >= 0 && n <= 1_000_000_000L), "--growth-ledger must be 0 to 1000000000");
        check(growthGrants.stream().allMatch(n -> n >= 1 && n <= 100_000), "--growth-grants must be 1 to 100000");
        check(Growth.STEPS.containsAll(growthSteps), "--growth-steps are some of " + String.join(",", Growth.STEPS));
        check(processes.stream().allMatch(n -> n >= 1 && n <= 16), "--processes must be 1 to 16");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> progress = line -> {
            err.println(line);
            err.flush();
        };
        if (report != null) return report(out);
        Duration warmupTime = Duration.ofSeconds(warm);
        Duration measureTime = Duration.ofSeconds(secs);
        double loadAtStart = MachineInfo.loadAverage();
        Instant started = Instant.now();
        if (experiment) progress.accept(String.format("load average at the start: %.2f (%d CPUs)", loadAtStart,
                Runtime.getRuntime().availableProcessors()));
        Path dir = Files.createTempDirectory("credits-bench");
        // The naive baseline's clients wait for a pooled connection when there are more of them than
        // connections (as a naive service would): they may wait long, but must not fail.
        Database.Options options = Database.Options.defaults().withFsync(true).withConnectionTimeout(Duration.ofSeconds(60))
                .withPoolSize(compare ? 90 : scaleOut ? 8 : Math.max(lanes, 32));
        try (Database db = databaseUrl != null ? Database.external(databaseUrl, options) : Database.embedded(dir, options)) {
            if (http) {
                check(rate >= 1 && rate <= 100_000, "--rate must be 1 to 100000");
                return httpBench(db, dir, out, progress);
            }
            if (!experiment) {
                Bench bench = new Bench(db.dataSource(), CatalogLoader.defaultCatalog(),
                        new Bench.Settings(accounts, clientCount, warmupTime, measureTime), progress);
                List<Results.Measurement> figures = bench.run(lanes);
                printFigures(out, figures);
                for (int i = 0; i + 1 < figures.size(); i += 2)
                    out.printf("%s: credits / naive = %.1fx%n", figures.get(i).workload(),
                            (double) figures.get(i).usesPerSecond() / Math.max(1, figures.get(i + 1).usesPerSecond()));
                out.flush();
                return 0;
            }
            String name;
            List<Results.Measurement> measurements;
            List<Results.Timing> timings = List.of();
            String redisVersion = "";
            if (compare) {
                name = "compare";
                Compare c = new Compare(db, new Compare.Settings(accounts, levels, warmupTime, measureTime, lanes,
                        redisServer, dir.resolve("serve")), progress);
                measurements = c.run();
                redisVersion = c.redisVersion();
            } else if (growth) {
                name = "growth";
                Growth.Found found = new Growth(db.dataSource(), new Growth.Settings(
                        growthSteps.contains("accounts") ? growthAccounts : List.of(),
                        growthSteps.contains("ledger") ? growthLedger : List.of(),
                        growthSteps.contains("grants") ? growthGrants : List.of(),
                        clientCount, warmupTime, measureTime, lanes, growthSteps.contains("catch-up")), progress).run();
                measurements = found.measurements();
                timings = found.timings();
            } else {
                name = "scale-out";
                measurements = new ScaleOut(db.dataSource(), new ScaleOut.Settings(db.connectionUrl(), accounts,
                        processes, levels, warmupTime, measureTime, dir, "1g"), progress).run();
            }
            Results results = new Results(Results.VERSION, name, commandLine(), started, Instant.now(),
                    MachineInfo.read(db.dataSource(), redisVersion, loadAtStart), measurements, timings);
            Path file = results.write(outDir);
            List<Path> charts = Report.writeCharts(results, outDir);
            progress.accept("wrote " + file + " and " + charts.size() + " charts in " + outDir);
            out.print(Report.markdown(results));
            out.flush();
        } finally {
            deleteTree(dir);
        }
        return 0;
    }

    private int report(PrintWriter out) throws IOException {
        check(Files.isRegularFile(report), "--report: no file " + report);
        Results results = Results.fromJson(Files.readString(report));
        Report.writeCharts(results, outDir);
        out.print(Report.markdown(results));
        out.flush();
        return 0;
    }

    private String commandLine() {
        List<String> args = new java.util.ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.getFirst().equals("bench")) args.removeFirst(); // the top-level parse's args
        return String.join(" ", java.util.stream.Stream.concat(java.util.stream.Stream.of("bin/credits", "bench"), args.stream()).toList());
    }

    private static void printFigures(PrintWriter out, List<Results.Measurement> figures) {
        out.printf("%-12s | %-16s | %7s | %10s | %9s | %9s | %9s | %6s%n", "engine", "workload", "clients", "uses/s",
                "p50 us", "p99 us", "p99.9 us", "failed");
        for (Results.Measurement f : figures)
            out.printf("%-12s | %-16s | %7d | %,10d | %9d | %9d | %9d | %6d%n", f.system(), f.workload(), f.concurrency(),
                    f.usesPerSecond(), f.p50Micros(), f.p99Micros(), f.p999Micros(), f.failed());
    }

    private int httpBench(Database db, Path dir, PrintWriter out, Consumer<String> progress) throws Exception {
        String key = "ck_bench_" + java.util.UUID.randomUUID();
        int clientCount = clients != null ? clients : 128;
        int secs = seconds != null ? seconds : 10;
        int warm = warmup != null ? warmup : 3;
        try (io.credits.app.App app = io.credits.app.App.start(new io.credits.app.ServeConfig("127.0.0.1", 0, dir,
                java.util.Optional.empty(), java.util.Optional.empty()), db, java.time.Clock.systemUTC(), java.util.Optional.of(key))) {
            List<String> ids = Bench.setUp(app.engine(), accounts, "bench-", progress);
            HttpBench bench = new HttpBench(java.net.URI.create(app.url()), key, ids, progress);
            printFigures(out, List.of(
                    bench.closedLoop(clientCount, Duration.ofSeconds(warm), Duration.ofSeconds(secs)),
                    bench.openLoop(rate, Duration.ofSeconds(warm), Duration.ofSeconds(secs))));
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
