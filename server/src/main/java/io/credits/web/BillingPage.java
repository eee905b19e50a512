package io.credits.web;

import io.credits.account.Account;
import io.credits.account.Command;
import io.credits.account.Outcome;
import io.credits.catalog.Catalog;
import io.credits.store.BillingQueries;
import io.credits.store.Engine;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The customer's billing page behind a signed link, and the plan changes made on it. Takes plain
 * strings (path, query, form, headers) and answers {@link WebResponse}s, so a route of any web
 * framework wires it in a line:
 * <pre>
 * GET  /billing/{account}?expires=..&amp;sig=..[&amp;before=..][&amp;view=upgrade&amp;plan=..]  → {@link #get}
 * POST /billing/{account}?expires=..&amp;sig=..   (form: action, key, token, ...)          → {@link #post}
 * POST /v1/portal-sessions {account}  → {@link #createSession}
 * </pre>
 *
 * <p>Every change goes through {@link Engine#execute} with the form's idempotency key, so it lands
 * in the ledger and the charges exactly as through the API, and a form sent twice changes once.
 * A form is accepted only with a token signed for this link and this key, and, when the browser
 * says where it comes from ({@code Origin}, else {@code Referer}), only from this site.
 */
public final class BillingPage {
    /** Ledger entries per page unless {@code limit} says otherwise. */
    public static final int ENTRIES_PAGE_DEFAULT = 50;
    /** The longest query or form value read; anything longer is refused. */
    public static final int PARAM_LENGTH_MAX = 300;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, String> DONE = Map.of(
            "upgraded", "Upgraded. The new credits are in the balance, and the price difference is among the charges.",
            "downgraded", "Downgrade planned: the new plan starts with the next period. Nothing changes before then.",
            "kept", "The pending change was undone: the plan goes on as it is.",
            "cancelled", "Cancellation planned: the AI plan ends with this period, and its credits expire then.",
            "cancelled-now", "The AI plan was cancelled. All its credits have expired.");

    private final Engine engine;
    private final PortalLinks links;
    private final Supplier<String> keys;

    public BillingPage(Engine engine, PortalLinks links) {
        this(engine, links, BillingPage::randomKey);
    }

    /** With a chosen source of idempotency keys (tests). */
    BillingPage(Engine engine, PortalLinks links, Supplier<String> keys) {
        this.engine = engine;
        this.links = links;
        this.keys = keys;
    }

    public PortalLinks links() {
        return links;
    }

    // ---------------------------------------------------------------- portal sessions

    /**
     * {@code POST /v1/portal-sessions}: a link to the account's page valid for {@code ttl} (null: an
     * hour). Empty when there is no such account (404). A ttl outside 1 s .. 24 h throws
     * {@link IllegalArgumentException} with a message naming the limit (400).
     */
    public Optional<PortalLinks.Link> createSession(String account, Duration ttl) {
        Instant now = engine.clock().instant();
        PortalLinks.Link link = links.create(account, ttl, now); // checks the ttl and the account id first
        if (engine.read(account).isEmpty()) return Optional.empty();
        return Optional.of(link);
    }

    // ---------------------------------------------------------------- GET

    /** {@code GET /billing/{account}}: the page, the upgrade preview, or an error page. */
    public WebResponse get(String account, Map<String, String> query) {
        Instant now = engine.clock().instant();
        Optional<String> tooLong = tooLong(query);
        PortalLinks.Verdict verdict = links.verify(account, query.get("expires"), query.get("sig"), now);
        if (!(verdict instanceof PortalLinks.Verdict.Valid link)) return linkError(verdict);
        String back = links.path(link, "");
        if (tooLong.isPresent()) return message(400, "Request not understood", tooLong.get(), back);
        String before = query.get("before");
        if (before != null && !DIGITS.matcher(before).matches())
            return message(400, "Request not understood", "before must be an entry number: " + before, back);
        int limit = ENTRIES_PAGE_DEFAULT;
        String l = query.get("limit");
        if (l != null) {
            if (!DIGITS.matcher(l).matches() || Long.parseLong(l) < 1 || Long.parseLong(l) > BillingQueries.ENTRIES_PAGE_MAX)
                return message(400, "Request not understood", "limit must be 1.." + BillingQueries.ENTRIES_PAGE_MAX + ": " + l, back);
            limit = Integer.parseInt(l);
        }
        Optional<BillingQueries.Snapshot> snap = snapshot(account, before == null ? null : Long.parseLong(before), limit);
        if (snap.isEmpty()) return message(404, "No billing here", "There is no account for this link.", null);
        BillingHtml.View view = new BillingHtml.View(snap.get(), engine.catalog(), links, link,
                query.get("done") == null ? null : DONE.get(query.get("done")), keys, before != null, limit);
        if ("upgrade".equals(query.get("view"))) return preview(view, query.get("plan"), null, 200);
        return html(200, BillingHtml.page(view));
    }

    private WebResponse preview(BillingHtml.View view, String plan, String note, int status) {
        String back = links.path(view.link(), "");
        Optional<UpgradePreview> p = UpgradePreview.of(view.account(), engine.catalog(), plan == null ? "" : plan,
                view.snapshot().now());
        if (p.isEmpty())
            return message(409, "Not an upgrade", notAnUpgrade(view.account(), plan), back);
        return html(status, BillingHtml.preview(view, p.get(), note));
    }

    /**
     * The account as of now. Boundaries and expiries that fell due since the account was last
     * written are written first (a catch-up, as the background job would), so the ledger shown
     * holds the entries behind every figure.
     */
    private Optional<BillingQueries.Snapshot> snapshot(String account, Long before, int limit) {
        Optional<BillingQueries.Snapshot> s = BillingQueries.read(engine.dataSource(), engine.catalog(), account,
                engine.clock().instant(), before, limit);
        if (s.isEmpty() || !s.get().due()) return s;
        engine.execute(Engine.Request.catchUp(account));
        return BillingQueries.read(engine.dataSource(), engine.catalog(), account, engine.clock().instant(), before, limit);
    }

    // ---------------------------------------------------------------- POST

    /**
     * {@code POST /billing/{account}}: a plan change. {@code headers} needs {@code Host} and, as the
     * browser sent them, {@code Origin} and {@code Referer} (any case). Answers 303 to the page on
     * success (so a reload does not post again), an error page otherwise.
     */
    public WebResponse post(String account, Map<String, String> query, Map<String, String> form,
                            Map<String, String> headers) {
        Instant now = engine.clock().instant();
        PortalLinks.Verdict verdict = links.verify(account, query.get("expires"), query.get("sig"), now);
        if (!(verdict instanceof PortalLinks.Verdict.Valid link)) return linkError(verdict);
        String back = links.path(link, "");
        if (!sameOrigin(headers))
            return message(403, "Form refused", "This form was sent from another site. Nothing was changed.", null);
        Optional<String> tooLong = tooLong(form);
        if (tooLong.isPresent()) return message(400, "Form not understood", tooLong.get(), back);
        String key = form.get("key");
        String action = form.getOrDefault("action", "");
        if (key == null || !KEY.matcher(key).matches() || !links.formTokenValid(link, key, action, form.get("token")))
            return message(403, "Form refused",
                    "This form is not valid for this page. Nothing was changed: open the billing page again and retry.", back);
        Optional<Account> acc = engine.read(account);
        if (acc.isEmpty()) return message(404, "No billing here", "There is no account for this link.", null);
        return switch (action) {
            case "upgrade" -> upgrade(link, acc.get(), form, key);
            case "downgrade" -> downgrade(link, acc.get(), form.get("plan"), key);
            case "keep" -> keep(link, acc.get(), form.get("plan"), key);
            case "cancel-at-period-end" -> apply(link, new Command.CancelAiPlan(false), key, "cancelled");
            case "cancel-now" -> "yes".equals(form.get("understood"))
                    ? apply(link, new Command.CancelAiPlan(true), key, "cancelled-now")
                    : message(400, "Please confirm", "Cancelling now makes every credit of the account expire at once. "
                    + "Tick the box to say you understand, then cancel again. Nothing was changed.", back);
            default -> message(400, "Form not understood", "action must be upgrade, downgrade, keep, "
                    + "cancel-at-period-end or cancel-now: " + action, back);
        };
    }

    /**
     * Applies an upgrade only at the figures the customer saw: if a day passed since the preview
     * (or the plan changed), the new figures are shown to confirm again. A form whose upgrade was
     * already applied is no upgrade any more; it goes to the engine, which answers it from its key.
     */
    private WebResponse upgrade(PortalLinks.Verdict.Valid link, Account account, Map<String, String> form, String key) {
        String plan = form.get("plan");
        Instant now = engine.clock().instant();
        Optional<UpgradePreview> p = UpgradePreview.of(account, engine.catalog(), plan == null ? "" : plan, now);
        if (p.isPresent()) {
            if (!Long.toString(p.get().credits()).equals(form.get("credits"))
                    || !Long.toString(p.get().cents()).equals(form.get("cents"))) {
                Optional<BillingQueries.Snapshot> s = snapshot(link.account(), null, 1);
                if (s.isEmpty()) return message(404, "No billing here", "There is no account for this link.", null);
                BillingHtml.View view = new BillingHtml.View(s.get(), engine.catalog(), links, link, null, keys, false, 1);
                return preview(view, plan, "The figures changed since they were shown (a day passed, or the plan "
                        + "changed). Nothing was changed: here are today's figures.", 409);
            }
        } else if (account.aiPlan().isEmpty() || !account.aiPlan().get().plan().equals(plan)) {
            return message(409, "Not an upgrade", notAnUpgrade(account, plan), links.path(link, ""));
        }
        return apply(link, new Command.ChangeAiPlan(plan), key, "upgraded");
    }

    private WebResponse downgrade(PortalLinks.Verdict.Valid link, Account account, String plan, String key) {
        Optional<Catalog.AiPlan> target = engine.catalog().aiPlan(plan == null ? "" : plan).filter(t -> !t.isFree());
        Optional<Catalog.AiPlan> current = account.aiPlan().flatMap(a -> engine.catalog().aiPlan(a.plan()));
        if (target.isEmpty() || current.isEmpty() || target.get().credits() > current.get().credits())
            return message(409, "Not a downgrade", "Only a plan with fewer credits than the current one can be chosen "
                    + "for the next period: " + plan + ". Nothing was changed.", links.path(link, ""));
        return apply(link, new Command.ChangeAiPlan(plan), key, "downgraded");
    }

    private WebResponse keep(PortalLinks.Verdict.Valid link, Account account, String plan, String key) {
        if (account.aiPlan().isEmpty() || !account.aiPlan().get().plan().equals(plan))
            return message(409, "Plan changed", "The plan is no longer " + plan + ". Nothing was changed.",
                    links.path(link, ""));
        return apply(link, new Command.ChangeAiPlan(plan), key, "kept");
    }

    /** The one place a change happens: the engine, with the form's key. */
    private WebResponse apply(PortalLinks.Verdict.Valid link, Command command, String key, String done) {
        Outcome o = engine.execute(new Engine.Request(new Engine.Target.OfAccount(link.account(), false), command, key));
        String back = links.path(link, "");
        return switch (o) {
            case Outcome.Done d -> new WebResponse(303, WebResponse.HTML, "",
                    withHeader(securityHeaders(), "Location", links.path(link, Web.param("done", done))));
            case Outcome.Refused r -> switch (r.code()) {
                case INVALID_REQUEST -> message(400, "Change refused", r.detail() + ". Nothing was changed.", back);
                case NOT_FOUND -> message(404, "Change refused", r.detail() + ". Nothing was changed.", back);
                case IDEMPOTENCY_CONFLICT -> message(409, "Form already used",
                        "This form was already used for another change. Nothing was changed: open the billing page "
                                + "again to make a new one.", back);
                default -> message(409, "Change refused", r.detail() + ". Nothing was changed.", back);
            };
        };
    }

    private String notAnUpgrade(Account account, String plan) {
        String current = account.aiPlan().map(a -> a.plan()).orElse(Catalog.FREE);
        if (account.aiPlan().isEmpty()) return "This account has no AI plan to upgrade. Nothing was changed.";
        return (plan == null || plan.isEmpty() ? "No plan was chosen" : plan + " is not a plan with more credits than "
                + current) + ". Nothing was changed.";
    }

    // ---------------------------------------------------------------- checks and answers

    /**
     * Whether a browser's POST comes from this site: its {@code Origin} (else its {@code Referer})
     * must name the host the request was sent to ({@code Host}, or {@code X-Forwarded-Host} behind a
     * proxy: a browser cannot set that header on a cross-site form). Without either header the
     * request is no browser's cross-site form (browsers send Origin with every POST); the token guards it.
     */
    static boolean sameOrigin(Map<String, String> headers) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> { if (k != null && v != null) h.put(k, v); });
        String from = h.containsKey("Origin") ? h.get("Origin") : h.get("Referer");
        if (from == null) return true;
        Optional<String[]> origin = schemeAndAuthority(from);
        if (origin.isEmpty()) return false;
        for (String host : new String[]{h.get("Host"), h.get("X-Forwarded-Host")}) {
            if (host == null) continue;
            String hostOnly = host.split(",")[0].trim().toLowerCase(Locale.ROOT);
            String defaultPort = origin.get()[0].equals("https") ? ":443" : ":80";
            if (hostOnly.endsWith(defaultPort)) hostOnly = hostOnly.substring(0, hostOnly.length() - defaultPort.length());
            if (hostOnly.equals(origin.get()[1])) return true;
        }
        return false;
    }

    /** {scheme, host[:port]} of an http(s) URL, the port left out when it is the scheme's default. */
    private static Optional<String[]> schemeAndAuthority(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) return Optional.empty();
            int port = u.getPort();
            boolean dflt = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return Optional.of(new String[]{scheme, u.getHost().toLowerCase(Locale.ROOT) + (dflt ? "" : ":" + port)});
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> tooLong(Map<String, String> params) {
        for (var e : params.entrySet())
            if (e.getValue() != null && e.getValue().length() > PARAM_LENGTH_MAX)
                return Optional.of(e.getKey() + " must be at most " + PARAM_LENGTH_MAX + " characters: "
                        + e.getValue().length());
        return Optional.empty();
    }

    /** A bad link shows nothing of any account: not even whether the account exists. */
    private static WebResponse linkError(PortalLinks.Verdict verdict) {
        return switch (verdict) {
            case PortalLinks.Verdict.Expired e -> message(410, "This link has expired",
                    "Billing links work for a short while only. Open billing again from where you found this link.", null);
            case PortalLinks.Verdict.Invalid i -> message(403, "This link is not valid",
                    "The link is incomplete or was changed. Open billing again from where you found it.", null);
            case PortalLinks.Verdict.Valid v -> throw new IllegalArgumentException("a valid link is no error");
        };
    }

    private static WebResponse message(int status, String title, String text, String back) {
        return html(status, BillingHtml.message(title, text, back));
    }

    private static WebResponse html(int status, String body) {
        return new WebResponse(status, WebResponse.HTML, body, securityHeaders());
    }

    /**
     * On every answer: never cached or framed (the page holds a credential in its URL and forms
     * that spend money), the signed URL never sent to another site, no script at all, only the
     * page's own stylesheet, forms only to this site.
     */
    public static Map<String, String> securityHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Cache-Control", "no-store");
        h.put("Referrer-Policy", "same-origin");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Content-Security-Policy", "default-src 'none'; style-src '" + BillingHtml.CSS_HASH + "'; img-src 'self' data:; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        return h;
    }

    private static Map<String, String> withHeader(Map<String, String> headers, String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return h;
    }

    private static String randomKey() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return "billing_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
