package io.credits.http;

import io.credits.http.TestClient.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.credits.http.TestClient.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves spending over raw HTTP: uses, holds with capture and release, refunds, for the owner and
 * for an editor (who is charged to the owner and told so), with every refusal's status and code.
 */
class SpendRoutesTest {
    static ApiServer server;
    static TestClient spend;

    @BeforeAll
    static void start() {
        server = ApiServer.start();
        spend = server.spend;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void use_byOwner_is201WithIdCreditsAccountAvailable() {
        server.accountWithCredits("sp-owner");
        Resp u = spend.post("/v1/uses", obj("account", "sp-owner", "feature", "generate_page"));
        assertThat(u.status()).isEqualTo(201);
        assertThat(u.text("id")).startsWith("use_");
        assertThat(u.num("credits")).isEqualTo(10);
        assertThat(u.text("account")).isEqualTo("sp-owner");
        assertThat(u.num("available")).isEqualTo(990);
        assertThat(u.text("user")).isEqualTo("sp-owner");
        assertThat(u.json().get("notice").isNull()).isTrue();
    }

    @Test
    void use_byEditor_chargesTheOwner_withANotice() {
        server.accountWithCredits("sp-own2");
        project("sp-p2", "sp-own2", "ed", "editor");
        Resp u = spend.post("/v1/uses", obj("project", "sp-p2", "user", "ed", "feature", "vibe_coding"));
        assertThat(u.status()).isEqualTo(201);
        assertThat(u.text("account")).isEqualTo("sp-own2");
        assertThat(u.text("user")).isEqualTo("ed");
        assertThat(u.text("project")).isEqualTo("sp-p2");
        assertThat(u.text("notice")).contains("owner");
        assertThat(u.num("available")).isEqualTo(990);
    }

    @Test
    void use_byViewerOrStranger_is403Forbidden() {
        server.accountWithCredits("sp-own3");
        project("sp-p3", "sp-own3", "vi", "viewer");
        assertThat(spend.post("/v1/uses", obj("project", "sp-p3", "user", "vi", "feature", "ai_image")).code())
                .isEqualTo("forbidden");
        Resp stranger = spend.post("/v1/uses", obj("project", "sp-p3", "user", "who", "feature", "ai_image"));
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.code()).isEqualTo("forbidden");
    }

    @Test
    void use_withoutCredits_is402_andForAnEditorTheDetailIsWrittenForTheEditor() {
        server.admin.put("/v1/accounts/sp-poor/main-plan", obj("plan", "PRO", "term", "monthly"));
        server.admin.post("/v1/accounts/sp-poor/ai-plan", obj("plan", "T1000"));
        server.admin.post("/v1/accounts/sp-poor/grants", obj("credits", 1, "reason", "seed")); // burns after the plan's
        drain("sp-poor");
        project("sp-p4", "sp-poor", "ed", "editor");
        Resp owner = spend.post("/v1/uses", obj("account", "sp-poor", "feature", "generate_page"));
        assertThat(owner.status()).isEqualTo(402);
        assertThat(owner.code()).isEqualTo("insufficient_credits");
        Resp editor = spend.post("/v1/uses", obj("project", "sp-p4", "user", "ed", "feature", "generate_page"));
        assertThat(editor.status()).isEqualTo(402);
        assertThat(editor.code()).isEqualTo("insufficient_credits");
        assertThat(editor.text("detail")).startsWith("the owner of this project has no AI credits left");
        assertThat(server.admin.get("/v1/accounts/sp-poor/balance").num("available")).isEqualTo(1);
    }

    @Test
    void use_featureOutsideThePlan_is402FeatureNotInPlan_unknownFeature404_unknownProject404() {
        server.admin.put("/v1/accounts/sp-free", null);
        server.admin.post("/v1/accounts/sp-free/grants", obj("credits", 100, "reason", "seed"));
        Resp notIn = spend.post("/v1/uses", obj("account", "sp-free", "feature", "generate_page"));
        assertThat(notIn.status()).isEqualTo(402);
        assertThat(notIn.code()).isEqualTo("feature_not_in_plan");
        assertThat(spend.post("/v1/uses", obj("account", "sp-free", "feature", "teleport")).code()).isEqualTo("not_found");
        assertThat(spend.post("/v1/uses", obj("project", "nowhere", "user", "u", "feature", "ai_image")).code())
                .isEqualTo("not_found");
        assertThat(spend.post("/v1/uses", obj("account", "nobody", "feature", "ai_image")).code()).isEqualTo("not_found");
    }

    @Test
    void use_accountAndProjectTogether_orUserWithAccount_is400() {
        Resp both = spend.post("/v1/uses", obj("account", "a", "project", "p", "user", "u", "feature", "ai_image"));
        assertThat(both.status()).isEqualTo(400);
        Resp neither = spend.post("/v1/uses", obj("feature", "ai_image"));
        assertThat(neither.status()).isEqualTo(400);
        Resp otherUser = spend.post("/v1/uses", obj("account", "a", "user", "u", "feature", "ai_image"));
        assertThat(otherUser.json().get("errors").findValuesAsText("field")).containsExactly("user");
    }

    @Test
    void refund_200_givesCreditsBack_twiceIs409_unknownIs404() {
        server.accountWithCredits("sp-ref");
        String use = spend.post("/v1/uses", obj("account", "sp-ref", "feature", "ai_image")).text("id");
        Resp r = spend.post("/v1/uses/" + use + "/refund", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text("id")).isEqualTo(use);
        assertThat(r.text("status")).isEqualTo("refunded");
        assertThat(r.num("credits")).isEqualTo(10);
        assertThat(r.num("available")).isEqualTo(1000);
        assertThat(spend.post("/v1/uses/" + use + "/refund", null).code()).isEqualTo("conflict");
        assertThat(spend.post("/v1/uses/use_nope_1/refund", null).code()).isEqualTo("not_found");
    }

    @Test
    void hold_201WithDefaultTtl_captureSome_theRestReturns_captureAgainIs409() {
        server.accountWithCredits("sp-hold");
        Resp h = spend.post("/v1/holds", obj("account", "sp-hold", "credits", 50));
        assertThat(h.status()).isEqualTo(201);
        assertThat(h.text("id")).startsWith("hold_");
        assertThat(h.num("credits")).isEqualTo(50);
        assertThat(Instant.parse(h.text("expiresAt"))).isEqualTo(server.clock.instant().plusSeconds(600));
        assertThat(h.num("available")).isEqualTo(950);

        Resp c = spend.post("/v1/holds/" + h.text("id") + "/capture", obj("credits", 30));
        assertThat(c.status()).isEqualTo(200);
        assertThat(c.text("status")).isEqualTo("captured");
        assertThat(c.num("captured")).isEqualTo(30);
        assertThat(c.num("released")).isEqualTo(20);
        assertThat(c.text("use")).startsWith("use_");
        assertThat(c.num("available")).isEqualTo(970);
        assertThat(spend.post("/v1/holds/" + h.text("id") + "/capture", null).code()).isEqualTo("conflict");
        assertThat(spend.post("/v1/uses/" + c.text("use") + "/refund", null).num("available")).isEqualTo(1000);
    }

    @Test
    void hold_byFeatureForAnEditor_captureAllByDefault() {
        server.accountWithCredits("sp-hold2");
        project("sp-ph2", "sp-hold2", "ed", "editor");
        Resp h = spend.post("/v1/holds", obj("project", "sp-ph2", "user", "ed", "feature", "generate_page",
                "ttlSeconds", 60));
        assertThat(h.status()).isEqualTo(201);
        assertThat(h.text("feature")).isEqualTo("generate_page");
        assertThat(h.text("notice")).isNotNull();
        assertThat(h.text("account")).isEqualTo("sp-hold2");
        Resp c = spend.post("/v1/holds/" + h.text("id") + "/capture", "");
        assertThat(c.num("captured")).isEqualTo(10);
    }

    @Test
    void release_200_twiceIs409_captureMoreThanHeldIs400() {
        server.accountWithCredits("sp-rel");
        String hold = spend.post("/v1/holds", obj("account", "sp-rel", "credits", 40)).text("id");
        Resp tooMuch = spend.post("/v1/holds/" + hold + "/capture", obj("credits", 41));
        assertThat(tooMuch.status()).isEqualTo(400);
        assertThat(tooMuch.json().get("errors").get(0).get("field").asText()).isEqualTo("credits");
        Resp r = spend.post("/v1/holds/" + hold + "/release", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.num("released")).isEqualTo(40);
        assertThat(r.num("available")).isEqualTo(1000);
        assertThat(spend.post("/v1/holds/" + hold + "/release", null).code()).isEqualTo("conflict");
        assertThat(spend.post("/v1/holds/hold_bogus/release", null).code()).isEqualTo("not_found");
    }

    @Test
    void capture_afterExpiry_is410HoldExpired() {
        server.accountWithCredits("sp-exp");
        String hold = spend.post("/v1/holds", obj("account", "sp-exp", "credits", 10, "ttlSeconds", 5)).text("id");
        // Other tests' accounts live on this server's clock too: a few seconds change none of their figures.
        server.clock.advance(Duration.ofSeconds(5));
        Resp late = spend.post("/v1/holds/" + hold + "/capture", null);
        assertThat(late.status()).isEqualTo(410);
        assertThat(late.code()).isEqualTo("hold_expired");
    }

    @Test
    void hold_bothFeatureAndCredits_orTtlOutOfRange_is400() {
        Resp both = spend.post("/v1/holds", obj("account", "x", "feature", "ai_image", "credits", 3));
        assertThat(both.status()).isEqualTo(400);
        Resp ttl = spend.post("/v1/holds", obj("account", "x", "credits", 3, "ttlSeconds", 0));
        assertThat(ttl.json().get("errors").findValuesAsText("field")).containsExactly("ttlSeconds");
    }

    @Test
    void readKey_cannotSpend_is403() {
        assertThat(server.read.post("/v1/uses", obj("account", "x", "feature", "ai_image")).code()).isEqualTo("forbidden");
        assertThat(server.read.post("/v1/holds", obj("account", "x", "credits", 1)).status()).isEqualTo(403);
    }

    private static void project(String project, String owner, String user, String role) {
        ApiServer.check(server.admin.put("/v1/projects/" + project, obj("account", owner)), 200);
        ApiServer.check(server.admin.put("/v1/projects/" + project + "/members/" + user, obj("role", role)), 200);
    }

    /** Spends every credit of the AI plan through one hold, leaving the other grants. */
    private static void drain(String account) {
        long planCredits = server.admin.get("/v1/accounts/" + account + "/balance").num("current");
        String hold = spend.post("/v1/holds", obj("account", account, "credits", planCredits)).text("id");
        ApiServer.check(spend.post("/v1/holds/" + hold + "/capture", null), 200);
    }
}
