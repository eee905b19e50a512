package io.credits.http;

import io.credits.catalog.CatalogLoader;
import io.credits.store.Engine;
import io.credits.store.Database;
import io.credits.store.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Proves /health reports the database: 200 while it answers, a quick 503 problem when it does not. */
class HttpServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void health_databaseGone_answers503ProblemQuickly() throws Exception {
        Database db = EmbeddedServer.shared().freshDatabase();
        try (Engine engine = new Engine(db.dataSource(), CatalogLoader.defaultCatalog(), Clock.systemUTC(), ZoneOffset.UTC, 1);
             HttpServer http = HttpServer.start("127.0.0.1", 0, new HttpServer.Dependencies(db, engine, new Metrics()))) {
            assertThat(http.url()).isEqualTo("http://127.0.0.1:" + http.port());
            assertThat(get(http.url() + "/health").statusCode()).isEqualTo(200);

            db.close();
            long start = System.nanoTime();
            HttpResponse<String> down = get(http.url() + "/health");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith(Problem.CONTENT_TYPE));
            assertThat(down.body()).contains("\"status\":503").contains("\"code\":\"unavailable\"");
            assertThat(took).isLessThan(Duration.ofSeconds(2));
        } finally {
            db.close();
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
