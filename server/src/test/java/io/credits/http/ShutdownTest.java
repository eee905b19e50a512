package io.credits.http;

import io.credits.catalog.CatalogLoader;
import io.credits.store.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves a clean stop (what SIGTERM runs) finishes the requests in flight: closing the app while
 * uses pour in loses no answer of a committed use, and no request fails with a server error other
 * than the 503 of a request that came after the stop began.
 */
class ShutdownTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void close_whileUsesArrive_everyCommittedUseIsAnswered() throws Exception {
        ApiServer server = ApiServer.start();
        try {
            server.accountWithCredits("sd");
            HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            String body = TestClient.write(Map.of("account", "sd", "feature", "ai_image"));
            CountDownLatch firstAnswers = new CountDownLatch(10);
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                HttpRequest req = HttpRequest.newBuilder(URI.create(server.url() + "/v1/uses"))
                        .header("Authorization", "Bearer " + ApiServer.ADMIN_KEY)
                        // A request sent as the connector closed may get no answer at all: bound the wait.
                        .timeout(Duration.ofSeconds(5))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                calls.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
                        .whenComplete((r, e) -> firstAnswers.countDown()));
            }
            firstAnswers.await(30, TimeUnit.SECONDS);
            server.app.close();

            int created = 0;
            for (CompletableFuture<HttpResponse<String>> c : calls) {
                HttpResponse<String> r;
                try {
                    r = c.get(10, TimeUnit.SECONDS);
                } catch (Exception refusedOrClosed) {
                    continue; // sent after the connector closed: never served, so nothing committed for it
                }
                assertThat(r.statusCode()).as(r.body()).isIn(201, 402, 503);
                if (r.statusCode() == 201) created++;
            }
            assertThat(created).isPositive();
            assertThat(usesInDatabase(server)).as("every committed use was answered").isEqualTo(created);
            assertThat(Verifier.verify(server.db.dataSource(), CatalogLoader.defaultCatalog()).ok()).isTrue();
        } finally {
            server.close();
        }
    }

    private static long usesInDatabase(ApiServer server) throws Exception {
        try (Connection c = server.db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM uses WHERE account_id = 'sd'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
