package io.credits.http;

import io.credits.catalog.CatalogLoader;
import io.credits.store.ApiKeys;
import io.credits.store.Verifier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.credits.http.TestClient.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the server stands 10,000 malformed or hostile requests (random methods, paths, ids,
 * escapes, headers, keys, bodies: broken JSON, wrong types, huge numbers, unicode, deep nesting,
 * oversized) without a 5xx, every problem it answers matching the OpenAPI document, and that
 * afterwards the ledger reconciles and no row or balance has changed. Every request a valid
 * admin or spend key could carry out carries a poisoned body, so none of them may change anything.
 */
class FuzzHttpTest {
    static ApiServer server;
    static String holdId;
    static String useId;
    static String revokedKey;
    static Map<String, Long> before;

    static final List<String> TEMPLATES = List.of("/v1/accounts/{a}", "/v1/accounts/{a}/main-plan",
            "/v1/accounts/{a}/ai-plan", "/v1/accounts/{a}/balance", "/v1/accounts/{a}/ledger",
            "/v1/accounts/{a}/usage", "/v1/accounts/{a}/charges", "/v1/accounts/{a}/grants", "/v1/projects/{p}",
            "/v1/projects/{p}/members/{u}", "/v1/projects/{p}/ai-access", "/v1/uses", "/v1/uses/{use}/refund",
            "/v1/holds", "/v1/holds/{hold}/capture", "/v1/holds/{hold}/release", "/v1/catalog", "/health",
            "/openapi.json", "/v1", "/", "/v1/accounts", "/v1/events", "/v1/portal-sessions");

    @BeforeContainer
    static void start() throws Exception {
        server = ApiServer.start();
        server.accountWithCredits("fz-a");
        server.admin.put("/v1/projects/fz-p", obj("account", "fz-a"));
        server.admin.put("/v1/projects/fz-p/members/ed", obj("role", "editor"));
        holdId = server.spend.post("/v1/holds", obj("account", "fz-a", "credits", 30)).text("id");
        useId = server.spend.post("/v1/uses", obj("account", "fz-a", "feature", "ai_image")).text("id");
        ApiKeys.Created k = ApiKeys.create(server.db.dataSource(), ApiKeys.Scope.ADMIN, "revoked", server.clock.instant());
        ApiKeys.revoke(server.db.dataSource(), k.key().id(), server.clock.instant());
        revokedKey = k.secret();
        before = snapshot();
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            Verifier.Report report = Verifier.verify(server.db.dataSource(), CatalogLoader.defaultCatalog());
            assertThat(report.violations()).isEmpty();
            assertThat(snapshot()).isEqualTo(before);
        } finally {
            server.close();
        }
    }

    record Request(String method, String target, String key, String idempotencyKey, String extraHeader, byte[] body) {
        @Override
        public String toString() {
            return method + " " + target + " key=" + key + " idem=" + idempotencyKey + " hdr=" + extraHeader
                    + " body=" + new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        }
    }

    @Property(tries = 10_000, shrinking = ShrinkingMode.BOUNDED)
    void hostileRequest_neverA5xx_andProblemsMatchTheDocument(@ForAll("requests") Request r) throws Exception {
        StringBuilder head = new StringBuilder(r.method() + " " + r.target() + " HTTP/1.1");
        if (r.key() != null) head.append("\r\nAuthorization: ").append(r.key());
        if (r.idempotencyKey() != null) head.append("\r\nIdempotency-Key: ").append(r.idempotencyKey());
        if (r.extraHeader() != null) head.append("\r\n").append(r.extraHeader());
        RawHttp.Response resp;
        try {
            resp = RawHttp.send(server.url(), head.toString().getBytes(StandardCharsets.UTF_8), r.body());
        } catch (java.io.IOException reset) {
            // A server may refuse a request and close before reading a large body; the reset can
            // then swallow its answer. Only for bodies past the limit, never for others.
            assertThat(r.body().length).as("%s: %s", r, reset).isGreaterThan(Input.BODY_BYTES_MAX);
            return;
        }
        assertThat(resp.status()).as("%s\n-> %s", r, resp.body()).isBetween(200, 499);
        String type = resp.contentType();
        if (type != null && type.startsWith(Problem.CONTENT_TYPE) && !r.method().equals("HEAD")) {
            var json = TestClient.JSON.readTree(resp.body());
            List<String> errors = Contract.VALIDATOR.validate(
                    Contract.DOCUMENT.at("/components/schemas/Problem"), json);
            assertThat(errors).as("%s\n-> %s", r, resp.body()).isEmpty();
            assertThat(json.get("status").asInt()).isEqualTo(resp.status());
        }
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> method = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("HEAD", "OPTIONS", "TRACE", "FOO", "get")));
        Arbitrary<String> key = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.of("Bearer " + ApiServer.ADMIN_KEY)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("Bearer " + revokedKey, "Bearer ", "Basic abc", "bearer x y",
                        "Bearer ck_" + "A".repeat(300))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(null)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(40).map(s -> "Bearer " + headerSafe(s))));
        Arbitrary<String> idem = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(null)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMinLength(250).ofMaxLength(300).map(FuzzHttpTest::headerSafe)));
        Arbitrary<String> header = Arbitraries.of(null, null, null, "Content-Type: text/plain",
                "Content-Type: application/json; charset=latin1", "Content-Encoding: gzip", "Expect: 100-continue",
                "Transfer-Encoding: identity", "Accept: */*");
        return Combinators.combine(method, target(), key, idem, header, body())
                .as((m, t, k, i, h, b) -> {
                    boolean mayAct = k != null && k.equals("Bearer " + ApiServer.ADMIN_KEY);
                    boolean mutates = !m.equals("GET") && !m.equals("HEAD") && !m.equals("OPTIONS") && !m.equals("TRACE");
                    byte[] body = mayAct && mutates ? poison(b) : b;
                    return new Request(m, t, k, i, h, body);
                });
    }

    /** A request target: a path from a template with its ids filled in, good or hostile, and a query. */
    private Arbitrary<String> target() {
        Arbitrary<String> id = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.of("fz-a", "fz-p", "ed", "nobody")),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().ofMinLength(0).ofMaxLength(30)
                        .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("%00", "%2F", "..", "%zz", "%", "a%ffb", "%C0%AF", "~",
                        "a".repeat(250), "%F0%9F%92%B3", "%E2%80%AE", "hold_", "use_Zm9v_0", "hold_Zm9v_zzzzzzzzzzzzzzz")));
        Arbitrary<String> ref = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.of(holdId, useId)),
                net.jqwik.api.Tuple.of(1, id));
        Arbitrary<String> query = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just("")),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("?limit=0", "?limit=99999999999999999999", "?after=-1",
                        "?after=1&after=2", "?from=2026-01-01T00:00:00Z&to=2020-01-01T00:00:00Z", "?groupBy=%00",
                        "?when=never", "?user=", "?user=%zz", "?x", "?&&&=", "?from=9999999-01-01T00:00:00Z",
                        "?limit=1.5", "?user=ed&user=ed")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(40)
                        .map(s -> "?" + URLEncoder.encode(s, StandardCharsets.UTF_8) + "=1")));
        return Combinators.combine(Arbitraries.of(TEMPLATES), id, id, ref, query)
                .as((t, a, u, r, q) -> t.replace("{a}", a).replace("{p}", a).replace("{u}", u)
                        .replace("{use}", r).replace("{hold}", r) + q);
    }

    private Arbitrary<byte[]> body() {
        Arbitrary<String> json = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of("", "{}", "[]", "null", "true", "\"x\"", "{", "}",
                        "{\"account\":\"fz-a\",\"feature\":\"ai_image\"", "{\"account\":\"fz-a\",\"account\":\"fz-a\"}",
                        "{\"credits\":1e400}", "{\"credits\":-9223372036854775809}", "{\"credits\":9223372036854775807}",
                        "{\"ttlSeconds\":1.0E10}", "{\"plan\":{\"$gt\":\"\"}}", "{\"name\":\"\\u0000\"}",
                        "{\"name\":\"\\ud800\"}", "{\"timeZone\":\"../../etc/passwd\"}", "{\"role\":\"owner\"}",
                        "{\"reason\":\"" + "r".repeat(600) + "\",\"credits\":1}", "[".repeat(5000),
                        "{\"a\":".repeat(3000), "\uFEFF{}", "{\"anchor\":\"2026-02-30T00:00:00Z\"}")),
                net.jqwik.api.Tuple.of(3, jsonObject()),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(200)));
        Arbitrary<byte[]> text = json.map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> big = Arbitraries.integers().between(65_000, 70_000)
                .map(n -> ("{\"account\":\"" + "x".repeat(n) + "\"}").getBytes(StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(12, text), net.jqwik.api.Tuple.of(2, bytes),
                net.jqwik.api.Tuple.of(1, big));
    }

    /** Objects with the API's field names holding values of every kind. */
    private Arbitrary<String> jsonObject() {
        Arbitrary<String> name = Arbitraries.of("account", "project", "user", "feature", "credits", "ttlSeconds",
                "plan", "term", "anchor", "name", "timeZone", "reason", "expiresAt", "role", "times", "id");
        Arbitrary<Object> value = Arbitraries.oneOf(
                Arbitraries.of("fz-a", "fz-p", "ed", "ai_image", "T1000", "PRO", "monthly", "editor",
                        "2026-01-01T00:00:00Z", "", " "),
                Arbitraries.strings().ofMaxLength(50).map(s -> (Object) s),
                Arbitraries.longs().map(n -> (Object) n),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false),
                Arbitraries.just(null),
                Arbitraries.just(List.of(1, 2)),
                Arbitraries.just(Map.of("k", "v")));
        return Combinators.combine(name.list().ofMaxSize(6), value.list().ofSize(6)).as((names, values) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) m.put(names.get(i), values.get(i));
            return TestClient.write(m);
        });
    }

    /** A body that cannot be carried out: broken, not an object, or with a field no route knows. */
    private static byte[] poison(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8).strip();
        if (s.startsWith("{") && s.endsWith("}") && s.length() > 2) {
            return ("{\"__fuzz__\":1," + s.substring(1)).getBytes(StandardCharsets.UTF_8);
        }
        if (s.equals("{}") || s.isEmpty()) return "{\"__fuzz__\":1}".getBytes(StandardCharsets.UTF_8);
        if (s.startsWith("{")) return ("{\"__fuzz__\":1," + s.substring(1)).getBytes(StandardCharsets.UTF_8);
        return ("[" + s).getBytes(StandardCharsets.UTF_8); // never a JSON object
    }

    private static String headerSafe(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) b.append(c >= 0x21 && c <= 0x7e ? c : 'x');
        return b.toString();
    }

    /** Row counts of every table and each seeded account's balance. */
    private static Map<String, Long> snapshot() throws Exception {
        Map<String, Long> s = new LinkedHashMap<>();
        try (Connection c = server.db.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String t : List.of("accounts", "grants", "ledger_entries", "holds", "uses", "charges", "projects",
                    "project_members", "subscriptions", "idempotency_keys", "outbox_events", "api_keys")) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t)) {
                    rs.next();
                    s.put(t, rs.getLong(1));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT coalesce(sum(remaining), 0), coalesce(sum(held), 0) FROM grants")) {
                rs.next();
                s.put("remaining", rs.getLong(1));
                s.put("held", rs.getLong(2));
            }
        }
        List<String> accounts = new ArrayList<>(List.of("fz-a"));
        for (String a : accounts) s.put("available:" + a, server.admin.get("/v1/accounts/" + a + "/balance").num("available"));
        return s;
    }
}
