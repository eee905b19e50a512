package io.credits.web;

import io.credits.account.Account;
import io.credits.catalog.Catalog;
import io.credits.store.ApiKeys;
import io.credits.store.Engine;
import io.credits.store.OperatorQueries;
import io.credits.store.PortalSecrets;
import io.credits.store.RefusalLog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The operator page: accounts (searched by id or name) with their plan and credits, the accounts
 * under their low threshold, and the newest refused spends. Behind an admin API key:
 * <pre>
 * GET  /operator[?q=TEXT]   with the session cookie, or Authorization: Bearer ADMIN_KEY → the page
 *                           (a key also starts a session); without either → the sign-in form
 * POST /operator/login      form: key → 303 to the page with the session cookie set
 * POST /operator/logout     → 303 to the sign-in form, the cookie cleared
 * </pre>
 * An unknown or revoked key gets 401, a key of another scope 403; both show the form again. The
 * session cookie ({@link OperatorSessions}) is HttpOnly and SameSite=Strict, so no other site's
 * page can send it, and it ends with its key. The page only reads: it changes nothing.
 */
public final class OperatorPage {
    public static final String PATH = "/operator";
    public static final String LOGIN_PATH = PATH + "/login";
    public static final String LOGOUT_PATH = PATH + "/logout";
    public static final String COOKIE = "credits_operator";
    /** Rows of each list. */
    public static final int ACCOUNTS_SHOWN = 50;
    public static final int LOW_SHOWN = 50;
    public static final int REFUSALS_SHOWN = 50;
    /** Accounts read to find the low ones: bounds the page's work whatever the database holds. */
    public static final int LOW_CANDIDATES_MAX = 500;

    private final Engine engine;
    private final OperatorSessions sessions;

    public OperatorPage(Engine engine, byte[] secret) {
        this.engine = engine;
        this.sessions = new OperatorSessions(secret);
    }

    /** Sessions signed with the database's secret (the one of the billing links). */
    public static OperatorPage fromDatabase(Engine engine) {
        return new OperatorPage(engine, PortalSecrets.loadOrCreate(engine.dataSource(), engine.clock().instant()));
    }

    /** Who the request comes from: a live admin key, or the answer to give instead. */
    private sealed interface Caller {
        record Admin(ApiKeys.Key key, String newCookie) implements Caller {}

        record Refused(WebResponse answer) implements Caller {}
    }

    // ---------------------------------------------------------------- routes

    /**
     * {@code GET /operator}. {@code headers} as the browser sent them (any case: {@code Authorization},
     * {@code Cookie}); {@code secure} when the request came over HTTPS (the cookie is then Secure).
     */
    public WebResponse get(Map<String, String> query, Map<String, String> headers, boolean secure) {
        Map<String, String> h = caseless(headers);
        Caller caller = caller(h);
        if (caller instanceof Caller.Refused r) return r.answer();
        Caller.Admin admin = (Caller.Admin) caller;
        String q = query.getOrDefault("q", "").strip();
        if (q.length() > OperatorQueries.SEARCH_LENGTH_MAX)
            return html(400, OperatorHtml.message("Search not understood", "The search text must be at most "
                    + OperatorQueries.SEARCH_LENGTH_MAX + " characters: " + q.length() + "."), Map.of());
        Instant now = engine.clock().instant();
        OperatorHtml.View view = new OperatorHtml.View(now, admin.key(), q, accounts(q), lowBalances(now),
                RefusalLog.recent(engine.dataSource(), REFUSALS_SHOWN));
        Map<String, String> extra = admin.newCookie() == null ? Map.of() : Map.of("Set-Cookie", cookie(admin.newCookie(), secure));
        return html(200, OperatorHtml.page(view), extra);
    }

    /** {@code POST /operator/login} with the form's {@code key}. */
    public WebResponse login(Map<String, String> form, Map<String, String> headers, boolean secure) {
        if (!BillingPage.sameOrigin(headers))
            return html(403, OperatorHtml.login("This form was sent from another site. Sign in here."), Map.of());
        String secret = form.getOrDefault("key", "").strip();
        if (secret.isEmpty()) return html(401, OperatorHtml.login("Enter an admin API key."), unauthenticated());
        Caller caller = byKey(secret);
        if (caller instanceof Caller.Refused r) return r.answer();
        Caller.Admin admin = (Caller.Admin) caller;
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Location", PATH);
        h.put("Set-Cookie", cookie(admin.newCookie(), secure));
        return new WebResponse(303, WebResponse.HTML, "", withSecurity(h));
    }

    /** {@code POST /operator/logout}: the cookie is cleared (it also ends by itself, and with its key). */
    public WebResponse logout(Map<String, String> headers, boolean secure) {
        if (!BillingPage.sameOrigin(headers))
            return html(403, OperatorHtml.message("Form refused", "This form was sent from another site."), Map.of());
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Location", PATH);
        h.put("Set-Cookie", COOKIE + "=; Path=" + PATH + "; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
        return new WebResponse(303, WebResponse.HTML, "", withSecurity(h));
    }

    // ---------------------------------------------------------------- who calls

    /** A key in {@code Authorization} comes first (it may be another than the session's); then the cookie. */
    private Caller caller(Map<String, String> h) {
        String auth = h.get("Authorization");
        if (auth != null && !auth.isBlank()) {
            int space = auth.indexOf(' ');
            if (space < 0 || !auth.substring(0, space).equalsIgnoreCase("Bearer"))
                return new Caller.Refused(html(401, OperatorHtml.login(
                        "The Authorization header must be 'Bearer <admin API key>'."), unauthenticated()));
            return byKey(auth.substring(space + 1).strip());
        }
        Optional<String> cookie = cookieValue(h.get("Cookie"));
        if (cookie.isEmpty()) return new Caller.Refused(html(200, OperatorHtml.login(null), Map.of()));
        Optional<OperatorSessions.Session> s = sessions.verify(cookie.get(), engine.clock().instant());
        Optional<ApiKeys.Key> key = s.flatMap(x -> ApiKeys.findById(engine.dataSource(), x.keyId()))
                .filter(k -> k.scope() == ApiKeys.Scope.ADMIN);
        if (key.isEmpty())
            return new Caller.Refused(html(401, OperatorHtml.login("Your session has ended (it expired, or its key was "
                    + "revoked). Sign in again."), unauthenticated()));
        return new Caller.Admin(key.get(), null);
    }

    private Caller byKey(String secret) {
        Optional<ApiKeys.Key> key = ApiKeys.find(engine.dataSource(), secret);
        if (key.isEmpty())
            return new Caller.Refused(html(401, OperatorHtml.login("That API key is unknown or revoked."), unauthenticated()));
        if (key.get().scope() != ApiKeys.Scope.ADMIN)
            return new Caller.Refused(html(403, OperatorHtml.login("The key '" + key.get().name() + "' has scope "
                    + key.get().scope().code() + "; this page needs an admin key."), Map.of()));
        return new Caller.Admin(key.get(), sessions.create(key.get().id(), engine.clock().instant()));
    }

    /** The session cookie's value in a {@code Cookie} header, if there is one. */
    static Optional<String> cookieValue(String header) {
        if (header == null) return Optional.empty();
        for (String part : header.split(";")) {
            String p = part.strip();
            if (p.startsWith(COOKIE + "=")) return Optional.of(p.substring(COOKIE.length() + 1));
        }
        return Optional.empty();
    }

    private static String cookie(String value, boolean secure) {
        return COOKIE + "=" + value + "; Path=" + PATH + "; Max-Age=" + OperatorSessions.TTL.toSeconds()
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    // ---------------------------------------------------------------- the lists

    private List<Account> accounts(String q) {
        List<Account> out = new ArrayList<>();
        for (String id : OperatorQueries.search(engine.dataSource(), q, ACCOUNTS_SHOWN))
            engine.read(id).ifPresent(out::add);
        return out;
    }

    /** Accounts under their threshold as the balance API counts them now (the query only narrows the search). */
    private List<Account> lowBalances(Instant now) {
        Catalog catalog = engine.catalog();
        Map<String, Long> defaults = new TreeMap<>();
        for (String plan : catalog.aiPlans().keySet()) defaults.put(plan, Account.defaultLowThreshold(catalog, plan));
        List<Account> out = new ArrayList<>();
        for (String id : OperatorQueries.lowCandidates(engine.dataSource(), defaults, now, LOW_CANDIDATES_MAX)) {
            Optional<Account> a = engine.read(id);
            if (a.isPresent() && a.get().balance().available() < a.get().lowThreshold()) out.add(a.get());
            if (out.size() == LOW_SHOWN) break;
        }
        return out;
    }

    // ---------------------------------------------------------------- answers

    private static Map<String, String> unauthenticated() {
        return Map.of("WWW-Authenticate", "Bearer");
    }

    private static WebResponse html(int status, String body, Map<String, String> extra) {
        return new WebResponse(status, WebResponse.HTML, body, withSecurity(extra));
    }

    private static Map<String, String> withSecurity(Map<String, String> extra) {
        Map<String, String> h = new LinkedHashMap<>(BillingPage.securityHeaders());
        h.putAll(extra);
        return h;
    }

    private static Map<String, String> caseless(Map<String, String> headers) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> { if (k != null && v != null) h.put(k, v); });
        return h;
    }
}
