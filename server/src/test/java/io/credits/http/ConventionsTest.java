package io.credits.http;

import io.credits.http.TestClient.Resp;
import io.credits.store.ApiKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.credits.http.TestClient.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves API.md's conventions over raw HTTP: keys and scopes (401, 403), problem+json for every
 * error with its type, title, status, detail and code, and malformed requests (unknown fields,
 * wrong types, missing fields, big bodies, bad JSON, bad instants, bad path and query parameters,
 * bad idempotency keys) refused with 400 naming each bad input and changing nothing.
 */
class ConventionsTest {
    static ApiServer server;

    @BeforeAll
    static void start() {
        server = ApiServer.start();
        server.accountWithCredits("cv");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void noKey_badScheme_unknownKey_are401Unauthenticated() {
        Resp none = server.anonymous.get("/v1/accounts/cv/balance");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.code()).isEqualTo("unauthenticated");
        assertThat(none.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(server.anonymous.send("GET", "/v1/accounts/cv/balance", null,
                Map.of("Authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l")).status()).isEqualTo(401);
        assertThat(server.admin.withKey("ck_unknown").get("/v1/catalog").status()).isEqualTo(401);
    }

    @Test
    void revokedKey_is401_alsoOnceCached() throws Exception {
        ApiKeys.Created neverUsed = ApiKeys.create(server.db.dataSource(), ApiKeys.Scope.READ, "r1", server.clock.instant());
        ApiKeys.revoke(server.db.dataSource(), neverUsed.key().id(), server.clock.instant());
        assertThat(server.admin.withKey(neverUsed.secret()).get("/v1/catalog").status()).isEqualTo(401);

        ApiKeys.Created used = ApiKeys.create(server.db.dataSource(), ApiKeys.Scope.READ, "r2", server.clock.instant());
        assertThat(server.admin.withKey(used.secret()).get("/v1/catalog").status()).isEqualTo(200);
        ApiKeys.revoke(server.db.dataSource(), used.key().id(), server.clock.instant());
        Thread.sleep(Auth.CACHE_TTL.plusMillis(100).toMillis());
        assertThat(server.admin.withKey(used.secret()).get("/v1/catalog").code()).isEqualTo("unauthenticated");
    }

    @Test
    void scopes_readOnlyReads_spendSpendsAndReadsBalances_adminDoesAll() {
        Resp readPost = server.read.post("/v1/uses", obj("account", "cv", "feature", "ai_image"));
        assertThat(readPost.status()).isEqualTo(403);
        assertThat(readPost.code()).isEqualTo("forbidden");
        assertThat(server.read.get("/v1/accounts/cv/ledger").status()).isEqualTo(200);
        assertThat(server.spend.get("/v1/accounts/cv/balance").status()).isEqualTo(200);
        assertThat(server.spend.get("/v1/accounts/cv/ledger").status()).isEqualTo(403);
        assertThat(server.spend.put("/v1/accounts/cv", null).status()).isEqualTo(403);
        assertThat(server.spend.post("/v1/accounts/cv/ai-plan", obj("plan", "T1000")).status()).isEqualTo(403);
        assertThat(server.admin.get("/v1/accounts/cv/ledger").status()).isEqualTo(200);
    }

    @Test
    void healthMetricsAndOpenApi_needNoKey() {
        assertThat(server.anonymous.get("/health").status()).isEqualTo(200);
        assertThat(server.anonymous.get("/metrics").status()).isEqualTo(200);
        assertThat(server.anonymous.get("/openapi.json").status()).isEqualTo(200);
    }

    @Test
    void problem_hasTypeTitleStatusDetailCode_asProblemJson() {
        Resp r = server.spend.post("/v1/uses", obj("account", "nobody", "feature", "ai_image"));
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().fieldNames()).toIterable().containsExactly("type", "title", "status", "detail", "code");
        assertThat(r.text("type")).isEqualTo("https://credits.dev/problems/not_found");
        assertThat(r.text("title")).isEqualTo("Not Found");
        assertThat(r.num("status")).isEqualTo(404);
        assertThat(r.text("detail")).contains("nobody");
    }

    @Test
    void unknownRoute_is404Problem_wrongMethodToo() {
        Resp r = server.admin.get("/v1/nothing-here");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("not_found");
        assertThat(server.admin.send("PATCH", "/v1/uses", "{}", Map.of()).code()).isEqualTo("not_found");
    }

    @Test
    void unknownFields_wrongTypes_missingFields_areEachNamed_andNothingChanges() {
        Resp r = server.spend.post("/v1/uses", obj("account", 42, "feature", null, "times", 3, "extra", true));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("invalid_request");
        assertThat(r.json().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("times", "extra", "account", "feature");
        assertUntouched();
    }

    @Test
    void hugeNumbers_fractions_andNegativeAmounts_are400() {
        Resp huge = server.spend.post("/v1/holds", "{\"account\":\"cv\",\"credits\":123456789012345678901234567890}");
        assertThat(huge.json().get("errors").findValuesAsText("field")).containsExactly("credits");
        Resp fraction = server.spend.post("/v1/holds", obj("account", "cv", "credits", 1.5));
        assertThat(fraction.status()).isEqualTo(400);
        Resp negative = server.spend.post("/v1/holds", obj("account", "cv", "credits", -5));
        assertThat(negative.status()).isEqualTo(400);
        assertUntouched();
    }

    @Test
    void malformedJson_nonObject_duplicateKeys_trailingGarbage_are400() {
        for (String body : new String[] {"{", "[]", "\"x\"", "null", "{\"account\":\"cv\",\"account\":\"cv\"}",
                "{\"account\":\"cv\",\"feature\":\"ai_image\"} x", "\u0000", "{\"a\":\"\\ud800\"}"}) {
            Resp r = server.spend.post("/v1/uses", body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.code()).isEqualTo("invalid_request");
        }
        assertUntouched();
    }

    @Test
    void bodyOver64KiB_is400() {
        String big = "{\"account\":\"cv\",\"feature\":\"" + "x".repeat(Input.BODY_BYTES_MAX) + "\"}";
        Resp r = server.spend.post("/v1/uses", big);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("body");
        assertUntouched();
    }

    @Test
    void badInstants_are400() {
        for (String t : new String[] {"2026-13-01T00:00:00Z", "yesterday", "2026-01-01", "+999999999-01-01T00:00:00Z"}) {
            Resp r = server.admin.post("/v1/accounts/cv/grants", obj("credits", 1, "reason", "x", "expiresAt", t));
            assertThat(r.status()).as(t).isEqualTo(400);
            assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("expiresAt");
        }
        assertUntouched();
    }

    @Test
    void badPathParameters_are400() {
        assertThat(server.admin.get("/v1/accounts/" + "a".repeat(201)).status()).isEqualTo(400);
        Resp control = server.admin.get("/v1/accounts/a%01b");
        assertThat(control.status()).isEqualTo(400);
        assertThat(control.json().get("errors").get(0).get("field").asText()).isEqualTo("path.account");
    }

    @Test
    void badQueryParameters_are400() throws Exception {
        assertThat(server.read.get("/v1/accounts/cv/ledger?limit=ten").status()).isEqualTo(400);
        assertThat(server.read.get("/v1/accounts/cv/ledger?limit=1&limit=2").status()).isEqualTo(400);
        RawHttp.Response escape = RawHttp.send(server.url(), "GET", "/v1/accounts/cv/balance?x=%zz",
                ApiServer.ADMIN_KEY, null);
        assertThat(escape.status()).isEqualTo(400);
        assertThat(escape.body()).contains("\"code\":\"invalid_request\"");
    }

    @Test
    void idempotencyKey_longerThan255_is400() {
        Resp r = server.spend.send("POST", "/v1/uses", obj("account", "cv", "feature", "ai_image"),
                Map.of("Idempotency-Key", "k".repeat(256)));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("header.Idempotency-Key");
        assertUntouched();
    }

    @Test
    void everyCodeOfTheTable_hasItsStatus() {
        server.accountWithCredits("cv-codes");
        server.admin.put("/v1/accounts/cv-free", null); // no main plan: ai_writer needs ESSENTIAL or higher
        String hold = server.spend.post("/v1/holds", obj("account", "cv-codes", "credits", 10, "ttlSeconds", 1)).text("id");
        String released = server.spend.post("/v1/holds", obj("account", "cv-codes", "credits", 10)).text("id");
        server.spend.post("/v1/holds/" + released + "/release", null);
        server.spend.post("/v1/uses", obj("account", "cv-codes", "feature", "ai_image"), "k1");
        server.clock.advance(Duration.ofSeconds(2));
        Map<String, Resp> byCode = Map.of(
                "invalid_request", server.spend.post("/v1/uses", "{"),
                "unauthenticated", server.anonymous.get("/v1/catalog"),
                "insufficient_credits", server.spend.post("/v1/holds", obj("account", "cv-codes", "credits", 5000)),
                "feature_not_in_plan", server.spend.post("/v1/uses", obj("account", "cv-free", "feature", "ai_writer")),
                "forbidden", server.read.post("/v1/uses", obj("account", "cv-codes", "feature", "ai_image")),
                "not_found", server.read.get("/v1/accounts/none"),
                "conflict", server.spend.post("/v1/holds/" + released + "/release", null),
                "hold_expired", server.spend.post("/v1/holds/" + hold + "/capture", null),
                "idempotency_conflict", server.spend.post("/v1/uses", obj("account", "cv-codes", "feature", "edit_section"),
                        "k1"));
        Map<String, Integer> statuses = Map.of("invalid_request", 400, "unauthenticated", 401,
                "insufficient_credits", 402, "feature_not_in_plan", 402, "forbidden", 403, "not_found", 404,
                "conflict", 409, "hold_expired", 410, "idempotency_conflict", 422);
        statuses.forEach((code, status) -> {
            Resp r = byCode.get(code);
            assertThat(r).as(code).isNotNull();
            assertThat(r.status()).as(code).isEqualTo(status);
            assertThat(r.code()).isEqualTo(code);
            assertThat(r.num("status")).isEqualTo((long) status);
        });
    }

    /** The account "cv" still has exactly its 1,000 credits and nothing held. */
    private static void assertUntouched() {
        Resp b = server.admin.get("/v1/accounts/cv/balance");
        assertThat(b.num("available")).isEqualTo(1000);
        assertThat(b.num("held")).isZero();
    }
}
