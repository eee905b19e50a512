package io.credits.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatenciesTest {
    @Test
    void percentile_isTheNearestRank() {
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) hundred[i] = i + 1; // 1..100
        assertThat(Latencies.percentile(hundred, 0.50)).isEqualTo(50);
        assertThat(Latencies.percentile(hundred, 0.99)).isEqualTo(99);
        assertThat(Latencies.percentile(hundred, 0.999)).isEqualTo(100);
        assertThat(Latencies.percentile(hundred, 1.0)).isEqualTo(100);
        assertThat(Latencies.percentile(hundred, 0.01)).isEqualTo(1);
    }

    @Test
    void percentile_ofFewValues_neverReadsOutsideThem() {
        assertThat(Latencies.percentile(new long[0], 0.99)).isZero();
        assertThat(Latencies.percentile(new long[] {7}, 0.5)).isEqualTo(7);
        assertThat(Latencies.percentile(new long[] {1, 2}, 0.5)).isEqualTo(1);
        assertThat(Latencies.percentile(new long[] {1, 2}, 0.51)).isEqualTo(2);
        assertThatThrownBy(() -> Latencies.percentile(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void summary_mergesClients_andReportsMicroseconds() {
        Latencies a = new Latencies();
        Latencies b = new Latencies();
        for (int i = 1000; i >= 1; i--) (i % 2 == 0 ? a : b).add(i * 1_000L); // 1..1000 µs, unsorted, split
        Latencies all = new Latencies();
        all.addAll(a);
        all.addAll(b);
        Latencies.Summary s = all.summary();
        assertThat(s.count()).isEqualTo(1000);
        assertThat(s.p50Micros()).isEqualTo(500);
        assertThat(s.p99Micros()).isEqualTo(990);
        assertThat(s.p999Micros()).isEqualTo(999);
        assertThat(s.maxMicros()).isEqualTo(1000);
    }

    @Test
    void summary_ofNothing_isZero() {
        assertThat(new Latencies().summary()).isEqualTo(new Latencies.Summary(0, 0, 0, 0, 0));
    }
}
