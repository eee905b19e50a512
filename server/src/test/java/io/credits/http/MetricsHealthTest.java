package io.credits.http;

import io.credits.http.TestClient.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.credits.http.TestClient.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves /health and /metrics: health answers 200 while the database does; the metrics are
 * Prometheus text with uses, refusals by code, latency histograms per route, the pool and the outbox.
 */
class MetricsHealthTest {
    static ApiServer server;

    @BeforeAll
    static void start() {
        server = ApiServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void health_is200Ok() {
        Resp r = server.anonymous.get("/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void metrics_countUsesAndRefusals_timeRoutes_andShowPoolAndOutbox() {
        server.accountWithCredits("m");
        server.spend.post("/v1/uses", obj("account", "m", "feature", "ai_image"));
        server.spend.post("/v1/uses", obj("account", "nobody", "feature", "ai_image"));
        Resp r = server.anonymous.get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain");
        assertThat(r.body())
                .contains("credits_uses_total{feature=\"ai_image\"} 1.0")
                .contains("credits_refusals_total{code=\"not_found\"}")
                .contains("http_server_requests_seconds_bucket{")
                .contains("route=\"/v1/uses\"")
                .contains("hikaricp_connections")
                .contains("credits_outbox_events");
    }
}
