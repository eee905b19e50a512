package io.credits.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.credits.http.TestClient.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.credits.http.TestClient.obj;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v1/events}, {@code POST /v1/webhook-endpoints} and the delivery log, through HTTP. */
class EventRoutesTest {
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
    void events_afterABooking_andAUseRefusedForLackOfCredits() {
        server.accountWithCredits("ev-a");
        String hold = server.spend.post("/v1/holds", obj("account", "ev-a", "credits", 1000)).text("id");
        ApiServer.check(server.spend.post("/v1/holds/" + hold + "/capture", null), 200);
        Resp refused = server.spend.post("/v1/uses", obj("account", "ev-a", "feature", "generate_page"));
        assertThat(refused.status()).isEqualTo(402);

        Resp page = ApiServer.check(server.read.get("/v1/events?account=ev-a"), 200);
        List<String> types = new ArrayList<>();
        for (JsonNode e : page.json().get("data")) {
            types.add(e.get("type").asText());
            assertThat(e.get("account").asText()).isEqualTo("ev-a");
            assertThat(e.get("id").asText()).startsWith("evt_");
            assertThat(e.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        }
        assertThat(types).contains("plan.booked", "credits.exhausted");
        assertThat(page.text("nextCursor")).isNotNull();

        Resp exhausted = ApiServer.check(server.read.get("/v1/events?account=ev-a&type=credits.exhausted"), 200);
        assertThat(exhausted.json().get("data")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("type").asText()).isEqualTo("credits.exhausted"));
    }

    @Test
    void events_pageWithNextCursor() {
        server.accountWithCredits("ev-p1");
        server.accountWithCredits("ev-p2");
        Resp first = ApiServer.check(server.admin.get("/v1/events?limit=1"), 200);
        assertThat(first.json().get("data")).hasSize(1);
        String cursor = first.text("nextCursor");
        assertThat(cursor).isNotNull();
        Resp second = ApiServer.check(server.admin.get("/v1/events?limit=1&after=" + cursor), 200);
        assertThat(second.json().get("data")).hasSize(1);
        assertThat(second.json().get("data").get(0).get("id").asText())
                .isNotEqualTo(first.json().get("data").get(0).get("id").asText());
        assertThat(second.text("nextCursor")).isNotEqualTo(cursor);

        Resp bad = server.read.get("/v1/events?after=nonsense&limit=0");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("invalid_request");
        assertThat(bad.body()).contains("query.after", "query.limit");
    }

    @Test
    void webhookEndpoint_created_withAWhsecSecret() {
        Resp r = ApiServer.check(server.admin.post("/v1/webhook-endpoints",
                obj("url", "https://example.com/hooks", "events", List.of("credits.low", "plan.booked"))), 201);
        assertThat(r.text("id")).startsWith("we_");
        assertThat(r.text("url")).isEqualTo("https://example.com/hooks");
        assertThat(r.text("secret")).startsWith("whsec_");

        Resp log = ApiServer.check(server.admin.get("/v1/webhook-endpoints/" + r.text("id") + "/deliveries"), 200);
        assertThat(log.json().get("data").isArray()).isTrue();
    }

    @Test
    void webhookEndpoint_badUrl_is400NamingUrl() {
        Resp r = server.admin.post("/v1/webhook-endpoints", obj("url", "ftp://example.com/x", "events", List.of("*")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("invalid_request");
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("url");

        Resp types = server.admin.post("/v1/webhook-endpoints", obj("url", "https://example.com/x", "events", List.of("nope")));
        assertThat(types.status()).isEqualTo(400);
        assertThat(types.json().get("errors").get(0).get("field").asText()).isEqualTo("events[0]");
    }

    @Test
    void deliveries_ofAnUnknownEndpoint_is404() {
        Resp r = server.admin.get("/v1/webhook-endpoints/we_unknown/deliveries");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("not_found");
    }

    @Test
    void webhookRoutes_needTheAdminScope() {
        Resp create = server.spend.post("/v1/webhook-endpoints", obj("url", "https://example.com/x", "events", List.of("*")));
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.code()).isEqualTo("forbidden");
        assertThat(server.read.get("/v1/webhook-endpoints/we_x/deliveries").status()).isEqualTo(403);
        assertThat(server.spend.get("/v1/events").status()).isEqualTo(403);
        assertThat(server.anonymous.get("/v1/events").status()).isEqualTo(401);
    }
}
