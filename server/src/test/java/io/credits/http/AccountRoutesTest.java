package io.credits.http;

import io.credits.http.TestClient.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.credits.http.TestClient.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the account routes of API.md over raw HTTP: accounts, main plan, AI plan, balance and
 * operators' grants, with their status codes and refusals; an account comes into being at its
 * first mention by PUT, main plan or AI plan, and is not_found for everything else.
 */
class AccountRoutesTest {
    static ApiServer server;
    static TestClient admin;

    @BeforeAll
    static void start() {
        server = ApiServer.start();
        admin = server.admin;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void putAccount_createsThenUpdates_answering200WithTheAccount() {
        Resp created = admin.put("/v1/accounts/acc-put", obj("name", "Acme"));
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.text("id")).isEqualTo("acc-put");
        assertThat(created.text("name")).isEqualTo("Acme");
        assertThat(created.text("timeZone")).isEqualTo("UTC");
        assertThat(created.json().get("mainPlan").isNull()).isTrue();

        Resp updated = admin.put("/v1/accounts/acc-put", obj("timeZone", "Europe/Paris"));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.text("name")).isEqualTo("Acme");
        assertThat(updated.text("timeZone")).isEqualTo("Europe/Paris");
        assertThat(admin.get("/v1/accounts/acc-put").json()).isEqualTo(updated.json());
    }

    @Test
    void putAccount_emptyBody_createsTheAccount() {
        assertThat(admin.put("/v1/accounts/acc-empty", null).status()).isEqualTo(200);
        assertThat(admin.get("/v1/accounts/acc-empty").status()).isEqualTo(200);
    }

    @Test
    void putAccount_badTimeZone_is400NamingTheField_andCreatesNothing() {
        Resp r = admin.put("/v1/accounts/acc-badzone", obj("timeZone", "Mars/Olympus"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("invalid_request");
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("timeZone");
        assertThat(admin.get("/v1/accounts/acc-badzone").status()).isEqualTo(404);
    }

    @Test
    void getAccount_unknown_is404NotFound() {
        Resp r = admin.get("/v1/accounts/nobody-here");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("not_found");
        assertThat(r.text("type")).isEqualTo("https://credits.dev/problems/not_found");
    }

    @Test
    void mainPlan_putCreatesAccount_deleteEnds_deleteAgainConflicts() {
        Resp put = admin.put("/v1/accounts/acc-main/main-plan", obj("plan", "PRO", "term", "yearly"));
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().at("/mainPlan/plan").asText()).isEqualTo("PRO");
        assertThat(put.json().at("/mainPlan/term").asText()).isEqualTo("yearly");
        assertThat(put.json().at("/mainPlan/anchor").asText()).isEqualTo(server.clock.instant().toString());

        Resp ended = admin.delete("/v1/accounts/acc-main/main-plan");
        assertThat(ended.status()).isEqualTo(200);
        assertThat(ended.json().get("mainPlan").isNull()).isTrue();
        Resp again = admin.delete("/v1/accounts/acc-main/main-plan");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("conflict");
    }

    @Test
    void mainPlan_unknownPlan_is404_missingTerm_is400_futureAnchor_is400() {
        assertThat(admin.put("/v1/accounts/acc-main2/main-plan", obj("plan", "GOLD", "term", "monthly")).code())
                .isEqualTo("not_found");
        Resp missing = admin.put("/v1/accounts/acc-main2/main-plan", obj("plan", "PRO"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("errors").get(0).get("field").asText()).isEqualTo("term");
        Resp future = admin.put("/v1/accounts/acc-main2/main-plan", obj("plan", "PRO", "term", "monthly",
                "anchor", server.clock.instant().plus(Duration.ofDays(1)).toString()));
        assertThat(future.status()).isEqualTo(400);
        assertThat(future.json().get("errors").get(0).get("field").asText()).isEqualTo("anchor");
        assertThat(admin.get("/v1/accounts/acc-main2").status()).as("refusals create nothing").isEqualTo(404);
    }

    @Test
    void aiPlan_book201_bookAgain409_upgrade200_sameAgain409_cancel200() {
        server.accountWithCredits("acc-ai");
        Resp balance = admin.get("/v1/accounts/acc-ai/balance");
        assertThat(balance.num("available")).isEqualTo(1000);

        Resp again = admin.post("/v1/accounts/acc-ai/ai-plan", obj("plan", "T2000"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("conflict");

        Resp up = admin.patch("/v1/accounts/acc-ai/ai-plan", obj("plan", "T2000"));
        assertThat(up.status()).isEqualTo(200);
        assertThat(up.json().at("/aiPlan/plan").asText()).isEqualTo("T2000");
        assertThat(admin.patch("/v1/accounts/acc-ai/ai-plan", obj("plan", "T2000")).status()).isEqualTo(409);

        Resp cancel = admin.delete("/v1/accounts/acc-ai/ai-plan");
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().at("/aiPlan/nextPlan").asText()).isEqualTo("none");
        assertThat(admin.delete("/v1/accounts/acc-ai/ai-plan").status()).as("cancelling twice").isEqualTo(409);

        Resp now = admin.delete("/v1/accounts/acc-ai/ai-plan?when=now");
        assertThat(now.status()).isEqualTo(200);
        assertThat(now.json().get("aiPlan").isNull()).isTrue();
        assertThat(admin.get("/v1/accounts/acc-ai/balance").num("available")).isZero();
    }

    @Test
    void aiPlan_bookCreatesTheAccount_unknownPlanIs404_bookingFreeIs409() {
        assertThat(admin.post("/v1/accounts/acc-ai2/ai-plan", obj("plan", "T9")).code()).isEqualTo("not_found");
        assertThat(admin.post("/v1/accounts/acc-ai2/ai-plan", obj("plan", "FREE")).code()).isEqualTo("conflict");
        assertThat(admin.post("/v1/accounts/acc-ai2/ai-plan", obj("plan", "T4000")).status()).isEqualTo(201);
        assertThat(admin.get("/v1/accounts/acc-ai2").json().at("/aiPlan/plan").asText()).isEqualTo("T4000");
    }

    @Test
    void aiPlan_changeOrCancelOnUnknownAccount_is404() {
        assertThat(admin.patch("/v1/accounts/nobody/ai-plan", obj("plan", "T2000")).status()).isEqualTo(404);
        assertThat(admin.delete("/v1/accounts/nobody/ai-plan").status()).isEqualTo(404);
        assertThat(admin.delete("/v1/accounts/nobody/main-plan").status()).isEqualTo(404);
        assertThat(admin.get("/v1/accounts/nobody/balance").status()).isEqualTo(404);
    }

    @Test
    void cancelAiPlan_badWhen_is400() {
        server.accountWithCredits("acc-when");
        Resp r = admin.delete("/v1/accounts/acc-when/ai-plan?when=tomorrow");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("query.when");
    }

    @Test
    void balance_hasExactlyTheFieldsOfAScenariosExpect() {
        server.accountWithCredits("acc-bal");
        Resp b = server.spend.get("/v1/accounts/acc-bal/balance");
        assertThat(b.status()).isEqualTo(200);
        assertThat(b.json().fieldNames()).toIterable().containsExactly("account", "available", "held", "carriedOver",
                "current", "usedThisPeriod", "willCarryOver", "willExpire", "plan", "nextPlan", "periodStart",
                "periodEnd", "carriedOverExpiresAt", "chargedCents", "currency");
        assertThat(b.json().get("plan").asText()).isEqualTo("T1000");
        assertThat(b.json().get("current").asLong()).isEqualTo(1000);
        assertThat(b.json().get("willCarryOver").asLong()).isEqualTo(1000);
        assertThat(b.json().get("periodStart").asText()).isEqualTo(server.clock.instant().toString());
        assertThat(b.json().get("chargedCents").asLong()).isEqualTo(2900);
        assertThat(b.json().get("currency").asText()).isEqualTo("EUR");
    }

    @Test
    void grant_201WithOperator_addsCredits() {
        admin.put("/v1/accounts/acc-grant", null);
        Resp g = admin.post("/v1/accounts/acc-grant/grants", obj("credits", 250, "reason", "goodwill",
                "expiresAt", server.clock.instant().plus(Duration.ofDays(30)).toString()));
        assertThat(g.status()).isEqualTo(201);
        assertThat(g.num("credits")).isEqualTo(250);
        assertThat(g.num("available")).isEqualTo(250);
        assertThat(g.text("operator")).isEqualTo("CREDITS_ADMIN_KEY");
        assertThat(g.text("reason")).isEqualTo("goodwill");
        assertThat(admin.get("/v1/accounts/acc-grant/balance").num("available")).isEqualTo(250);
    }

    @Test
    void grant_pastExpiry_is400_unknownAccount_is404_spendKey_is403() {
        admin.put("/v1/accounts/acc-grant2", null);
        Resp past = admin.post("/v1/accounts/acc-grant2/grants", obj("credits", 5, "reason", "x",
                "expiresAt", server.clock.instant().minusSeconds(1).toString()));
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.json().get("errors").get(0).get("field").asText()).isEqualTo("expiresAt");
        assertThat(admin.post("/v1/accounts/nobody/grants", obj("credits", 5, "reason", "x")).status()).isEqualTo(404);
        assertThat(server.spend.post("/v1/accounts/acc-grant2/grants", obj("credits", 5, "reason", "x")).code())
                .isEqualTo("forbidden");
        assertThat(admin.get("/v1/accounts/acc-grant2/balance").num("available")).isZero();
    }

    @Test
    void grant_everyBadFieldIsNamed() {
        admin.put("/v1/accounts/acc-grant3", null);
        Resp r = admin.post("/v1/accounts/acc-grant3/grants", Map.of("credits", "ten", "expiresAt", "soon",
                "operator", "me"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("operator", "credits", "expiresAt", "reason");
    }
}
