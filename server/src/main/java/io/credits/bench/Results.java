package io.credits.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.credits.store.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One benchmark run as a machine-readable file ({@code <experiment>.json} in the output folder),
 * so later runs can be compared figure by figure.
 *
 * @param version      of this file's layout
 * @param experiment   compare, growth or scale-out
 * @param command      the command line that made it
 * @param measurements closed-loop figures, one per system, workload and parameters
 * @param timings      one-off durations (bulk loads, the month-end catch-up)
 */
public record Results(int version, String experiment, String command, Instant startedAt, Instant finishedAt,
                      Machine machine, List<Measurement> measurements, List<Timing> timings) {
    public static final int VERSION = 1;

    public Results {
        measurements = List.copyOf(measurements);
        timings = List.copyOf(timings);
    }

    /**
     * Where it ran. Load averages from /proc/loadavg at the start and the end: the machine may be
     * shared, and a figure means little without them.
     */
    public record Machine(int cpus, String cpuModel, long memoryBytes, String os, String java, String postgres,
                          String redis, double loadAverageAtStart, double loadAverageAtEnd) {}

    /**
     * A closed-loop figure.
     *
     * @param system      credits (in process), credits-http, naive, redis
     * @param workload    spread or hot
     * @param concurrency clients in the closed loop
     * @param params      what else was varied (accounts, ledgerEntries, grantsPerAccount, processes)
     * @param uses        uses charged in the measured seconds
     * @param failed      uses refused or failed (should be 0)
     */
    public record Measurement(String system, String workload, int concurrency, Map<String, Long> params, long uses,
                              long failed, double seconds, long p50Micros, long p99Micros, long p999Micros,
                              long maxMicros) {
        public Measurement {
            params = new TreeMap<>(params);
        }

        public static Measurement of(String system, String workload, int concurrency, Map<String, Long> params,
                                     ClosedLoop.Run run) {
            Latencies.Summary s = run.latencies().summary();
            return new Measurement(system, workload, concurrency, params, run.uses(), run.failed(), run.seconds(),
                    s.p50Micros(), s.p99Micros(), s.p999Micros(), s.maxMicros());
        }

        /** Written to the file for a reader's convenience; read back from uses and seconds. */
        @JsonProperty("usesPerSecond")
        public long usesPerSecond() {
            return seconds <= 0 ? 0 : Math.round(uses / seconds);
        }

        public Measurement withParam(String name, long value) {
            Map<String, Long> more = new TreeMap<>(params);
            more.put(name, value);
            return new Measurement(system, workload, concurrency, more, uses, failed, seconds, p50Micros, p99Micros,
                    p999Micros, maxMicros);
        }

        public long param(String name) {
            Long v = params.get(name);
            if (v == null) throw new IllegalArgumentException("no parameter " + name + " in " + params);
            return v;
        }
    }

    /** Something done once and timed: {@code count} things in {@code seconds}. */
    public record Timing(String name, long count, double seconds) {
        public long perSecond() {
            return seconds <= 0 ? 0 : Math.round(count / seconds);
        }
    }

    public String toJson() {
        try {
            return Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the results as JSON", e);
        }
    }

    public static Results fromJson(String json) {
        try {
            return Json.MAPPER.copy().disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(json, Results.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a benchmark result file: " + e.getMessage(), e);
        }
    }

    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(experiment + ".json");
        Files.writeString(file, toJson());
        return file;
    }
}
