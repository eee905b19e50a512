package io.credits.bench;

import io.credits.bench.Results.Measurement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * What a result file says, for people: SVG charts written beside it, and Markdown tables (printed
 * by the benchmark, pasted into docs/benchmarks.md). Made from the file alone, so the charts of an
 * old run can be made again ({@code bench --report FILE}).
 */
public final class Report {
    private Report() {}

    /** Writes the charts of these results into {@code dir}; returns their files. */
    public static List<Path> writeCharts(Results r, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (var e : charts(r).entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.writeString(f, Svg.lineChart(e.getValue()));
            files.add(f);
        }
        return files;
    }

    /** Chart file names and charts, by experiment. */
    public static Map<String, Svg.Chart> charts(Results r) {
        Map<String, Svg.Chart> out = new LinkedHashMap<>();
        List<Measurement> ms = r.measurements();
        switch (r.experiment()) {
            case "compare" -> {
                for (String w : List.of("spread", "hot")) {
                    String what = w.equals("spread") ? String.format(Locale.ROOT, "spread over %,d accounts", accounts(ms)) : "one hot account";
                    out.put("compare-" + w + "-throughput.svg", new Svg.Chart("Durable uses per second, " + what,
                            "concurrent clients", "uses per second", true, true,
                            bySystem(ms, m -> m.workload().equals(w), m -> m.concurrency(), m -> m.usesPerSecond())));
                    out.put("compare-" + w + "-p99.svg", new Svg.Chart("p99 latency, " + what, "concurrent clients",
                            "p99 latency (ms)", true, true,
                            bySystem(ms, m -> m.workload().equals(w), m -> m.concurrency(), m -> m.p99Micros() / 1000.0)));
                }
            }
            case "growth" -> {
                Predicate<Measurement> accountsStep = m -> m.params().keySet().equals(java.util.Set.of("accounts"));
                Predicate<Measurement> ledgerStep = m -> m.params().containsKey("ledgerEntries");
                Predicate<Measurement> grantsStep = m -> m.params().containsKey("grantsPerAccount");
                out.put("growth-accounts.svg", new Svg.Chart("Uses per second and p99 against the number of accounts",
                        "accounts", "uses/s; p99 in ms", true, true, List.of(
                        series("uses per second", ms, accountsStep, m -> m.param("accounts"), m -> m.usesPerSecond()),
                        series("p99 latency (ms)", ms, accountsStep, m -> m.param("accounts"), m -> m.p99Micros() / 1000.0))));
                out.put("growth-ledger.svg", new Svg.Chart("Uses per second against the ledger's size",
                        "ledger entries", "uses/s; p99 in ms", true, true, List.of(
                        series("uses per second", ms, ledgerStep, m -> m.param("ledgerEntries"), m -> m.usesPerSecond()),
                        series("p99 latency (ms)", ms, ledgerStep, m -> m.param("ledgerEntries"), m -> m.p99Micros() / 1000.0))));
                out.put("growth-grants.svg", new Svg.Chart("Uses per second against live grants per account",
                        "live grants per account", "uses per second", true, true, List.of(
                        series("spread over " + Growth.GRANTS_ACCOUNTS + " accounts", ms,
                                grantsStep.and(m -> m.workload().equals("spread")), m -> m.param("grantsPerAccount"),
                                m -> m.usesPerSecond()),
                        series("one hot account", ms, grantsStep.and(m -> m.workload().equals("hot")),
                                m -> m.param("grantsPerAccount"), m -> m.usesPerSecond()))));
                out.values().removeIf(c -> c.series().stream().allMatch(s -> s.points().isEmpty()));
            }
            case "scale-out" -> {
                List<Integer> levels = ms.stream().map(Measurement::concurrency).distinct().sorted().toList();
                List<Svg.Series> series = new ArrayList<>();
                for (int c : levels)
                    series.add(series(c + " clients", ms, m -> m.concurrency() == c, m -> m.param("processes"),
                            m -> m.usesPerSecond()));
                out.put("scale-out.svg", new Svg.Chart("Uses per second over HTTP against server processes on one database",
                        "server processes", "uses per second", false, false, series));
            }
            default -> { }
        }
        return out;
    }

    /** What a chart's legend calls each system. */
    static final Map<String, String> LABELS = Map.of("credits", "Credits, in process", "credits-http",
            "Credits over HTTP", "naive", "naive PostgreSQL", "redis", "Redis, fsync always");

    private static List<Svg.Series> bySystem(List<Measurement> ms, Predicate<Measurement> which,
                                             ToDoubleFunction<Measurement> x, ToDoubleFunction<Measurement> y) {
        List<Svg.Series> out = new ArrayList<>();
        for (String system : systems(ms))
            out.add(series(LABELS.getOrDefault(system, system), ms, which.and(m -> m.system().equals(system)), x, y));
        return out;
    }

    private static Svg.Series series(String name, List<Measurement> ms, Predicate<Measurement> which,
                                     ToDoubleFunction<Measurement> x, ToDoubleFunction<Measurement> y) {
        return new Svg.Series(name, ms.stream().filter(which)
                .map(m -> new Svg.Point(x.applyAsDouble(m), Math.max(y.applyAsDouble(m), 1e-3)))
                .sorted(java.util.Comparator.comparingDouble(Svg.Point::x)).toList());
    }

    private static List<String> systems(List<Measurement> ms) {
        List<String> order = new ArrayList<>(Compare.SYSTEMS);
        ms.stream().map(Measurement::system).distinct().filter(s -> !order.contains(s)).forEach(order::add);
        return order.stream().filter(s -> ms.stream().anyMatch(m -> m.system().equals(s))).toList();
    }

    private static long accounts(List<Measurement> ms) {
        return ms.stream().filter(m -> m.params().containsKey("accounts")).mapToLong(m -> m.param("accounts")).max().orElse(0);
    }

    // ---------------------------------------------------------------- Markdown

    public static String markdown(Results r) {
        StringBuilder sb = new StringBuilder();
        Results.Machine m = r.machine();
        sb.append(String.format(Locale.ROOT, "Run %s to %s: `%s`%n%n", r.startedAt(), r.finishedAt(), r.command()));
        sb.append(String.format(Locale.ROOT, "Machine: %d CPUs (%s), %.1f GiB, %s, Java %s, PostgreSQL %s%s; "
                        + "load average %.2f at the start, %.2f at the end.%n%n", m.cpus(), m.cpuModel(),
                m.memoryBytes() / (1024.0 * 1024 * 1024), m.os(), m.java(), m.postgres(),
                m.redis().isEmpty() ? "" : ", Redis " + m.redis(), m.loadAverageAtStart(), m.loadAverageAtEnd()));
        sb.append("| system | workload | params | clients | uses/s | p50 | p99 | p99.9 | failed |\n");
        sb.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Measurement x : r.measurements())
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %,d | %s | %s | %s | %d |%n", x.system(),
                    x.workload(), params(x), x.concurrency(), x.usesPerSecond(), ms(x.p50Micros()), ms(x.p99Micros()),
                    ms(x.p999Micros()), x.failed()));
        if (!r.timings().isEmpty()) {
            sb.append("\n| done once | count | seconds | per second |\n| --- | ---: | ---: | ---: |\n");
            for (Results.Timing t : r.timings())
                sb.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %,d |%n", t.name(), t.count(), t.seconds(), t.perSecond()));
        }
        if (r.experiment().equals("compare")) sb.append('\n').append(goals(r.measurements()));
        return sb.toString();
    }

    /** Credits against Redis and the naive way, level by level, and peak against peak. */
    static String goals(List<Measurement> ms) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "| workload | clients | credits | credits-http | naive | redis | credits / redis "
                + "(goal ≥ %.1f) | credits / naive (goal ≥ %.0f) |%n", Compare.GOAL_VS_REDIS, Compare.GOAL_VS_NAIVE));
        sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (String w : List.of("spread", "hot")) {
            List<Integer> levels = ms.stream().filter(m -> m.workload().equals(w)).map(Measurement::concurrency)
                    .distinct().sorted().toList();
            for (int c : levels) {
                long credits = rate(ms, "credits", w, Optional.of(c));
                long naive = rate(ms, "naive", w, Optional.of(c));
                long redis = rate(ms, "redis", w, Optional.of(c));
                sb.append(String.format(Locale.ROOT, "| %s | %d | %,d | %,d | %,d | %,d | %s | %s |%n", w, c, credits,
                        rate(ms, "credits-http", w, Optional.of(c)), naive, redis, ratio(credits, redis), ratio(credits, naive)));
            }
            long credits = rate(ms, "credits", w, Optional.empty());
            long naive = rate(ms, "naive", w, Optional.empty());
            long redis = rate(ms, "redis", w, Optional.empty());
            sb.append(String.format(Locale.ROOT, "| %s | best | %,d | %,d | %,d | %,d | **%s** | **%s** |%n", w, credits,
                    rate(ms, "credits-http", w, Optional.empty()), naive, redis, ratio(credits, redis), ratio(credits, naive)));
        }
        return sb.toString();
    }

    /** Uses/s of a system at a level, or its best over all levels. */
    private static long rate(List<Measurement> ms, String system, String workload, Optional<Integer> level) {
        return ms.stream().filter(m -> m.system().equals(system) && m.workload().equals(workload)
                        && level.map(l -> m.concurrency() == l).orElse(true))
                .mapToLong(Measurement::usesPerSecond).max().orElse(0);
    }

    private static String ratio(long a, long b) {
        return b == 0 ? "–" : String.format(Locale.ROOT, "%.2f×", (double) a / b);
    }

    private static String params(Measurement m) {
        StringBuilder sb = new StringBuilder();
        m.params().forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append('=')
                .append(String.format(Locale.ROOT, "%,d", v)));
        return sb.toString();
    }

    static String ms(long micros) {
        return micros >= 10_000 ? String.format(Locale.ROOT, "%,.0f ms", micros / 1000.0)
                : String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }
}
