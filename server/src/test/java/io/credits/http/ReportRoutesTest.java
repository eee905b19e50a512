package io.credits.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.credits.http.TestClient.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.credits.http.TestClient.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves what an account can see over raw HTTP: the ledger newest first across pages, usage
 * totals by day (in the account's time zone), feature, user and project, the charges, the catalog.
 */
class ReportRoutesTest {
    static ApiServer server;
    static TestClient admin;

    @BeforeAll
    static void start() {
        // 23:30 UTC: in Europe/Paris (UTC+1 in January) that is already the next day.
        server = ApiServer.start(Instant.parse("2026-01-10T23:30:00Z"));
        admin = server.admin;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void ledger_newestFirst_pagesFollowTheCursorToTheEnd() {
        server.accountWithCredits("rp-led");
        for (int i = 0; i < 5; i++) server.spend.post("/v1/uses", obj("account", "rp-led", "feature", "ai_image"));
        List<Long> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Resp page = server.read.get("/v1/accounts/rp-led/ledger?limit=2" + (cursor == null ? "" : "&after=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            for (JsonNode e : page.json().get("data")) ids.add(e.get("id").asLong());
            cursor = page.text("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(ids).hasSize(6).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(pages).isEqualTo(3);

        JsonNode newest = server.read.get("/v1/accounts/rp-led/ledger?limit=1").json().get("data").get(0);
        assertThat(newest.get("type").asText()).isEqualTo("use");
        assertThat(newest.get("cause").asText()).isEqualTo("use");
        assertThat(newest.get("credits").asLong()).isEqualTo(10);
        assertThat(newest.get("user").asText()).isEqualTo("rp-led");
        assertThat(newest.get("feature").asText()).isEqualTo("ai_image");
        assertThat(newest.get("ref").asText()).startsWith("use_");
        JsonNode oldest = server.read.get("/v1/accounts/rp-led/ledger?after=" + ids.get(4)).json().get("data").get(0);
        assertThat(oldest.get("type").asText()).isEqualTo("grant");
        assertThat(oldest.get("cause").asText()).isEqualTo("booking");
    }

    @Test
    void ledger_badCursorOrLimit_is400_unknownAccount_is404() {
        assertThat(server.read.get("/v1/accounts/rp-led/ledger?after=abc").status()).isEqualTo(400);
        assertThat(server.read.get("/v1/accounts/rp-led/ledger?limit=0").status()).isEqualTo(400);
        Resp unknownParam = server.read.get("/v1/accounts/rp-led/ledger?page=2");
        assertThat(unknownParam.json().get("errors").get(0).get("field").asText()).isEqualTo("query.page");
        assertThat(server.read.get("/v1/accounts/nobody/ledger").code()).isEqualTo("not_found");
    }

    @Test
    void usage_byDayInTheAccountsZone_byFeatureUserProject_leavesRefundsOut() {
        admin.put("/v1/accounts/rp-use", obj("timeZone", "Europe/Paris"));
        server.accountWithCredits("rp-use");
        admin.put("/v1/projects/rp-site", obj("account", "rp-use"));
        admin.put("/v1/projects/rp-site/members/ed", obj("role", "editor"));
        server.spend.post("/v1/uses", obj("account", "rp-use", "feature", "ai_image"));
        server.spend.post("/v1/uses", obj("project", "rp-site", "user", "ed", "feature", "generate_page"));
        String refunded = server.spend.post("/v1/uses", obj("account", "rp-use", "feature", "ai_image")).text("id");
        server.spend.post("/v1/uses/" + refunded + "/refund", null);

        String range = "from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z";
        Resp day = server.read.get("/v1/accounts/rp-use/usage?" + range + "&groupBy=day");
        assertThat(day.status()).isEqualTo(200);
        assertThat(day.text("timeZone")).isEqualTo("Europe/Paris");
        assertThat(day.json().get("data")).hasSize(1);
        assertThat(day.json().at("/data/0/key").asText()).isEqualTo("2026-01-11");
        assertThat(day.json().at("/data/0/credits").asLong()).isEqualTo(20);
        assertThat(day.num("totalUses")).isEqualTo(2);

        Resp feature = server.read.get("/v1/accounts/rp-use/usage?" + range + "&groupBy=feature");
        assertThat(feature.json().get("data").findValuesAsText("key")).containsExactly("ai_image", "generate_page");
        Resp user = server.read.get("/v1/accounts/rp-use/usage?" + range + "&groupBy=user");
        assertThat(user.json().get("data").findValuesAsText("key")).containsExactly("ed", "rp-use");
        Resp project = server.read.get("/v1/accounts/rp-use/usage?" + range + "&groupBy=project");
        assertThat(project.json().at("/data/0/key").asText()).isEqualTo("rp-site");
        assertThat(project.json().at("/data/1/key").isNull()).isTrue();
        Resp defaults = server.read.get("/v1/accounts/rp-use/usage");
        assertThat(defaults.num("totalCredits")).isEqualTo(20);
        assertThat(defaults.text("groupBy")).isEqualTo("day");
    }

    @Test
    void usage_fromNotBeforeTo_rangeTooLong_badGroupBy_badInstant_are400() {
        admin.put("/v1/accounts/rp-bad", null);
        assertThat(server.read.get("/v1/accounts/rp-bad/usage?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")
                .status()).isEqualTo(400);
        assertThat(server.read.get("/v1/accounts/rp-bad/usage?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z")
                .status()).isEqualTo(400);
        Resp group = server.read.get("/v1/accounts/rp-bad/usage?groupBy=week");
        assertThat(group.json().get("errors").get(0).get("field").asText()).isEqualTo("query.groupBy");
        Resp instant = server.read.get("/v1/accounts/rp-bad/usage?from=yesterday");
        assertThat(instant.json().get("errors").get(0).get("field").asText()).isEqualTo("query.from");
    }

    @Test
    void charges_listsBookingAndUpgrade_newestFirst() {
        server.accountWithCredits("rp-ch");
        server.clock.advance(Duration.ofMinutes(1));
        admin.patch("/v1/accounts/rp-ch/ai-plan", obj("plan", "T2000"));
        Resp charges = server.read.get("/v1/accounts/rp-ch/charges");
        assertThat(charges.status()).isEqualTo(200);
        assertThat(charges.json().get("data").findValuesAsText("reason")).containsExactly("upgrade", "booking");
        assertThat(charges.json().at("/data/1/cents").asLong()).isEqualTo(2900);
        assertThat(charges.json().at("/data/1/currency").asText()).isEqualTo("EUR");
        assertThat(charges.json().get("nextCursor").isNull()).isTrue();
        assertThat(server.read.get("/v1/accounts/rp-ch/charges?limit=1").text("nextCursor")).isNotNull();
    }

    @Test
    void catalog_listsPlansPricesFeaturesAndCosts() {
        Resp c = server.spend.get("/v1/catalog");
        assertThat(c.status()).isEqualTo(200);
        assertThat(c.text("currency")).isEqualTo("EUR");
        assertThat(c.json().get("mainPlans").toString()).isEqualTo("[\"FREE\",\"ESSENTIAL\",\"PRO\",\"BUSINESS\"]");
        assertThat(c.json().get("aiPlans").findValuesAsText("name")).contains("FREE", "T1000", "T10000");
        JsonNode writer = null;
        for (JsonNode f : c.json().get("features")) if (f.get("name").asText().equals("ai_writer")) writer = f;
        assertThat(writer).isNotNull();
        assertThat(writer.get("cost").asLong()).isZero();
        assertThat(writer.get("needsAiPlan").asBoolean()).isFalse();
        assertThat(writer.get("minMainPlan").asText()).isEqualTo("ESSENTIAL");
    }
}
