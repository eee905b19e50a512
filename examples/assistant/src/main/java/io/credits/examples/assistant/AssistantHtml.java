package io.credits.examples.assistant;

import io.credits.examples.assistant.Assistant.Outcome;
import io.credits.examples.assistant.Assistant.Role;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The assistant's one page, as plain HTML (no script). Every element a test or a browser needs has
 * a stable id: {@code user-switch}, {@code balance}, {@code notice}, {@code prompt}, {@code fail},
 * {@code generate-page}, {@code generate-section}, {@code generate-code}, {@code ai-writer},
 * {@code message}, {@code charged}, {@code result}, {@code history}, {@code billing-link}.
 */
final class AssistantHtml {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String CSS = """
            body{margin:0;font:15px/1.5 system-ui,sans-serif;color:#1d2433;background:#f6f7fa}
            header{background:#1d2433;color:#fff;padding:12px 24px;display:flex;gap:24px;align-items:center;flex-wrap:wrap}
            header h1{font-size:1.1rem;margin:0}header a{color:#c9d3ec}
            nav a{margin-right:12px}nav a[aria-current]{color:#fff;font-weight:600;text-decoration:none}
            main{max-width:960px;margin:0 auto;padding:16px 24px}
            section{background:#fff;border:1px solid #d9dee7;border-radius:8px;padding:16px 20px;margin:16px 0}
            .credits{font-size:1.4rem;font-weight:600}.notice{border-left:4px solid #b45309;background:#fff7ed}
            textarea{width:100%;font:inherit;padding:8px;box-sizing:border-box}
            button{font:inherit;padding:6px 14px;margin:4px 8px 4px 0;border-radius:6px;border:1px solid #2f5bd3;background:#2f5bd3;color:#fff;cursor:pointer}
            button small{opacity:.8}.failed,.refused{border-left:4px solid #a3310f}.generated{border-left:4px solid #15803d}
            pre{background:#f1f3f7;padding:12px;overflow-x:auto;white-space:pre-wrap}
            table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #d9dee7}
            """;

    private AssistantHtml() {}

    static String page(Assistant a, Role role, Assistant.Access access, Outcome outcome, String prompt) {
        StringBuilder sb = new StringBuilder(16_384);
        sb.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>AI Assistant · ")
                .append(esc(a.config().project())).append("</title><style>").append(CSS).append("</style></head><body>");
        header(sb, a, role, access);
        sb.append("<main>");
        if (access.notice() != null || access.reason() != null) {
            sb.append("<section class=\"notice\" id=\"notice\" role=\"status\">")
                    .append(esc(access.notice() != null ? access.notice() : access.reason())).append("</section>");
        }
        form(sb, a, role, prompt);
        if (outcome != null) outcome(sb, outcome);
        history(sb, a.history());
        sb.append("</main></body></html>");
        return sb.toString();
    }

    private static void header(StringBuilder sb, Assistant a, Role role, Assistant.Access access) {
        sb.append("<header><h1>Sitebuilder · AI Assistant</h1><span>Project <strong id=\"project\">")
                .append(esc(a.config().project())).append("</strong></span>")
                .append("<nav id=\"user-switch\" aria-label=\"Act as\">");
        for (Role r : Role.values()) {
            sb.append("<a id=\"as-").append(r.param()).append("\" href=\"/?as=").append(r.param()).append('"')
                    .append(r == role ? " aria-current=\"page\"" : "").append('>')
                    .append(r == Role.OWNER ? "Owner: " : "Editor: ").append(esc(a.user(r))).append("</a>");
        }
        sb.append("</nav><span>You are <strong id=\"user\" data-role=\"").append(role.param()).append("\">")
                .append(esc(a.user(role))).append("</strong></span>")
                .append("<span>AI credits of ").append(esc(a.config().account())).append(": <data id=\"balance\" class=\"credits\" value=\"")
                .append(access.available()).append("\">").append(String.format(java.util.Locale.ENGLISH, "%,d", access.available()))
                .append("</data></span>");
        if (role == Role.OWNER) sb.append("<a id=\"billing-link\" href=\"/billing?as=owner\">Billing page</a>");
        sb.append("</header>");
    }

    private static void form(StringBuilder sb, Assistant a, Role role, String prompt) {
        sb.append("<section><form method=\"post\" action=\"/generate\" id=\"generate-form\">")
                .append("<input type=\"hidden\" name=\"as\" value=\"").append(role.param()).append("\">")
                .append("<label for=\"prompt\">What should the assistant make?</label>")
                .append("<textarea id=\"prompt\" name=\"prompt\" rows=\"3\" maxlength=\"").append(TemplateGenerator.PROMPT_LENGTH_MAX)
                .append("\" required>").append(esc(prompt == null ? "A landing page for a bakery in Lyon" : prompt))
                .append("</textarea><p><label><input type=\"checkbox\" id=\"fail\" name=\"fail\" value=\"yes\"> ")
                .append("Make this generation fail (the credits held for it are released: it costs nothing)</label></p>");
        for (Generator.Kind k : Generator.Kind.values()) {
            long cost = a.cost(k);
            sb.append("<button type=\"submit\" name=\"feature\" value=\"").append(k.feature).append("\" id=\"")
                    .append(k.elementId).append("\" data-cost=\"").append(cost).append("\">").append(esc(k.label))
                    .append(" <small>").append(cost == 0 ? "free" : cost + " credits").append("</small></button>");
        }
        sb.append("</form></section>");
    }

    private static void outcome(StringBuilder sb, Outcome o) {
        switch (o) {
            case Outcome.Generated g -> {
                sb.append("<section class=\"generated\" id=\"outcome\"><p id=\"message\" data-outcome=\"generated\">")
                        .append(esc(g.kind().label)).append(": done. Charged <data id=\"charged\" value=\"").append(g.credits())
                        .append("\">").append(g.credits()).append("</data> credits; ").append(g.available())
                        .append(" left.</p>");
                if (g.notice() != null)
                    sb.append("<p id=\"hold-notice\">").append(esc(g.notice())).append("</p>");
                sb.append("<pre id=\"result\">").append(esc(g.content())).append("</pre></section>");
            }
            case Outcome.Failed f -> sb.append("<section class=\"failed\" id=\"outcome\"><p id=\"message\" data-outcome=\"failed\">")
                    .append(esc(f.kind().label)).append(" failed: ").append(esc(f.reason()))
                    .append(". The credits held for it were released: charged <data id=\"charged\" value=\"0\">0</data>.</p></section>");
            case Outcome.Refused r -> sb.append("<section class=\"refused\" id=\"outcome\"><p id=\"message\" data-outcome=\"refused\" data-code=\"")
                    .append(esc(r.code())).append("\">").append(esc(r.kind().label)).append(" refused by Credits (")
                    .append(esc(r.code())).append("): ").append(esc(r.detail()))
                    .append(". Nothing ran, <data id=\"charged\" value=\"0\">0</data> charged.</p></section>");
        }
    }

    private static void history(StringBuilder sb, List<Assistant.Done> history) {
        sb.append("<section><h2>Latest generations</h2><table id=\"history\"><thead><tr><th>Time (UTC)</th><th>User</th>")
                .append("<th>Button</th><th>Outcome</th><th>Credits</th></tr></thead><tbody>");
        for (Assistant.Done d : history) {
            sb.append("<tr data-user=\"").append(esc(d.user())).append("\" data-feature=\"").append(d.kind().feature)
                    .append("\" data-outcome=\"").append(d.outcome()).append("\" data-credits=\"").append(d.credits())
                    .append("\"><td>").append(TIME.format(d.at())).append("</td><td>").append(esc(d.user())).append(" (")
                    .append(d.role().param()).append(")</td><td>").append(esc(d.kind().label)).append("</td><td>")
                    .append(d.outcome()).append("</td><td>").append(d.credits()).append("</td></tr>");
        }
        if (history.isEmpty()) sb.append("<tr><td colspan=\"5\">Nothing generated yet.</td></tr>");
        sb.append("</tbody></table></section>");
    }

    static String message(String title, String text) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title><style>" + CSS
                + "</style></head><body><main><section id=\"message\"><h1>" + esc(title) + "</h1><p>" + esc(text)
                + "</p><p><a href=\"/\">Back to the assistant</a></p></section></main></body></html>";
    }

    static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
