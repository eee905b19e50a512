package io.credits.http;

import io.credits.store.Verifier;
import io.credits.catalog.CatalogLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that no overdraft comes through HTTP: 200 concurrent uses against 100 uses' worth of
 * credits give exactly 100 × 201 and 100 × 402, the account ends at 0, and the ledger reconciles.
 */
class ConcurrentUsesHttpTest {
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
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoHundredConcurrentUses_against100UsesOfCredits_exactly100Succeed() throws Exception {
        server.accountWithCredits("conc"); // 1,000 credits; a use of ai_image costs 10
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
                .connectTimeout(Duration.ofSeconds(5)).build();
        String body = TestClient.write(Map.of("account", "conc", "feature", "ai_image"));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(server.url() + "/v1/uses"))
                    .header("Authorization", "Bearer " + ApiServer.ADMIN_KEY)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            calls.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
        }
        int created = 0, refused = 0;
        for (CompletableFuture<HttpResponse<String>> c : calls) {
            HttpResponse<String> r = c.get(30, TimeUnit.SECONDS);
            TestClient.check("POST", "/v1/uses", r);
            if (r.statusCode() == 201) created++;
            else if (r.statusCode() == 402 && r.body().contains("\"code\":\"insufficient_credits\"")) refused++;
            else throw new AssertionError("unexpected " + r.statusCode() + " " + r.body());
        }
        assertThat(created).isEqualTo(100);
        assertThat(refused).isEqualTo(100);
        assertThat(server.admin.get("/v1/accounts/conc/balance").num("available")).isZero();
        assertThat(Verifier.verify(server.db.dataSource(), CatalogLoader.defaultCatalog()).ok()).isTrue();
    }
}
