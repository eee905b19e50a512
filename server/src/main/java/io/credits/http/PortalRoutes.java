package io.credits.http;

import io.credits.account.RefusalCode;
import io.credits.web.BillingPage;
import io.credits.web.PortalLinks;
import io.credits.web.WebResponse;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The customer's billing page: {@code POST /v1/portal-sessions} (an API route) makes a signed link,
 * and {@code GET|POST /billing/{account}} (not API routes: no API key, the signed link is the
 * credential; HTML, not in the OpenAPI document) serve the page. The work is done in
 * {@code io.credits.web}; see docs/billing.md.
 */
final class PortalRoutes {
    /** The request headers the billing page reads (same-origin checks of its forms). */
    static final List<String> PAGE_HEADERS = List.of("Host", "Origin", "Referer", "X-Forwarded-Host");

    /** The answer of {@code POST /v1/portal-sessions}. */
    record Session(String url, Instant expiresAt) {}

    private final BillingPage billing;

    PortalRoutes(BillingPage billing) {
        this.billing = billing;
    }

    /** {@code POST /v1/portal-sessions {account, ttlSeconds?}}: 201 with the link and its expiry. */
    void createSession(Router.Call call) {
        call.in.body(true, "account", "ttlSeconds");
        String account = call.in.requiredText("account", PortalLinks.ACCOUNT_LENGTH_MAX);
        Optional<Long> ttl = call.in.optionalLong("ttlSeconds", PortalLinks.TTL_MIN.toSeconds(),
                PortalLinks.TTL_MAX.toSeconds());
        call.in.check();
        Optional<PortalLinks.Link> link;
        try {
            link = billing.createSession(account, ttl.map(Duration::ofSeconds).orElse(null));
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            throw new ApiException(Problem.invalid(m.startsWith("ttlSeconds") ? "ttlSeconds" : "account", m));
        }
        PortalLinks.Link l = link.orElseThrow(() -> new ApiException(
                Refusals.problem(RefusalCode.NOT_FOUND, "no account '" + account + "'")));
        call.json(201, new Session(l.url(base(call.ctx)), l.expiresAt()));
    }

    /** {@code scheme://host:port} as this request reached the server. */
    private static String base(Context ctx) {
        URI u = URI.create(ctx.url());
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    /** Registers {@code GET} and {@code POST /billing/{account}} outside the API's key checks. */
    void registerPages(JavalinConfig config) {
        String path = PortalLinks.PATH_PREFIX + "{account}";
        config.routes.addHttpHandler(HandlerType.GET, path, ctx ->
                write(ctx, billing.get(account(ctx), first(ctx.queryParamMap()))));
        config.routes.addHttpHandler(HandlerType.POST, path, ctx -> {
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h : PAGE_HEADERS) {
                String v = ctx.header(h);
                if (v != null) headers.put(h, v);
            }
            write(ctx, billing.post(account(ctx), first(ctx.queryParamMap()),
                    first(ctx.formParamMap()), headers));
        });
    }

    /** The decoded account; a malformed %-escape is no account (the page answers 403, as for any bad link). */
    private static String account(Context ctx) {
        try {
            return ctx.pathParam("account");
        } catch (RuntimeException e) {
            return "";
        }
    }

    static Map<String, String> first(Map<String, List<String>> params) {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (!v.isEmpty()) out.put(k, v.getFirst());
        });
        return out;
    }

    static void write(Context ctx, WebResponse r) {
        ctx.status(r.status());
        r.headers().forEach(ctx::header);
        ctx.contentType(r.contentType()).result(r.body());
    }
}
