package io.credits.http;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The service's figures for {@code GET /metrics}, in Prometheus text through Micrometer: requests
 * by route (latency histograms), uses and refusals by code, the connection pool and the outbox.
 */
public final class Metrics {
    /** Latency buckets span these; slower requests still count, in the last bucket. */
    static final Duration LATENCY_MIN = Duration.ofMillis(1);
    static final Duration LATENCY_MAX = Duration.ofSeconds(10);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** Reports the pool's figures (HikariCP's Micrometer tracker), if the data source is a Hikari pool. */
    public Metrics pool(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource hikari && hikari.getMetricsTrackerFactory() == null) {
            hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        }
        return this;
    }

    /** The number of rows in the outbox, read at each scrape; -1 when it cannot be read. */
    public Metrics outbox(LongSupplier size) {
        Gauge.builder("credits.outbox.events", () -> {
            try {
                return size.getAsLong();
            } catch (RuntimeException e) {
                return -1;
            }
        }).description("events in the outbox").register(registry);
        return this;
    }

    void request(String method, String route, int status, long nanos) {
        Timer.builder("http.server.requests")
                .description("HTTP requests by route")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(LATENCY_MIN)
                .maximumExpectedValue(LATENCY_MAX)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void use(String feature, long credits) {
        Counter.builder("credits.uses").description("uses charged").tag("feature", feature).register(registry).increment();
        Counter.builder("credits.spent").description("credits charged by uses").baseUnit("credits")
                .register(registry).increment(credits);
    }

    /** Every problem answered, by code: refusals of the rules and refusals of the request alike. */
    void refusal(String code) {
        Counter.builder("credits.refusals").description("requests refused, by code").tag("code", code)
                .register(registry).increment();
    }

    String scrape() {
        return registry.scrape();
    }
}
