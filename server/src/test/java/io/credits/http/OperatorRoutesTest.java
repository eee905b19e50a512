package io.credits.http;

import io.credits.store.ApiKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.credits.http.TestClient.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator page over real HTTP: who gets in (an admin key, as a bearer header or through the
 * sign-in form and its session cookie) and who does not (no key, an unknown key, a key of another
 * scope, a forged, expired or revoked session), and that its three lists show the right accounts
 * after real uses, holds and refusals.
 */
class OperatorRoutesTest {
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

    @Test
    void noKey_getsTheSignInForm_anUnknownKey401_aKeyOfAnotherScope403() throws Exception {
        HttpResponse<String> none = get("/operator", Map.of());
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(none.body()).contains("id=\"login-form\"").doesNotContain("id=\"accounts\"");
        assertThat(none.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(none.headers().firstValue("Cache-Control")).hasValue("no-store");

        HttpResponse<String> unknown = get("/operator", Map.of("Authorization", "Bearer ck_no_such_key_0123456789"));
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("id=\"login-form\"").contains("unknown or revoked");

        for (TestClient c : List.of(server.spend, server.read)) {
            HttpResponse<String> other = get("/operator", Map.of("Authorization", "Bearer " + c.key));
            assertThat(other.statusCode()).isEqualTo(403);
            assertThat(other.body()).contains("needs an admin key").doesNotContain("id=\"accounts\"");
            assertThat(other.headers().firstValue("Set-Cookie")).isEmpty();
            assertThat(login(c.key, Map.of()).statusCode()).isEqualTo(403);
        }
        assertThat(login("ck_no_such_key_0123456789", Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void signIn_withTheAdminKey_setsAStrictHttpOnlySession_thatOpensThePage_untilSignOut() throws Exception {
        HttpResponse<String> in = login(ApiServer.ADMIN_KEY, Map.of("Origin", server.url()));
        assertThat(in.statusCode()).isEqualTo(303);
        assertThat(in.headers().firstValue("Location")).hasValue("/operator");
        String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("credits_operator=").contains("; HttpOnly").contains("; SameSite=Strict")
                .contains("; Path=/operator").contains("; Max-Age=28800").doesNotContain(ApiServer.ADMIN_KEY);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> page = get("/operator", Map.of("Cookie", cookie));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"accounts\"").contains("id=\"low-balances\"").contains("id=\"refusals\"");

        HttpResponse<String> forged = get("/operator", Map.of("Cookie", cookie.substring(0, cookie.length() - 3) + "AAA"));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).contains("id=\"login-form\"").doesNotContain("id=\"accounts\"");

        HttpResponse<String> bearer = get("/operator", Map.of("Authorization", "Bearer " + ApiServer.ADMIN_KEY));
        assertThat(bearer.statusCode()).isEqualTo(200);
        assertThat(bearer.headers().firstValue("Set-Cookie").orElseThrow()).contains("; SameSite=Strict");

        HttpResponse<String> crossSite = login(ApiServer.ADMIN_KEY, Map.of("Origin", "http://evil.example"));
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> out = post("/operator/logout", "", Map.of("Cookie", cookie));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("credits_operator=;").contains("Max-Age=0");
    }

    @Test
    void aSession_endsWithItsKey_andAfterEightHours() throws Exception {
        String secret = ApiKeys.create(server.db.dataSource(), ApiKeys.Scope.ADMIN, "night operator",
                server.clock.instant()).secret();
        String cookie = sessionCookie(secret);
        assertThat(get("/operator", Map.of("Cookie", cookie)).body()).contains("night operator");
        String id = ApiKeys.find(server.db.dataSource(), secret).orElseThrow().id();
        ApiKeys.revoke(server.db.dataSource(), id, server.clock.instant());
        HttpResponse<String> revoked = get("/operator", Map.of("Cookie", cookie));
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.body()).contains("session has ended");

        String admin = sessionCookie(ApiServer.ADMIN_KEY);
        server.clock.advance(Duration.ofHours(8));
        assertThat(get("/operator", Map.of("Cookie", admin)).statusCode()).isEqualTo(401);
    }

    @Test
    void theThreeLists_showTheRightAccounts_afterRealUsesHoldsAndRefusals() throws Exception {
        // op-full: 1,000 credits, one use: far above its threshold (10% of T1000 = 100).
        server.accountWithCredits("op-full");
        ApiServer.check(server.admin.put("/v1/accounts/op-full", obj("name", "Full Widgets Ltd")), 200);
        ApiServer.check(server.spend.post("/v1/uses", obj("account", "op-full", "feature", "generate_page")), 201);
        // op-low: a hold of 950 leaves 50 available, under 100.
        server.accountWithCredits("op-low");
        ApiServer.check(server.spend.post("/v1/holds", obj("account", "op-low", "credits", 950)), 201);
        // op-free: a main plan and no AI plan: generate_page is refused, and it is never "low" (threshold 0).
        ApiServer.check(server.admin.put("/v1/accounts/op-free/main-plan", obj("plan", "ESSENTIAL", "term", "monthly")), 200);
        ApiServer.check(server.spend.post("/v1/uses", obj("account", "op-free", "feature", "generate_page")), 402);
        // An editor of op-low's project asks for more than is left.
        ApiServer.check(server.admin.put("/v1/projects/op-site", obj("account", "op-low")), 200);
        ApiServer.check(server.admin.put("/v1/projects/op-site/members/op-ed", obj("role", "editor")), 200);
        ApiServer.check(server.spend.post("/v1/holds", obj("project", "op-site", "user", "op-ed", "credits", 60)), 402);
        // A feature the catalog does not know (a host's bug) is listed too; a malformed request is not.
        ApiServer.check(server.spend.post("/v1/uses", obj("account", "op-full", "feature", "no_such_feature")), 404);
        ApiServer.check(server.spend.post("/v1/holds", obj("account", "op-full", "credits", 0)), 400);

        String cookie = sessionCookie(ApiServer.ADMIN_KEY);
        String page = get("/operator", Map.of("Cookie", cookie)).body();

        List<Map<String, String>> accounts = rows(page, "accounts");
        assertThat(accounts).extracting(r -> r.get("data-account")).contains("op-full", "op-low", "op-free");
        long fullAvailable = server.admin.get("/v1/accounts/op-full/balance").num("available");
        assertThat(accounts).filteredOn(r -> r.get("data-account").equals("op-full"))
                .extracting(r -> r.get("data-available")).containsExactly(Long.toString(fullAvailable));

        List<Map<String, String>> low = rows(page, "low-balances");
        assertThat(low).extracting(r -> r.get("data-account")).containsExactly("op-low");
        assertThat(low.getFirst()).containsEntry("data-available", "50").containsEntry("data-threshold", "100");

        List<Map<String, String>> refusals = rows(page, "refusals");
        assertThat(refusals).extracting(r -> r.get("data-account") + " " + r.get("data-code") + " "
                + r.get("data-feature") + " " + r.get("data-user")).containsExactly(
                "op-full not_found no_such_feature op-full",
                "op-low insufficient_credits  op-ed",
                "op-free feature_not_in_plan generate_page op-free");

        // Search by name, any case, and by part of the id.
        assertThat(rows(get("/operator?q=" + enc("widgets"), Map.of("Cookie", cookie)).body(), "accounts"))
                .extracting(r -> r.get("data-account")).containsExactly("op-full");
        assertThat(rows(get("/operator?q=" + enc("op-l"), Map.of("Cookie", cookie)).body(), "accounts"))
                .extracting(r -> r.get("data-account")).containsExactly("op-low");
        assertThat(rows(get("/operator?q=" + enc("%"), Map.of("Cookie", cookie)).body(), "accounts")).isEmpty();
        assertThat(get("/operator?q=" + "x".repeat(201), Map.of("Cookie", cookie)).statusCode()).isEqualTo(400);
    }

    // ---------------------------------------------------------------- helpers

    private static String sessionCookie(String key) throws Exception {
        String setCookie = login(key, Map.of()).headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static HttpResponse<String> login(String key, Map<String, String> headers) throws Exception {
        return post("/operator/login", "key=" + enc(key), headers);
    }

    private static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String form, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static final Pattern ROW = Pattern.compile("<tr( data-[^>]*)>");
    private static final Pattern ATTR = Pattern.compile("(data-[a-z-]+)=\"([^\"]*)\"");

    /** The data attributes of the rows of a table, in order. */
    private static List<Map<String, String>> rows(String html, String tableId) {
        int start = html.indexOf("<table id=\"" + tableId + "\"");
        assertThat(start).as("table " + tableId).isNotNegative();
        Matcher rows = ROW.matcher(html.substring(start, html.indexOf("</table>", start)));
        List<Map<String, String>> out = new ArrayList<>();
        while (rows.find()) {
            Map<String, String> attrs = new LinkedHashMap<>();
            Matcher a = ATTR.matcher(rows.group(1));
            while (a.find()) attrs.put(a.group(1), a.group(2).replace("&amp;", "&"));
            out.add(attrs);
        }
        return out;
    }
}
