package io.credits.web;

import io.credits.account.Account;
import io.credits.account.Balance;
import io.credits.store.ApiKeys;
import io.credits.store.RefusalLog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The operator page as HTML, in the billing page's style and stylesheet, every value escaped by
 * {@link Web#esc}. Times are in UTC (the accounts listed live in many zones). Each list is a table
 * with an id, each row carries its figures as {@code data-} attributes, so tests read what people read.
 */
final class OperatorHtml {
    private static final Formats UTC = new Formats(ZoneOffset.UTC);

    /** Everything the page shows. */
    record View(Instant now, ApiKeys.Key key, String search, List<Account> accounts, List<Account> low,
                List<RefusalLog.Refusal> refusals) {}

    private OperatorHtml() {}

    static String page(View v) {
        StringBuilder sb = new StringBuilder(32_768);
        head(sb, "Credits · Operator");
        sb.append("<header><h1>Operator</h1><p class=\"sub\">As of ").append(UTC.time(v.now()))
                .append(" UTC · signed in with the key <strong id=\"key-name\">").append(Web.esc(v.key().name()))
                .append("</strong> (").append(Web.esc(v.key().id())).append(")</p>")
                .append("<form method=\"post\" action=\"").append(OperatorPage.LOGOUT_PATH)
                .append("\" class=\"inline\" id=\"logout-form\"><button type=\"submit\" class=\"secondary\">Sign out</button></form></header>");
        accounts(sb, v);
        low(sb, v);
        refusals(sb, v);
        return foot(sb);
    }

    private static void accounts(StringBuilder sb, View v) {
        sb.append("<section id=\"accounts-section\" aria-labelledby=\"h-accounts\"><h2 id=\"h-accounts\">Accounts</h2>")
                .append("<form method=\"get\" action=\"").append(OperatorPage.PATH).append("\" id=\"search-form\">")
                .append("<label>Id or name contains <input type=\"search\" name=\"q\" id=\"search\" maxlength=\"200\" value=\"")
                .append(Web.esc(v.search())).append("\"></label> <button type=\"submit\">Search</button></form>");
        sb.append("<p class=\"note\"><data id=\"accounts-count\" value=\"").append(v.accounts().size()).append("\">")
                .append(v.accounts().size()).append("</data> account").append(v.accounts().size() == 1 ? "" : "s")
                .append(v.search().isEmpty() ? "" : " matching “" + Web.esc(v.search()) + "”")
                .append(v.accounts().size() == OperatorPage.ACCOUNTS_SHOWN ? " (the first " + OperatorPage.ACCOUNTS_SHOWN
                        + " by id: search to narrow)" : "").append("</p>");
        sb.append("<div class=\"scroll\"><table id=\"accounts\"><thead><tr><th>Account</th><th>Name</th><th>Main plan</th>")
                .append("<th>AI plan</th><th class=\"n\">Available</th><th class=\"n\">Held</th><th class=\"n\">Used this period</th>")
                .append("<th class=\"n\">Low under</th><th>Period ends</th></tr></thead><tbody>");
        for (Account a : v.accounts()) {
            Balance b = a.balance();
            sb.append("<tr data-account=\"").append(Web.esc(a.id())).append("\" data-available=\"").append(b.available())
                    .append("\" data-plan=\"").append(Web.esc(b.plan())).append("\"><td>").append(Web.esc(a.id()))
                    .append("</td><td>").append(Web.esc(a.state().name()))
                    .append("</td><td>").append(Web.esc(a.mainPlan().map(m -> m.plan() + " · " + m.term().code()).orElse("none")))
                    .append("</td><td>").append(Web.esc(b.plan()))
                    .append(b.nextPlan().equals(b.plan()) ? "" : " → " + Web.esc(b.nextPlan()))
                    .append("</td>").append(n(b.available())).append(n(b.held())).append(n(b.usedThisPeriod()))
                    .append(n(a.lowThreshold())).append("<td>").append(UTC.time(b.periodEnd())).append("</td></tr>");
        }
        if (v.accounts().isEmpty()) sb.append("<tr><td colspan=\"9\" class=\"note\">No account.</td></tr>");
        sb.append("</tbody></table></div></section>");
    }

    private static void low(StringBuilder sb, View v) {
        sb.append("<section id=\"low-section\" aria-labelledby=\"h-low\"><h2 id=\"h-low\">Low balances</h2>")
                .append("<p class=\"note\">Accounts whose available credits are under their low threshold (their own, "
                        + "or 10% of their AI plan's allowance): <data id=\"low-count\" value=\"").append(v.low().size())
                .append("\">").append(v.low().size()).append("</data>")
                .append(v.low().size() == OperatorPage.LOW_SHOWN ? " shown, there may be more" : "").append(".</p>");
        sb.append("<div class=\"scroll\"><table id=\"low-balances\"><thead><tr><th>Account</th><th>AI plan</th>")
                .append("<th class=\"n\">Available</th><th class=\"n\">Held</th><th class=\"n\">Threshold</th><th>Period ends</th>")
                .append("</tr></thead><tbody>");
        for (Account a : v.low()) {
            Balance b = a.balance();
            sb.append("<tr data-account=\"").append(Web.esc(a.id())).append("\" data-available=\"").append(b.available())
                    .append("\" data-threshold=\"").append(a.lowThreshold()).append("\"><td>").append(Web.esc(a.id()))
                    .append("</td><td>").append(Web.esc(b.plan())).append("</td>").append(n(b.available()))
                    .append(n(b.held())).append(n(a.lowThreshold())).append("<td>").append(UTC.time(b.periodEnd()))
                    .append("</td></tr>");
        }
        if (v.low().isEmpty()) sb.append("<tr><td colspan=\"6\" class=\"note\">No account is low on credits.</td></tr>");
        sb.append("</tbody></table></div></section>");
    }

    private static void refusals(StringBuilder sb, View v) {
        sb.append("<section id=\"refusals-section\" aria-labelledby=\"h-refusals\"><h2 id=\"h-refusals\">Recent refusals</h2>")
                .append("<p class=\"note\">The newest ").append(OperatorPage.REFUSALS_SHOWN)
                .append(" uses and holds refused, over every account.</p>");
        sb.append("<div class=\"scroll\"><table id=\"refusals\"><thead><tr><th>Time (UTC)</th><th>Account</th><th>User</th>")
                .append("<th>Project</th><th>Feature</th><th>Code</th><th>Detail</th></tr></thead><tbody>");
        for (RefusalLog.Refusal r : v.refusals()) {
            sb.append("<tr data-account=\"").append(Web.esc(r.account())).append("\" data-code=\"").append(Web.esc(r.code()))
                    .append("\" data-feature=\"").append(Web.esc(r.feature())).append("\" data-user=\"")
                    .append(Web.esc(r.userId())).append("\"><td>").append(UTC.time(r.refusedAt())).append("</td><td>")
                    .append(Web.esc(r.account())).append("</td><td>").append(Web.esc(r.userId())).append("</td><td>")
                    .append(Web.esc(r.projectId())).append("</td><td>").append(Web.esc(r.feature())).append("</td><td><code>")
                    .append(Web.esc(r.code())).append("</code></td><td>").append(Web.esc(r.detail())).append("</td></tr>");
        }
        if (v.refusals().isEmpty()) sb.append("<tr><td colspan=\"7\" class=\"note\">No refusal yet.</td></tr>");
        sb.append("</tbody></table></div></section>");
    }

    private static String n(long credits) {
        return "<td class=\"n\">" + Formats.credits(credits) + "</td>";
    }

    // ---------------------------------------------------------------- sign-in and messages

    /** The sign-in form, with why it is shown again ({@code note} null on a first visit). */
    static String login(String note) {
        StringBuilder sb = new StringBuilder(4_096);
        head(sb, "Credits · Operator sign-in");
        sb.append("<section id=\"login\"><h1>Operator sign-in</h1>");
        if (note != null) sb.append("<p class=\"warning\" id=\"message\" role=\"alert\">").append(Web.esc(note)).append("</p>");
        sb.append("<p>This page lists accounts, low balances and refusals. It needs an admin API key (the one ")
                .append("<code>credits serve</code> showed on its first start, or one made with ")
                .append("<code>credits keys create --scope admin</code>).</p>")
                .append("<form method=\"post\" action=\"").append(OperatorPage.LOGIN_PATH).append("\" id=\"login-form\">")
                .append("<label>Admin API key <input type=\"password\" name=\"key\" id=\"key\" autocomplete=\"off\" ")
                .append("required maxlength=\"").append(ApiKeys.KEY_LENGTH_MAX).append("\"></label> ")
                .append("<button type=\"submit\">Sign in</button></form>")
                .append("<p class=\"note\">The session lasts ").append(OperatorSessions.TTL.toHours())
                .append(" hours, and ends sooner if the key is revoked.</p></section>");
        return foot(sb);
    }

    static String message(String title, String text) {
        StringBuilder sb = new StringBuilder(2_048);
        head(sb, title);
        sb.append("<section class=\"error\" id=\"message\"><h1>").append(Web.esc(title)).append("</h1><p>")
                .append(Web.esc(text)).append("</p><p><a id=\"back\" href=\"").append(OperatorPage.PATH)
                .append("\">Back to the operator page</a></p></section>");
        return foot(sb);
    }

    private static void head(StringBuilder sb, String title) {
        sb.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta name=\"robots\" content=\"noindex, nofollow\"><title>").append(Web.esc(title))
                .append("</title><style>").append(BillingHtml.CSS).append("</style></head><body><main>");
    }

    private static String foot(StringBuilder sb) {
        return sb.append("</main></body></html>").toString();
    }
}
