package io.credits.http;

import io.credits.http.TestClient.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static io.credits.http.TestClient.obj;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /v1/portal-sessions} and the billing page it links to, through HTTP. */
class PortalRoutesTest {
    static ApiServer server;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        server = ApiServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> browse(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void session_linksToTheBillingPage_withTheAccountsCredits() throws Exception {
        server.accountWithCredits("po-a");
        ApiServer.check(server.spend.post("/v1/uses", obj("account", "po-a", "feature", "generate_page")), 201);
        long available = server.admin.get("/v1/accounts/po-a/balance").num("available");
        assertThat(available).isLessThan(1000);

        Resp s = ApiServer.check(server.admin.post("/v1/portal-sessions", obj("account", "po-a", "ttlSeconds", 600)), 201);
        String url = s.text("url");
        assertThat(url).startsWith(server.url() + "/billing/po-a?");
        assertThat(Instant.parse(s.text("expiresAt"))).isEqualTo(server.clock.instant().plusSeconds(600));

        HttpResponse<String> page = browse(url);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.body()).contains("<data id=\"available\" value=\"" + available + "\"");

        String tampered = url.replaceAll("sig=[^&]+", "sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        HttpResponse<String> refused = browse(tampered);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(refused.body()).doesNotContain("id=\"available\"").doesNotContain(Long.toString(available));
    }

    @Test
    void session_ofAnUnknownAccount_is404_aBadTtl_is400_andItNeedsAdmin() {
        Resp unknown = server.admin.post("/v1/portal-sessions", obj("account", "po-nobody"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("not_found");

        server.accountWithCredits("po-b");
        Resp ttl = server.admin.post("/v1/portal-sessions", obj("account", "po-b", "ttlSeconds", 86_401));
        assertThat(ttl.status()).isEqualTo(400);
        assertThat(ttl.json().get("errors").get(0).get("field").asText()).isEqualTo("ttlSeconds");

        assertThat(server.spend.post("/v1/portal-sessions", obj("account", "po-b")).status()).isEqualTo(403);
        assertThat(server.anonymous.post("/v1/portal-sessions", obj("account", "po-b")).status()).isEqualTo(401);
    }
}
