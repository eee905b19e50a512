package io.credits.bench;

import java.util.Arrays;

/**
 * Latencies in nanoseconds, kept whole (every sample, not a histogram) so a percentile is exact:
 * a run of a few seconds holds at most a few hundred thousand samples. One per client thread,
 * merged after the run; not thread-safe.
 */
public final class Latencies {
    /** Percentiles of a run, in microseconds. */
    public record Summary(long count, long p50Micros, long p99Micros, long p999Micros, long maxMicros) {}

    private long[] nanos = new long[1 << 12];
    private int size;

    public void add(long nanos) {
        if (size == this.nanos.length) this.nanos = Arrays.copyOf(this.nanos, size * 2);
        this.nanos[size++] = nanos;
    }

    public void addAll(Latencies other) {
        if (size + other.size > nanos.length) nanos = Arrays.copyOf(nanos, Math.max(nanos.length * 2, size + other.size));
        System.arraycopy(other.nanos, 0, nanos, size, other.size);
        size += other.size;
    }

    public int size() {
        return size;
    }

    public Summary summary() {
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        return new Summary(size, percentile(sorted, 0.50) / 1000, percentile(sorted, 0.99) / 1000,
                percentile(sorted, 0.999) / 1000, size == 0 ? 0 : sorted[size - 1] / 1000);
    }

    /**
     * The nearest-rank percentile of sorted values: the smallest value that at least the fraction
     * {@code p} of all values are less than or equal to; 0 for no values.
     */
    public static long percentile(long[] sorted, double p) {
        if (p <= 0 || p > 1) throw new IllegalArgumentException("p must be in (0, 1]: " + p);
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(p * sorted.length - 1e-9); // 1-based; the epsilon keeps 0.99 * 100 at 99
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }
}
