package io.credits.web;

import io.credits.account.Actor;
import io.credits.account.Answer;
import io.credits.account.Balance;
import io.credits.account.Command;
import io.credits.store.Engine;
import io.credits.store.LedgerQueries;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The page opens only with a good link, and every figure on it is the balance's, in the account's time zone. */
class BillingPageTest extends BillingFixture {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /**
     * Berlin, PRO from 1 Jan, T1000. January: 300 by the owner, 200 by an editor. 1 Feb: 500 carry
     * over. February: uses of several features by owner and editor, an ai_writer use of 0, a refunded
     * use, an open hold, a captured hold, a manual grant ending with the period, a use just after
     * local midnight (still the previous day in UTC).
     */
    void history() {
        at("2026-01-01T00:00", BERLIN);
        openAccount("acme", BERLIN, "T1000");
        editorIn("acme", "site-1", "ed");
        at("2026-01-10T09:00", BERLIN);
        use("acme", "vibe_coding", 30);
        useInProject("site-1", "ed", "generate_page", 20);
        at("2026-02-03T10:00", BERLIN);
        use("acme", "vibe_coding", 7);
        useInProject("site-1", "ed", "ai_image", 5);
        use("acme", "ai_writer", 1);
        String refunded = ((Answer.Used) use("acme", "generate_code", 1)).useIds().getFirst();
        owner("acme", new Command.Refund(refunded));
        at("2026-02-05T12:00", BERLIN);
        owner("acme", new Command.ManualGrant(100, Optional.of(Instant.parse("2026-02-20T00:00:00Z")), "goodwill", "ops"));
        at("2026-02-06T00:30", BERLIN);
        use("acme", "text_suggestion", 3);
        at("2026-02-08T15:00", BERLIN);
        owner("acme", new Command.Reserve(Actor.owner("acme"), Optional.empty(), Optional.of(30L), Duration.ofDays(7)));
        var held = (Answer.Held) done(new Engine.Target.OfProject("site-1"),
                new Command.Reserve(Actor.inProject("site-1", "ed"), Optional.of("generate_section"), Optional.empty(), Duration.ofMinutes(10)));
        done(new Engine.Target.OfAccount("acme", false), new Command.Capture(held.holdId(), Optional.empty()));
        at("2026-02-10T12:00", BERLIN);
    }

    @Test
    void figures_equalTheBalanceAtTheSameInstant() {
        history();
        String html = html("acme");
        artifact("billing-page.html", html);
        Balance b = balance("acme");
        assertThat(Html.data(html, "available")).isEqualTo(b.available()).isEqualTo(1500 - 70 - 50 - 30 - 30 - 10 + 100);
        assertThat(Html.data(html, "held")).isEqualTo(b.held()).isEqualTo(30);
        assertThat(Html.data(html, "used")).isEqualTo(b.usedThisPeriod()).isEqualTo(70 + 50 + 30 + 10);
        assertThat(Html.data(html, "carried-over")).isEqualTo(b.carriedOver()).isEqualTo(500 - 70 - 50 - 30 - 30 - 10);
        assertThat(Html.data(html, "current")).isEqualTo(b.current());
        assertThat(Html.data(html, "will-carry-over")).isEqualTo(b.willCarryOver());
        assertThat(Html.data(html, "will-expire")).isEqualTo(b.willExpire());
        assertThat(Html.data(html, "charged-cents")).isEqualTo(b.chargedCents()).isEqualTo(2 * 2900);
        assertThat(Html.dataText(html, "plan")).isEqualTo(b.plan()).isEqualTo("T1000");
        assertThat(Html.dataText(html, "next-plan")).isEqualTo(b.nextPlan());
        assertThat(Html.attr(html, "<time id=\"period-start\"", "datetime")).contains(b.periodStart().toString());
        assertThat(Html.attr(html, "<time id=\"period-end\"", "datetime")).contains(b.periodEnd().toString());
        assertThat(Html.attr(html, "<time id=\"carried-over-expires-at\"", "datetime")).contains(b.carriedOverExpiresAt().toString());
        // Read by people: in Berlin time, the period from 1 Feb 00:00 local.
        assertThat(html).contains("1 Feb 2026, 00:00").contains("1 Mar 2026, 00:00").contains("Europe/Berlin")
                .contains("€29.00").doesNotContain("id=\"usage-mismatch\"");
    }

    @Test
    void usage_byFeatureUserAndProject_addUpToUsedThisPeriod() {
        history();
        String html = html("acme");
        long used = balance("acme").usedThisPeriod();
        assertThat(Html.data(html, "usage-credits")).isEqualTo(used);

        Map<String, Long> byFeature = credits(Html.rows(html, "usage-by-feature"));
        assertThat(byFeature).containsExactlyInAnyOrderEntriesOf(Map.of("vibe_coding", 70L, "ai_image", 50L,
                "text_suggestion", 30L, "generate_section", 10L, "ai_writer", 0L));
        var users = Html.rows(html, "usage-by-user");
        assertThat(credits(users)).containsExactlyInAnyOrderEntriesOf(Map.of("acme", 100L, "ed", 60L));
        assertThat(users).anySatisfy(r -> assertThat(r).containsEntry("data-key", "ed").containsEntry("data-role", "editor"));
        assertThat(users).anySatisfy(r -> assertThat(r).containsEntry("data-key", "acme").containsEntry("data-role", "owner"));
        assertThat(credits(Html.rows(html, "usage-by-project"))).containsExactlyInAnyOrderEntriesOf(Map.of("site-1", 60L, "", 100L));
        for (String table : List.of("usage-by-feature", "usage-by-user", "usage-by-project", "usage-by-day"))
            assertThat(sum(Html.rows(html, table), "data-credits")).as(table).isEqualTo(used);
        // The ai_writer use costs nothing but is counted as a use; the refunded use is not there at all.
        assertThat(Html.rows(html, "usage-by-feature")).anySatisfy(r ->
                assertThat(r).containsEntry("data-key", "ai_writer").containsEntry("data-uses", "1"));
        assertThat(Html.data(html, "usage-uses")).isEqualTo(7 + 5 + 1 + 3 + 1);
    }

    @Test
    void chart_isInlineSvg_oneBarPerLocalDay_summingToUsed() {
        history();
        String html = html("acme");
        assertThat(html).contains("<svg id=\"usage-chart\" xmlns=\"http://www.w3.org/2000/svg\"");
        var bars = Html.svgBars(html);
        assertThat(bars).hasSize(28); // February
        assertThat(bars.getFirst()).containsEntry("data-day", "2026-02-01");
        assertThat(sum(bars, "data-credits")).isEqualTo(balance("acme").usedThisPeriod());
        Map<String, Long> byDay = bars.stream().filter(b -> !b.get("data-credits").equals("0"))
                .collect(Collectors.toMap(b -> b.get("data-day"), b -> Long.parseLong(b.get("data-credits"))));
        // 00:30 on 6 Feb in Berlin is 5 Feb in UTC: the page counts it on the account's day.
        assertThat(byDay).containsExactlyInAnyOrderEntriesOf(Map.of("2026-02-03", 120L, "2026-02-06", 30L, "2026-02-08", 10L));
        assertThat(html).doesNotContain("<script");
    }

    @Test
    void grants_everyLiveGrant_inBurnOrder_addingUpToAvailable() {
        history();
        String html = html("acme");
        var rows = Html.rows(html, "grants");
        assertThat(rows).extracting(r -> r.get("data-kind")).containsExactly("CARRY_OVER", "ALLOWANCE", "MANUAL");
        assertThat(sum(rows, "data-remaining")).isEqualTo(balance("acme").available());
        assertThat(html).contains("goodwill (by ops)");
    }

    @Test
    void charges_inMoney_everyOne() {
        history();
        String html = html("acme");
        var rows = Html.rows(html, "charges");
        assertThat(rows).extracting(r -> r.get("data-reason")).containsExactly("renewal", "booking");
        assertThat(sum(rows, "data-cents")).isEqualTo(balance("acme").chargedCents());
        assertThat(html).contains("<td class=\"n\">€29.00</td>").contains("€58.00");
    }

    @Test
    void ledger_pagesWithACursor_throughEveryEntry_newestFirst_withCauseAndInstant() {
        history();
        Map<String, String> q = link("acme");
        List<Long> seen = new ArrayList<>();
        WebResponse r = get("acme", q, "limit", "7");
        int pages = 0;
        while (true) {
            pages++;
            assertThat(r.status()).isEqualTo(200);
            var rows = Html.rows(r.body(), "ledger");
            assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row).containsKeys("data-cause", "data-type"));
            rows.forEach(row -> seen.add(Long.parseLong(row.get("data-entry-id"))));
            var older = Html.attr(r.body(), "<a id=\"older-entries\"", "href");
            if (older.isEmpty()) break;
            Map<String, String> next = Html.query(older.get());
            assertThat(next).containsEntry("limit", "7").containsKey("before");
            r = get("acme", next);
        }
        List<Long> all = LedgerQueries.entries(db.dataSource(), "acme", null, 500).stream()
                .map(LedgerQueries.EntryRow::entryId).toList();
        assertThat(seen).containsExactlyElementsOf(all);
        assertThat(pages).isEqualTo((all.size() + 6) / 7);
        assertThat(r.body()).contains("id=\"newest-entries\"");
        String first = html("acme");
        assertThat(first).contains("data-cause=\"carry_over\"").contains("data-cause=\"renewal\"")
                .contains("<time datetime=\"2026-02-08T14:00:00Z\">8 Feb 2026, 15:00</time>");
    }

    @Test
    void boundaryDueSinceTheLastWrite_isWrittenFirst_soTheLedgerHoldsItsEntries() {
        at("2026-01-01T00:00", BERLIN);
        openAccount("quiet", BERLIN, "T1000");
        use("quiet", "vibe_coding", 10);
        at("2026-03-15T12:00", BERLIN); // two renewals nobody asked for
        Map<String, String> q = link("quiet");
        long entriesBefore = count("SELECT count(*) FROM ledger_entries WHERE account_id = ?", "quiet");
        String html = get("quiet", q).body();
        assertThat(count("SELECT count(*) FROM ledger_entries WHERE account_id = ?", "quiet")).isGreaterThan(entriesBefore);
        assertThat(count("SELECT count(*) FROM charges WHERE account_id = ?", "quiet")).isEqualTo(3);
        Balance b = balance("quiet");
        assertThat(Html.data(html, "available")).isEqualTo(b.available()).isEqualTo(2000);
        assertThat(Html.data(html, "used")).isEqualTo(0);
        assertThat(Html.rows(html, "charges")).hasSize(3);
        assertThat(html).contains("data-cause=\"carry_over\"");
    }

    @Test
    void usage_afterCancelAndRebookAtTheSameInstant_countsOnlyTheNewBooking() {
        openAccount("again", ZoneOffset.UTC, "T1000");
        at("2026-01-05T10:00", ZoneOffset.UTC);
        use("again", "vibe_coding", 10);
        owner("again", new Command.CancelAiPlan(true));
        owner("again", new Command.BookAiPlan("T1000"));
        use("again", "ai_image", 5);
        String html = html("again");
        assertThat(balance("again").usedThisPeriod()).isEqualTo(50);
        assertThat(Html.data(html, "used")).isEqualTo(50);
        assertThat(Html.data(html, "usage-credits")).isEqualTo(50);
        assertThat(credits(Html.rows(html, "usage-by-feature"))).containsExactlyEntriesOf(Map.of("ai_image", 50L));
    }

    @Test
    void forecast_runsOutOnTheDayThePaceReaches() {
        openAccount("fast", ZoneOffset.UTC, "T1000");
        at("2026-01-10T12:00", ZoneOffset.UTC);
        use("fast", "vibe_coding", 60); // 600 over 10 days: 60 a day; 400 left last 6 more days
        String html = html("fast");
        assertThat(Html.attr(html, "<p id=\"forecast\"", "data-kind")).contains("runs-out");
        assertThat(Html.attr(html, "<p id=\"forecast\"", "data-runs-out")).contains("2026-01-16");
        assertThat(html).contains("run out on <time datetime=\"2026-01-16\">16 Jan 2026</time>");

        openAccount("slow", ZoneOffset.UTC, "T1000");
        use("slow", "vibe_coding", 1);
        assertThat(Html.attr(html("slow"), "<p id=\"forecast\"", "data-kind")).contains("not-before-period-end");
        assertThat(html("slow")).contains("not before the period ends");
    }

    @Test
    void badLinks_showAnErrorPage_andNothingOfTheAccount() {
        history();
        Map<String, String> good = link("acme");
        Map<String, String> tampered = new java.util.HashMap<>(good);
        tampered.put("expires", Long.toString(Long.parseLong(good.get("expires")) + 60));
        assertNothingShown(get("acme", tampered), 403);
        assertNothingShown(get("acme", Map.of()), 403);
        // A link of another account opens nothing of this one (nor of the other).
        openAccount("other", ZoneOffset.UTC, "T2000");
        assertNothingShown(get("acme", link("other")), 403);
        clock.advance(Duration.ofHours(2));
        assertNothingShown(get("acme", good), 410);
        assertThat(get("acme", link("acme")).status()).isEqualTo(200);
    }

    static void assertNothingShown(WebResponse r, int status) {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("text/html");
        assertThat(r.body()).doesNotContain("acme").doesNotContain("other").doesNotContain("<data").doesNotContain("<form")
                .doesNotContain("T1000").doesNotContain("€");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void portalSession_onlyForAnAccountThatExists_andTheLinkOpensThePage() {
        openAccount("acme", ZoneOffset.UTC, "T1000");
        assertThat(page.createSession("nobody", null)).isEmpty();
        var link = page.createSession("acme", null).orElseThrow();
        assertThat(link.expiresAt()).isEqualTo(clock.instant().plus(PortalLinks.TTL_DEFAULT));
        assertThatThrownBy(() -> page.createSession("acme", Duration.ofDays(2))).isInstanceOf(IllegalArgumentException.class);
        WebResponse r = page.get(Html.account(link.path()), Html.query(link.path()));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("X-Frame-Options", "DENY").containsKey("Content-Security-Policy");
        // A second process on the same database signs with the same secret.
        PortalLinks again = PortalLinks.fromDatabase(db.dataSource(), clock.instant());
        var q = Html.query(link.path());
        assertThat(again.verify("acme", q.get("expires"), q.get("sig"), clock.instant())).isInstanceOf(PortalLinks.Verdict.Valid.class);
    }

    @Test
    void accountIdThatLooksLikeHtml_isEscapedEverywhere() {
        String id = "<b>\"x\"&'y'</b>";
        owner(id, new Command.BookAiPlan("T1000"));
        editorIn(id, "<i>p</i>", "<u>ed</u>");
        done(new Engine.Target.OfProject("<i>p</i>"), new Command.Use(Actor.inProject("<i>p</i>", "<u>ed</u>"), "vibe_coding", 1));
        String html = html(id);
        assertThat(html).doesNotContain("<b>").doesNotContain("<i>").doesNotContain("<u>")
                .contains("&lt;b&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/b&gt;");
        assertThat(credits(Html.rows(html, "usage-by-user"))).containsEntry("<u>ed</u>", 10L);
    }

    /** Keeps a rendered page under target/billing/ to look at in a browser. */
    static void artifact(String name, String html) {
        try {
            java.nio.file.Path dir = java.nio.file.Path.of("target", "billing");
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(dir.resolve(name), html);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Map<String, Long> credits(List<Map<String, String>> rows) {
        return rows.stream().collect(Collectors.toMap(r -> r.get("data-key"), r -> Long.parseLong(r.get("data-credits"))));
    }
}
