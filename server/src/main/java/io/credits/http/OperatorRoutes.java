package io.credits.http;

import io.credits.web.OperatorPage;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator page ({@code GET /operator}, {@code POST /operator/login|logout}): HTML for a
 * browser, outside the API's routes and the OpenAPI document; it checks the admin key (or its
 * session cookie) itself. The work is done in {@link OperatorPage}.
 */
final class OperatorRoutes {
    /** The request headers the page reads: the key or session, and where a form comes from. */
    static final List<String> PAGE_HEADERS = List.of("Authorization", "Cookie", "Host", "Origin", "Referer",
            "X-Forwarded-Host");

    private final OperatorPage page;

    OperatorRoutes(OperatorPage page) {
        this.page = page;
    }

    void register(JavalinConfig config) {
        config.routes.addHttpHandler(HandlerType.GET, OperatorPage.PATH, ctx ->
                PortalRoutes.write(ctx, page.get(PortalRoutes.first(ctx.queryParamMap()), headers(ctx), secure(ctx))));
        config.routes.addHttpHandler(HandlerType.POST, OperatorPage.LOGIN_PATH, ctx ->
                PortalRoutes.write(ctx, page.login(PortalRoutes.first(ctx.formParamMap()), headers(ctx), secure(ctx))));
        config.routes.addHttpHandler(HandlerType.POST, OperatorPage.LOGOUT_PATH, ctx ->
                PortalRoutes.write(ctx, page.logout(headers(ctx), secure(ctx))));
    }

    private static Map<String, String> headers(Context ctx) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : PAGE_HEADERS) {
            String v = ctx.header(h);
            if (v != null) headers.put(h, v);
        }
        return headers;
    }

    /** Over HTTPS (directly, or behind a proxy that says so) the cookie is marked Secure. */
    private static boolean secure(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }
}
