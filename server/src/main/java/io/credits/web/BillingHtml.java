package io.credits.web;

import io.credits.account.Account;
import io.credits.account.Balance;
import io.credits.catalog.Catalog;
import io.credits.ledger.Grant;
import io.credits.plan.AiSubscription;
import io.credits.store.BillingQueries;
import io.credits.store.BillingQueries.Group;
import io.credits.store.LedgerQueries.EntryRow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The billing page and its companions as HTML, built from plain strings: every value from the
 * account or a request is escaped by {@link Web#esc}. Each figure is an element with an id (or a
 * table row with {@code data-} attributes) whose {@code value} is the exact number, beside the
 * number written for people, so nothing needs a script to be read and tests read what people read.
 */
final class BillingHtml {
    static final String CSS = load("/web/billing.css");
    /** For the Content-Security-Policy: the one stylesheet, inline, allowed by its hash. */
    static final String CSS_HASH = "sha256-" + sha256(CSS);

    /**
     * What the page is made of; {@code keys} makes a fresh idempotency key for each form;
     * {@code paged} when the ledger shows an older page (it then links back to the newest);
     * {@code entriesLimit} entries a page, kept by the pager's links.
     */
    record View(BillingQueries.Snapshot snapshot, Catalog catalog, PortalLinks links, PortalLinks.Verdict.Valid link,
                String flash, Supplier<String> keys, boolean paged, int entriesLimit) {
        Account account() {
            return snapshot.account();
        }
    }

    private BillingHtml() {}

    // ---------------------------------------------------------------- the page

    static String page(View v) {
        Balance b = v.account().balance();
        Formats f = new Formats(v.account().zone());
        StringBuilder sb = new StringBuilder(32_768);
        head(sb, "AI credits · Billing");
        sb.append("<header><h1>AI credits</h1><p class=\"sub\">Account <strong id=\"account\">")
                .append(Web.esc(b.account())).append("</strong> · as of ").append(f.time(v.snapshot().now()))
                .append(" · times in <span id=\"zone\">").append(Web.esc(f.zone().getId())).append("</span></p></header>");
        if (v.flash() != null) sb.append("<p class=\"card flash\" id=\"flash\" role=\"status\">").append(Web.esc(v.flash())).append("</p>");
        plan(sb, v, b, f);
        credits(sb, v, b, f);
        usage(sb, v, f);
        changes(sb, v, b, f);
        grants(sb, v.account(), f);
        charges(sb, v, b, f);
        ledger(sb, v, f);
        sb.append("<footer>This page was opened with a link that stops working at ")
                .append(f.time(Instant.ofEpochSecond(v.link().expires())))
                .append(". Ask for a new link where you opened this one.</footer>");
        return foot(sb);
    }

    private static void plan(StringBuilder sb, View v, Balance b, Formats f) {
        sb.append("<section id=\"plan-section\" aria-labelledby=\"h-plan\"><h2 id=\"h-plan\">AI plan</h2><dl class=\"facts\">");
        sb.append("<dt>Plan</dt><dd><data id=\"plan\" value=\"").append(Web.esc(b.plan())).append("\">")
                .append(Web.esc(b.plan())).append("</data>");
        v.catalog().aiPlan(b.plan()).filter(p -> !p.isFree()).ifPresent(p -> sb.append(" · ")
                .append(Formats.credits(p.credits())).append(" credits a month for ")
                .append(Formats.money(p.priceCents(), v.catalog().currency())));
        sb.append("</dd>");
        if (b.periodStart() != null) {
            sb.append("<dt>Period</dt><dd>from <time id=\"period-start\" datetime=\"").append(b.periodStart()).append("\">")
                    .append(Web.esc(f.dayTime(b.periodStart()))).append("</time> to <time id=\"period-end\" datetime=\"")
                    .append(b.periodEnd()).append("\">").append(Web.esc(f.dayTime(b.periodEnd()))).append("</time></dd>");
        }
        sb.append("<dt>Next period</dt><dd><data id=\"next-plan\" value=\"").append(Web.esc(b.nextPlan())).append("\">");
        var ai = v.account().aiPlan();
        if (ai.isEmpty()) sb.append("no AI plan");
        else if (ai.get().cancellationDue())
            sb.append("cancelled: the plan ends on ").append(Web.esc(f.dayTime(b.periodEnd())))
                    .append(" and every credit left expires then");
        else if (!b.nextPlan().equals(b.plan()))
            sb.append(Web.esc(b.nextPlan())).append(" from ").append(Web.esc(f.dayTime(b.periodEnd())));
        else sb.append(Web.esc(b.nextPlan())).append(", renews on ").append(Web.esc(f.dayTime(b.periodEnd())));
        sb.append("</data></dd></dl></section>");
    }

    private static void credits(StringBuilder sb, View v, Balance b, Formats f) {
        sb.append("<section id=\"credits-section\" aria-labelledby=\"h-credits\"><h2 id=\"h-credits\">Credits</h2><dl class=\"figures\">");
        figure(sb, "available", "Available", b.available(), "can be spent now");
        figure(sb, "held", "Held", b.held(), "reserved by generations under way");
        figure(sb, "used", "Used this period", b.usedThisPeriod(), "refunds taken off");
        String carried = b.carriedOver() == 0 || b.carriedOverExpiresAt() == null ? "of the available, from the last period"
                : "of the available; they expire on " + f.dayTime(b.carriedOverExpiresAt());
        figure(sb, "carried-over", "Carried over", b.carriedOver(), carried);
        figure(sb, "current", "This period's own", b.current(), "allowance and upgrades left");
        figure(sb, "will-carry-over", "Will carry over", b.willCarryOver(),
                b.periodEnd() == null ? "nothing renews" : "at " + f.dayTime(b.periodEnd()) + " if nothing more is used");
        figure(sb, "will-expire", "Will expire", b.willExpire(),
                b.periodEnd() == null ? "" : "at the period's end if nothing more is used");
        sb.append("<div><dt>Charged in all</dt><dd><data id=\"charged-cents\" value=\"").append(b.chargedCents()).append("\">")
                .append(Web.esc(Formats.money(b.chargedCents(), b.currency()))).append("</data><small>every charge below</small></dd></div>");
        sb.append("</dl>");
        if (b.carriedOverExpiresAt() != null && b.carriedOver() > 0)
            sb.append("<p class=\"note\">Carried-over credits expire on <time id=\"carried-over-expires-at\" datetime=\"")
                    .append(b.carriedOverExpiresAt()).append("\">").append(Web.esc(f.dayTime(b.carriedOverExpiresAt())))
                    .append("</time>. They are spent first.</p>");
        forecast(sb, Forecast.of(v.account(), b, v.snapshot().now()), f);
        sb.append("</section>");
    }

    private static void figure(StringBuilder sb, String id, String label, long value, String note) {
        sb.append("<div><dt>").append(label).append("</dt><dd><data id=\"").append(id).append("\" value=\"").append(value)
                .append("\">").append(Formats.credits(value)).append("</data><small>").append(Web.esc(note))
                .append("</small></dd></div>");
    }

    private static void forecast(StringBuilder sb, Forecast fc, Formats f) {
        sb.append("<p id=\"forecast\" data-kind=\"").append(fc.kind().code()).append("\"");
        if (fc.runsOut() != null) sb.append(" data-runs-out=\"").append(fc.runsOut()).append("\"");
        sb.append("><strong>Forecast:</strong> ");
        String pace = "at the current pace (" + fc.pace() + " credits a day over " + fc.daysCounted()
                + (fc.daysCounted() == 1 ? " day" : " days") + ")";
        switch (fc.kind()) {
            case NO_PLAN -> sb.append("no AI plan, so no period to forecast.");
            case RAN_OUT -> sb.append("no credits are left this period.");
            case NOT_BEFORE_PERIOD_END -> sb.append(Web.esc(fc.used() == 0 ? "nothing used yet this period" : pace))
                    .append(", the credits run out not before the period ends (")
                    .append(Web.esc(Formats.day(fc.periodEndDay()))).append(").");
            case RUNS_OUT -> sb.append(Web.esc(pace)).append(", the credits run out on <time datetime=\"")
                    .append(fc.runsOut()).append("\">").append(Web.esc(Formats.day(fc.runsOut())))
                    .append("</time>, before the period ends (").append(Web.esc(Formats.day(fc.periodEndDay()))).append(").");
        }
        sb.append("</p>");
    }

    // ---------------------------------------------------------------- usage

    private static void usage(StringBuilder sb, View v, Formats f) {
        BillingQueries.Usage u = v.snapshot().usage();
        sb.append("<section id=\"usage-section\" aria-labelledby=\"h-usage\"><h2 id=\"h-usage\">Usage this period</h2>");
        sb.append("<p><data id=\"usage-credits\" value=\"").append(u.credits()).append("\">").append(Formats.credits(u.credits()))
                .append("</data> credits in <data id=\"usage-uses\" value=\"").append(u.uses()).append("\">")
                .append(Formats.credits(u.uses())).append("</data> uses; refunded uses are not counted.</p>");
        if (u.credits() != v.account().balance().usedThisPeriod())
            sb.append("<p class=\"warning\" id=\"usage-mismatch\">The uses listed add up to ").append(Formats.credits(u.credits()))
                    .append(" credits, not the ").append(Formats.credits(v.account().balance().usedThisPeriod()))
                    .append(" of the balance: please tell support.</p>");
        LocalDate today = f.date(v.snapshot().now());
        sb.append("<figure>").append(UsageChart.svg(u.days(), today)).append("<figcaption class=\"note\">Credits used per day, ")
                .append(Web.esc(Formats.day(v.snapshot().chartFrom()))).append(" to ")
                .append(Web.esc(Formats.day(v.snapshot().chartTo().minusDays(1)))).append(".");
        if (u.usesOffChart() > 0)
            sb.append(" Besides these days: <data id=\"usage-off-chart\" value=\"").append(u.creditsOffChart()).append("\">")
                    .append(Formats.credits(u.creditsOffChart())).append("</data> credits.");
        sb.append("</figcaption></figure>");
        sb.append("<details><summary>Usage by day as a table</summary><table id=\"usage-by-day\"><thead><tr><th>Day</th>")
                .append("<th class=\"n\">Uses</th><th class=\"n\">Credits</th></tr></thead><tbody>");
        for (BillingQueries.Day d : u.days()) {
            if (d.uses() == 0 && d.day().isAfter(today)) continue;
            sb.append("<tr data-day=\"").append(d.day()).append("\" data-uses=\"").append(d.uses()).append("\" data-credits=\"")
                    .append(d.credits()).append("\"><td>").append(Formats.day(d.day())).append("</td><td class=\"n\">")
                    .append(Formats.credits(d.uses())).append("</td><td class=\"n\">").append(Formats.credits(d.credits()))
                    .append("</td></tr>");
        }
        sb.append("</tbody></table></details><div class=\"three\">");
        groups(sb, "usage-by-feature", "By feature", "Feature", u.byFeature(), g -> g.key() == null ? "(credits held without a feature)" : g.key(), null);
        groups(sb, "usage-by-user", "By user", "User", u.byUser(), Group::key,
                g -> v.account().id().equals(g.key()) ? "owner" : "editor");
        groups(sb, "usage-by-project", "By project", "Project", u.byProject(), g -> g.key() == null ? "(no project)" : g.key(), null);
        sb.append("</div></section>");
    }

    private static void groups(StringBuilder sb, String id, String title, String column, List<Group> groups,
                               java.util.function.Function<Group, String> name,
                               java.util.function.Function<Group, String> role) {
        sb.append("<div><h3>").append(title).append("</h3><table id=\"").append(id).append("\"><thead><tr><th>").append(column)
                .append("</th>").append(role == null ? "" : "<th>Role</th>")
                .append("<th class=\"n\">Uses</th><th class=\"n\">Credits</th></tr></thead><tbody>");
        long uses = 0, credits = 0;
        for (Group g : groups) {
            uses += g.uses();
            credits += g.credits();
            sb.append("<tr data-key=\"").append(Web.esc(g.key() == null ? "" : g.key())).append("\"");
            if (role != null) sb.append(" data-role=\"").append(role.apply(g)).append("\"");
            sb.append(" data-uses=\"").append(g.uses()).append("\" data-credits=\"").append(g.credits()).append("\"><td>")
                    .append(Web.esc(name.apply(g))).append("</td>");
            if (role != null) sb.append("<td>").append(role.apply(g)).append("</td>");
            sb.append("<td class=\"n\">").append(Formats.credits(g.uses())).append("</td><td class=\"n\">")
                    .append(Formats.credits(g.credits())).append("</td></tr>");
        }
        if (groups.isEmpty())
            sb.append("<tr><td colspan=\"").append(role == null ? 3 : 4).append("\">No uses this period.</td></tr>");
        sb.append("</tbody><tfoot><tr><td").append(role == null ? "" : " colspan=\"2\"").append(">Total</td><td class=\"n\">")
                .append(Formats.credits(uses)).append("</td><td class=\"n\">").append(Formats.credits(credits))
                .append("</td></tr></tfoot></table></div>");
    }

    // ---------------------------------------------------------------- plan changes

    private static void changes(StringBuilder sb, View v, Balance b, Formats f) {
        sb.append("<section id=\"change-section\" aria-labelledby=\"h-change\"><h2 id=\"h-change\">Change the AI plan</h2>");
        var ai = v.account().aiPlan();
        if (ai.isEmpty()) {
            sb.append("<p>This account has no AI plan, so there is nothing to change here.</p></section>");
            return;
        }
        Catalog.AiPlan current = v.catalog().aiPlan(ai.get().plan()).orElse(null);
        List<Catalog.AiPlan> paid = v.catalog().aiPlans().values().stream().filter(p -> !p.isFree())
                .sorted(Comparator.comparingLong(Catalog.AiPlan::credits)).toList();
        List<Catalog.AiPlan> up = paid.stream().filter(p -> current != null && p.credits() > current.credits()).toList();
        List<Catalog.AiPlan> down = paid.stream().filter(p -> current != null && p.credits() < current.credits()).toList();
        if (!up.isEmpty()) {
            sb.append("<h3>Upgrade now</h3><form id=\"upgrade-form\" method=\"get\" action=\"")
                    .append(Web.esc(PortalLinks.PATH_PREFIX + Web.encodePathSegment(v.link().account()))).append("\">")
                    .append(hidden("expires", Long.toString(v.link().expires())))
                    .append(hidden("sig", v.links().signature(v.link()))).append(hidden("view", "upgrade"))
                    .append("<label>New plan <select name=\"plan\">");
            for (Catalog.AiPlan p : up) option(sb, p, v.catalog().currency());
            sb.append("</select></label> <button type=\"submit\">See the price first</button></form>")
                    .append("<p class=\"note\">The credits are added at once, prorated over the days left in this period; "
                            + "the next page shows them and the price before anything changes.</p>");
        }
        if (!down.isEmpty()) {
            sb.append("<h3>Downgrade from the next period</h3>");
            postForm(sb, v, "downgrade-form", "downgrade");
            sb.append("<label>New plan <select name=\"plan\">");
            for (Catalog.AiPlan p : down) option(sb, p, v.catalog().currency());
            sb.append("</select></label> <button type=\"submit\" class=\"secondary\">Downgrade on ")
                    .append(Web.esc(f.day(b.periodEnd()))).append("</button></form><p class=\"note\">Nothing changes before then,")
                    .append(" and nothing is taken away or refunded. At that point at most the new plan's credits carry over.</p>");
        }
        if (!ai.get().nextPlan().equals(ai.get().plan())) {
            sb.append("<h3>Keep ").append(Web.esc(ai.get().plan())).append("</h3>");
            postForm(sb, v, "keep-form", "keep");
            sb.append(hidden("plan", ai.get().plan())).append("<button type=\"submit\" class=\"secondary\">Keep ")
                    .append(Web.esc(ai.get().plan())).append(" and undo the pending change</button></form>");
        }
        cancelForms(sb, v, b, f, ai.get());
        sb.append("</section>");
    }

    private static void cancelForms(StringBuilder sb, View v, Balance b, Formats f, AiSubscription ai) {
        sb.append("<h3>Cancel</h3>");
        if (!ai.cancellationDue()) {
            postForm(sb, v, "cancel-end-form", "cancel-at-period-end");
            sb.append("<button type=\"submit\" class=\"secondary\">Cancel at the period's end (")
                    .append(Web.esc(f.dayTime(b.periodEnd()))).append(")</button></form><p class=\"note\">")
                    .append("You keep your credits until then; then they all expire and nothing more is charged.</p>");
        }
        postForm(sb, v, "cancel-now-form", "cancel-now");
        sb.append("<p class=\"warning\" id=\"cancel-now-warning\">Cancelling now makes all ")
                .append(Formats.credits(b.available() + b.held())).append(" credits of this account expire at once")
                .append(b.held() > 0 ? ", including those held by generations under way" : "")
                .append(". Nothing is refunded, and they cannot be restored by booking again.</p>")
                .append("<label><input type=\"checkbox\" name=\"understood\" value=\"yes\" required> ")
                .append("I understand that all credits expire now.</label> ")
                .append("<button type=\"submit\" class=\"danger\">Cancel now</button></form>");
    }

    private static void option(StringBuilder sb, Catalog.AiPlan p, String currency) {
        sb.append("<option value=\"").append(Web.esc(p.name())).append("\">").append(Web.esc(p.name())).append(" · ")
                .append(Formats.credits(p.credits())).append(" credits a month, ")
                .append(Web.esc(Formats.money(p.priceCents(), currency))).append("</option>");
    }

    /** Opens a POST form to the page with its action, a fresh idempotency key and its token. */
    private static void postForm(StringBuilder sb, View v, String id, String action) {
        String key = v.keys().get();
        sb.append("<form id=\"").append(id).append("\" method=\"post\" action=\"").append(Web.esc(v.links().path(v.link(), "")))
                .append("\">").append(hidden("action", action)).append(hidden("key", key))
                .append(hidden("token", v.links().formToken(v.link(), key, action)));
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Web.esc(value) + "\">";
    }

    // ---------------------------------------------------------------- grants, charges, ledger

    private static void grants(StringBuilder sb, Account a, Formats f) {
        List<Grant> live = a.grants().stream().filter(Grant::isLive).sorted(Grant.BURN_ORDER).toList();
        sb.append("<section id=\"grants-section\" aria-labelledby=\"h-grants\"><h2 id=\"h-grants\">Grants</h2>")
                .append("<p class=\"note\">Every block of credits that can still be spent, in the order they are spent.</p>")
                .append("<div class=\"scroll\"><table id=\"grants\"><thead><tr><th>#</th><th>Kind</th><th class=\"n\">Granted</th>")
                .append("<th class=\"n\">Left</th><th class=\"n\">Held</th><th class=\"n\">Used</th><th class=\"n\">Expired</th>")
                .append("<th class=\"n\">Carried out</th><th>From</th><th>Expires</th><th>Reason</th></tr></thead><tbody>");
        long left = 0;
        for (Grant g : live) {
            left += g.remaining();
            sb.append("<tr data-seq=\"").append(g.seq).append("\" data-kind=\"").append(g.kind).append("\" data-granted=\"")
                    .append(g.granted()).append("\" data-remaining=\"").append(g.remaining()).append("\"><td>").append(g.seq)
                    .append("</td><td>").append(kind(g)).append("</td>");
            for (long n : new long[]{g.granted(), g.remaining(), g.held(), g.used(), g.expired(), g.carriedOut()})
                sb.append("<td class=\"n\">").append(Formats.credits(n)).append("</td>");
            sb.append("<td>").append(f.time(g.createdAt)).append("</td><td>")
                    .append(g.expiresAt == null ? "until cancelled" : f.time(g.expiresAt)).append("</td><td>")
                    .append(Web.esc(g.reason)).append("</td></tr>");
        }
        if (live.isEmpty()) sb.append("<tr><td colspan=\"11\">No credits to spend.</td></tr>");
        sb.append("</tbody><tfoot><tr><td colspan=\"3\">Left in all</td><td class=\"n\">").append(Formats.credits(left))
                .append("</td><td colspan=\"7\"></td></tr></tfoot></table></div></section>");
    }

    private static String kind(Grant g) {
        return switch (g.kind) {
            case CARRY_OVER -> "carried over";
            case ALLOWANCE -> "allowance";
            case TOP_UP -> "upgrade top-up";
            case MANUAL -> "granted by hand";
        };
    }

    private static void charges(StringBuilder sb, View v, Balance b, Formats f) {
        List<BillingQueries.ChargeRow> rows = v.snapshot().charges();
        sb.append("<section id=\"charges-section\" aria-labelledby=\"h-charges\"><h2 id=\"h-charges\">Charges</h2>")
                .append("<div class=\"scroll\"><table id=\"charges\"><thead><tr><th>Date</th><th>For</th><th>Plan</th>")
                .append("<th>Period</th><th class=\"n\">Amount</th></tr></thead><tbody>");
        for (BillingQueries.ChargeRow c : rows) {
            sb.append("<tr data-charge-id=\"").append(c.chargeId()).append("\" data-cents=\"").append(c.cents())
                    .append("\" data-currency=\"").append(Web.esc(c.currency())).append("\" data-reason=\"")
                    .append(Web.esc(c.reason())).append("\"><td>").append(f.time(c.effectiveAt())).append("</td><td>")
                    .append(Web.esc(c.reason())).append("</td><td>").append(Web.esc(c.plan())).append("</td><td>")
                    .append(Web.esc(f.day(c.periodStart()))).append(" – ").append(Web.esc(f.day(c.periodEnd())))
                    .append("</td><td class=\"n\">").append(Web.esc(Formats.money(c.cents(), c.currency()))).append("</td></tr>");
        }
        if (rows.isEmpty()) sb.append("<tr><td colspan=\"5\">No charges.</td></tr>");
        sb.append("</tbody><tfoot><tr><td colspan=\"4\">Charged in all</td><td class=\"n\">")
                .append(Web.esc(Formats.money(b.chargedCents(), b.currency()))).append("</td></tr></tfoot></table></div>");
        if (v.snapshot().moreCharges())
            sb.append("<p class=\"note\">The newest ").append(BillingQueries.CHARGES_MAX).append(" charges are shown.</p>");
        sb.append("</section>");
    }

    private static void ledger(StringBuilder sb, View v, Formats f) {
        sb.append("<section id=\"ledger-section\" aria-labelledby=\"h-ledger\"><h2 id=\"h-ledger\">Ledger</h2>")
                .append("<p class=\"note\">Every movement of credits behind the figures, newest first, with its cause and ")
                .append("the instant it took effect.</p><div class=\"scroll\"><table id=\"ledger\"><thead><tr><th>#</th>")
                .append("<th>Took effect</th><th>Movement</th><th>Cause</th><th class=\"n\">Credits</th><th>Grant</th>")
                .append("<th>User</th><th>Project</th><th>Feature</th><th>Use or hold</th></tr></thead><tbody>");
        for (EntryRow e : v.snapshot().entries()) {
            sb.append("<tr data-entry-id=\"").append(e.entryId()).append("\" data-type=\"").append(Web.esc(e.type()))
                    .append("\" data-cause=\"").append(Web.esc(e.cause())).append("\" data-credits=\"").append(e.credits())
                    .append("\"><td>").append(e.entryId()).append("</td><td>").append(f.time(e.effectiveAt())).append("</td><td>")
                    .append(movement(e.type())).append("</td><td>").append(Web.esc(e.cause().replace('_', ' ')))
                    .append("</td><td class=\"n\">").append(signed(e)).append("</td><td>")
                    .append(e.grantSeq() == null ? "" : e.grantSeq()).append("</td><td>").append(Web.esc(e.userId()))
                    .append("</td><td>").append(Web.esc(e.projectId())).append("</td><td>").append(Web.esc(e.feature()))
                    .append("</td><td>").append(Web.esc(e.ref())).append("</td></tr>");
        }
        if (v.snapshot().entries().isEmpty()) sb.append("<tr><td colspan=\"10\">No entries.</td></tr>");
        sb.append("</tbody></table></div><p class=\"pager\">");
        String limit = v.entriesLimit() == BillingPage.ENTRIES_PAGE_DEFAULT ? "" : Web.param("limit", Integer.toString(v.entriesLimit()));
        if (v.snapshot().entriesBefore() != null)
            sb.append("<a id=\"older-entries\" href=\"").append(Web.esc(v.links().path(v.link(),
                    Web.param("before", Long.toString(v.snapshot().entriesBefore())) + limit))).append("#ledger-section\">Older entries</a>");
        if (v.paged())
            sb.append("<a id=\"newest-entries\" href=\"").append(Web.esc(v.links().path(v.link(), limit)))
                    .append("#ledger-section\">Newest entries</a>");
        sb.append("</p></section>");
    }

    private static String movement(String type) {
        return switch (type) {
            case "GRANT" -> "granted";
            case "USE" -> "used";
            case "HOLD" -> "held";
            case "CAPTURE" -> "held → used";
            case "RELEASE" -> "released";
            case "REFUND" -> "refunded";
            case "EXPIRE" -> "expired";
            case "CARRY_OUT" -> "carried to the next period";
            default -> Web.esc(type);
        };
    }

    /** What an entry does to the credits that can be spent: + comes in, − goes out. */
    private static String signed(EntryRow e) {
        String n = Formats.credits(e.credits());
        return switch (e.type()) {
            case "GRANT", "RELEASE", "REFUND" -> "+" + n;
            case "USE", "HOLD", "EXPIRE", "CARRY_OUT" -> e.credits() == 0 ? n : "−" + n;
            default -> n;
        };
    }

    // ---------------------------------------------------------------- the upgrade preview

    static String preview(View v, UpgradePreview p, String note) {
        Formats f = new Formats(v.account().zone());
        StringBuilder sb = new StringBuilder(8_192);
        head(sb, "AI credits · Upgrade to " + p.to());
        sb.append("<header><h1>Upgrade from ").append(Web.esc(p.from())).append(" to ").append(Web.esc(p.to()))
                .append("</h1><p class=\"sub\">Account <strong id=\"account\">").append(Web.esc(v.link().account()))
                .append("</strong> · as of ").append(f.time(v.snapshot().now())).append("</p></header>");
        if (note != null) sb.append("<p class=\"card flash\" id=\"flash\" role=\"status\">").append(Web.esc(note)).append("</p>");
        sb.append("<section id=\"preview\"><dl class=\"figures\">")
                .append("<div><dt>Credits added now</dt><dd><data id=\"preview-credits\" value=\"").append(p.credits())
                .append("\">+").append(Formats.credits(p.credits())).append("</data><small>for the ").append(p.daysLeft())
                .append(" of ").append(p.daysInPeriod()).append(" days left in this period</small></dd></div>")
                .append("<div><dt>Charged now</dt><dd><data id=\"preview-cents\" value=\"").append(p.cents()).append("\">")
                .append(Web.esc(Formats.money(p.cents(), p.currency()))).append("</data><small>the price difference for those days</small></dd></div>")
                .append("</dl><p>The credits can be spent at once and last until this period ends on ")
                .append(Web.esc(f.dayTime(p.periodEnd()))).append(". From then on: ").append(Formats.credits(p.nextCredits()))
                .append(" credits a month for ").append(Web.esc(Formats.money(p.nextPriceCents(), p.currency())))
                .append(", charged at the start of each period.</p>");
        postForm(sb, v, "confirm-upgrade-form", "upgrade");
        sb.append(hidden("plan", p.to())).append(hidden("credits", Long.toString(p.credits())))
                .append(hidden("cents", Long.toString(p.cents()))).append("<button type=\"submit\">Upgrade now and pay ")
                .append(Web.esc(Formats.money(p.cents(), p.currency()))).append("</button></form><p><a id=\"back\" href=\"")
                .append(Web.esc(v.links().path(v.link(), ""))).append("\">Back to billing without changing anything</a></p></section>");
        return foot(sb);
    }

    // ---------------------------------------------------------------- messages

    /** A page that says one thing: an error, a refusal. Shows nothing of an account unless {@code back} is given. */
    static String message(String title, String text, String back) {
        StringBuilder sb = new StringBuilder(2_048);
        head(sb, title);
        sb.append("<section class=\"error\" id=\"message\"><h1>").append(Web.esc(title)).append("</h1><p>")
                .append(Web.esc(text)).append("</p>");
        if (back != null) sb.append("<p><a id=\"back\" href=\"").append(Web.esc(back)).append("\">Back to billing</a></p>");
        sb.append("</section>");
        return foot(sb);
    }

    private static void head(StringBuilder sb, String title) {
        sb.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta name=\"robots\" content=\"noindex, nofollow\"><title>").append(Web.esc(title))
                .append("</title><style>").append(CSS).append("</style></head><body><main>");
    }

    private static String foot(StringBuilder sb) {
        return sb.append("</main></body></html>").toString();
    }

    private static String load(String resource) {
        try (InputStream in = BillingHtml.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
