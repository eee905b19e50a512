package io.credits.http;

import io.credits.http.TestClient.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.credits.http.TestClient.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the Idempotency-Key over raw HTTP: a replay answers the first status and body byte for
 * byte and changes nothing, even after later changes; the same key with another body is 422;
 * concurrent requests with one key charge once.
 */
class IdempotencyHttpTest {
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
    void useReplay_answersTheFirstStatusAndBody_evenAfterLaterUses_andChargesOnce() {
        server.accountWithCredits("id-use");
        Map<String, Object> body = obj("account", "id-use", "feature", "ai_image");
        Resp first = server.spend.post("/v1/uses", body, "use-1");
        assertThat(first.status()).isEqualTo(201);
        server.spend.post("/v1/uses", body, "use-2");
        Resp replay = server.spend.post("/v1/uses", body, "use-1");
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(balance("id-use")).isEqualTo(980);
    }

    @Test
    void planChangeReplays_answerTheAccountAsTheChangeLeftIt_notAsItIsNow() {
        Resp book = server.admin.post("/v1/accounts/id-plan/ai-plan", obj("plan", "T1000"), "plan-book");
        Resp upgrade = server.admin.send("PATCH", "/v1/accounts/id-plan/ai-plan", obj("plan", "T2000"), Map.of("Idempotency-Key", "plan-up"));
        Resp cancel = server.admin.send("DELETE", "/v1/accounts/id-plan/ai-plan", null, Map.of("Idempotency-Key", "plan-cancel"));
        assertThat(upgrade.status()).isEqualTo(200);
        assertThat(cancel.status()).isEqualTo(200);

        Resp bookAgain = server.admin.post("/v1/accounts/id-plan/ai-plan", obj("plan", "T1000"), "plan-book");
        Resp upgradeAgain = server.admin.send("PATCH", "/v1/accounts/id-plan/ai-plan", obj("plan", "T2000"), Map.of("Idempotency-Key", "plan-up"));

        assertThat(bookAgain.status()).isEqualTo(201);
        assertThat(bookAgain.body()).isEqualTo(book.body());
        assertThat(upgradeAgain.body()).isEqualTo(upgrade.body());
        assertThat(upgradeAgain.body()).isNotEqualTo(cancel.body());
        assertThat(balance("id-plan")).as("T2000 once, nothing booked twice").isEqualTo(2000);
    }

    @Test
    void sameKeyOtherBody_is422IdempotencyConflict_andChangesNothing() {
        server.accountWithCredits("id-conf");
        server.spend.post("/v1/uses", obj("account", "id-conf", "feature", "ai_image"), "k");
        Resp other = server.spend.post("/v1/uses", obj("account", "id-conf", "feature", "generate_code"), "k");
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.code()).isEqualTo("idempotency_conflict");
        assertThat(balance("id-conf")).isEqualTo(990);
    }

    @Test
    void holdCaptureRefundGrantBooking_replaysAreByteEqual() {
        Resp book = server.admin.post("/v1/accounts/id-all/ai-plan", obj("plan", "T1000"), "book");
        assertThat(server.admin.post("/v1/accounts/id-all/ai-plan", obj("plan", "T1000"), "book").body())
                .isEqualTo(book.body());
        Resp hold = server.spend.post("/v1/holds", obj("account", "id-all", "credits", 100), "hold");
        assertThat(server.spend.post("/v1/holds", obj("account", "id-all", "credits", 100), "hold").body())
                .isEqualTo(hold.body());
        String path = "/v1/holds/" + hold.text("id") + "/capture";
        Resp capture = server.spend.post(path, obj("credits", 60), "cap");
        Resp captureAgain = server.spend.post(path, obj("credits", 60), "cap");
        assertThat(captureAgain.status()).isEqualTo(200);
        assertThat(captureAgain.body()).isEqualTo(capture.body());
        String refundPath = "/v1/uses/" + capture.text("use") + "/refund";
        Resp refund = server.spend.post(refundPath, null, "ref");
        assertThat(server.spend.post(refundPath, null, "ref").body()).isEqualTo(refund.body());
        Resp grant = server.admin.post("/v1/accounts/id-all/grants", obj("credits", 7, "reason", "sorry"), "g");
        Resp grantAgain = server.admin.post("/v1/accounts/id-all/grants", obj("credits", 7, "reason", "sorry"), "g");
        assertThat(grantAgain.status()).isEqualTo(201);
        assertThat(grantAgain.body()).isEqualTo(grant.body());
        assertThat(book.status()).isEqualTo(201);
        assertThat(balance("id-all")).as("T1000 from the period's start, the refund back, the grant once").isEqualTo(1007);
    }

    @Test
    void refusedRequest_isNotStored_soTheSameKeyAsksAnew() {
        server.admin.put("/v1/accounts/id-ref", null);
        Resp refused = server.spend.post("/v1/uses", obj("account", "id-ref", "feature", "ai_image"), "again");
        assertThat(refused.status()).isEqualTo(402);
        server.admin.post("/v1/accounts/id-ref/ai-plan", obj("plan", "T1000"));
        Resp later = server.spend.post("/v1/uses", obj("account", "id-ref", "feature", "ai_image"), "again");
        assertThat(later.status()).isEqualTo(201);
    }

    @Test
    void concurrentRequestsWithOneKey_chargeOnce_andAnswerTheSameBody() {
        server.accountWithCredits("id-conc");
        Map<String, Object> body = obj("account", "id-conc", "feature", "ai_image");
        List<CompletableFuture<Resp>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(CompletableFuture.supplyAsync(() -> server.spend.post("/v1/uses", body, "same")));
        }
        List<Resp> answers = all.stream().map(CompletableFuture::join).toList();
        assertThat(answers).extracting(Resp::status).containsOnly(201);
        assertThat(answers).extracting(Resp::body).containsOnly(answers.getFirst().body());
        assertThat(balance("id-conc")).isEqualTo(990);
    }

    private static long balance(String account) {
        return server.admin.get("/v1/accounts/" + account + "/balance").num("available");
    }
}
