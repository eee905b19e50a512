package io.credits.web;

import io.credits.account.Balance;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plan changes on the page go through the engine like the API's, once per form however often it is
 * sent, and only from a form this page made for this link.
 */
class BillingPlanChangesTest extends BillingFixture {

    /** T1000 from 1 Jan (PRO anchored 1 Jan, UTC); the page opened on 17 Jan, 15 of 31 days left. */
    Map<String, String> onJanuary17(String plan) {
        openAccount("acme", ZoneOffset.UTC, plan);
        at("2026-01-17T10:00", ZoneOffset.UTC);
        return link("acme");
    }

    @Test
    void upgradePreview_showsProratedCreditsAndPrice_T1000toT2000on17January() {
        Map<String, String> q = onJanuary17("T1000");
        WebResponse r = get("acme", q, "view", "upgrade");
        assertThat(r.status()).isEqualTo(409); // no plan chosen
        Map<String, String> withPlan = new HashMap<>(q);
        withPlan.put("view", "upgrade");
        withPlan.put("plan", "T2000");
        r = page.get("acme", withPlan);
        assertThat(r.status()).isEqualTo(200);
        assertThat(Html.data(r.body(), "preview-credits")).isEqualTo(483); // floor(1000 × 15 / 31)
        assertThat(Html.data(r.body(), "preview-cents")).isEqualTo(1258); // half-even(2600 × 15 / 31)
        assertThat(r.body()).contains("+483").contains("€12.58").contains("15 of 31 days").contains("€55.00");
        // Looking changes nothing.
        assertThat(balance("acme").plan()).isEqualTo("T1000");
        assertThat(charges("acme")).isEqualTo(1);
    }

    @Test
    void upgradeConfirm_appliesOnce_evenWhenSentTwice_likeTheApi() {
        Map<String, String> q = onJanuary17("T1000");
        String preview = get("acme", withView(q, "T2000")).body();
        Map<String, String> confirm = Html.form(preview, "confirm-upgrade-form");
        assertThat(confirm).containsEntry("action", "upgrade").containsEntry("plan", "T2000")
                .containsEntry("credits", "483").containsEntry("cents", "1258");
        Balance before = balance("acme");

        WebResponse first = submit("acme", confirm, Map.of(), SAME_SITE);
        WebResponse second = submit("acme", confirm, Map.of(), SAME_SITE);
        assertThat(first.status()).isEqualTo(303);
        assertThat(second.status()).isEqualTo(303);
        assertThat(first.header("Location")).isEqualTo(second.header("Location")).contains("done=upgraded");

        Balance after = balance("acme");
        assertThat(after.plan()).isEqualTo("T2000");
        assertThat(after.available()).isEqualTo(before.available() + 483);
        assertThat(after.chargedCents()).isEqualTo(before.chargedCents() + 1258);
        assertThat(charges("acme")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM ledger_entries WHERE account_id = ? AND cause = 'upgrade'", "acme")).isEqualTo(1);

        // The redirect shows the page with the new figures and the upgrade among the charges.
        String html = get("acme", Html.query(first.header("Location"))).body();
        assertThat(html).contains("id=\"flash\"").contains("Upgraded");
        assertThat(Html.data(html, "available")).isEqualTo(after.available());
        assertThat(Html.rows(html, "charges")).extracting(row -> row.get("data-cents")).containsExactly("1258", "2900");
        assertThat(Html.rows(html, "grants")).extracting(row -> row.get("data-kind")).containsExactly("ALLOWANCE", "TOP_UP");
    }

    @Test
    void upgradeConfirm_aDayAfterThePreview_showsTheNewFigures_andChangesNothing() {
        onJanuary17("T1000");
        Map<String, String> q = Html.query(page.createSession("acme", PortalLinks.TTL_MAX).orElseThrow().path());
        Map<String, String> confirm = Html.form(get("acme", withView(q, "T2000")).body(), "confirm-upgrade-form");
        clock.advance(Duration.ofHours(20)); // 18 Jan, 06:00: the link still works, one day fewer is left
        WebResponse r = submit("acme", confirm, Map.of(), SAME_SITE);
        assertThat(r.status()).isEqualTo(409);
        assertThat(Html.data(r.body(), "preview-credits")).isEqualTo(451); // floor(1000 × 14 / 31)
        assertThat(r.body()).contains("The figures changed");
        assertThat(balance("acme").plan()).isEqualTo("T1000");
        assertThat(charges("acme")).isEqualTo(1);
        WebResponse again = submit("acme", Html.form(r.body(), "confirm-upgrade-form"), Map.of(), SAME_SITE);
        assertThat(again.status()).isEqualTo(303);
        assertThat(balance("acme").plan()).isEqualTo("T2000");
    }

    @Test
    void downgrade_takesEffectNextPeriod_andKeepUndoesIt() {
        Map<String, String> q = onJanuary17("T4000");
        Balance before = balance("acme");
        String html = get("acme", q).body();
        WebResponse r = submit("acme", Html.form(html, "downgrade-form"), Map.of("plan", "T2000"), SAME_SITE);
        assertThat(r.status()).isEqualTo(303);
        Balance after = balance("acme");
        assertThat(after.plan()).isEqualTo("T4000");
        assertThat(after.nextPlan()).isEqualTo("T2000");
        assertThat(after.available()).isEqualTo(before.available());
        assertThat(after.willCarryOver()).isEqualTo(2000); // capped at the next plan's allowance
        assertThat(charges("acme")).isEqualTo(1);

        html = get("acme", Html.query(r.header("Location"))).body();
        assertThat(Html.dataText(html, "next-plan")).isEqualTo("T2000");
        assertThat(submit("acme", Html.form(html, "keep-form"), Map.of(), SAME_SITE).status()).isEqualTo(303);
        assertThat(balance("acme").nextPlan()).isEqualTo("T4000");

        // A downgrade form cannot be turned into an upgrade without the preview.
        html = get("acme", q).body();
        r = submit("acme", Html.form(html, "downgrade-form"), Map.of("plan", "T10000"), SAME_SITE);
        assertThat(r.status()).isEqualTo(409);
        assertThat(balance("acme").plan()).isEqualTo("T4000");
    }

    @Test
    void cancelAtPeriodEnd_keepsTheCreditsUntilThen() {
        Map<String, String> q = onJanuary17("T1000");
        Balance before = balance("acme");
        Map<String, String> form = Html.form(get("acme", q).body(), "cancel-end-form");
        assertThat(submit("acme", form, Map.of(), SAME_SITE).status()).isEqualTo(303);
        assertThat(submit("acme", form, Map.of(), SAME_SITE).status()).isEqualTo(303); // sent twice: one change
        Balance after = balance("acme");
        assertThat(after.nextPlan()).isEqualTo("none");
        assertThat(after.available()).isEqualTo(before.available());
        assertThat(after.willExpire()).isEqualTo(after.available());
        String html = get("acme", q).body();
        assertThat(html).contains("cancelled: the plan ends on 1 Feb 2026, 00:00").doesNotContain("id=\"cancel-end-form\"");
    }

    @Test
    void cancelNow_needsTheWarningConfirmed_thenEveryCreditExpires() {
        Map<String, String> q = onJanuary17("T1000");
        use("acme", "vibe_coding", 10);
        String html = get("acme", q).body();
        assertThat(html).contains("Cancelling now makes all 900 credits of this account expire at once");
        Map<String, String> form = Html.form(html, "cancel-now-form");

        WebResponse unconfirmed = submit("acme", form, Map.of(), SAME_SITE);
        assertThat(unconfirmed.status()).isEqualTo(400);
        assertThat(balance("acme").plan()).isEqualTo("T1000");

        assertThat(submit("acme", form, Map.of("understood", "yes"), SAME_SITE).status()).isEqualTo(303);
        assertThat(submit("acme", form, Map.of("understood", "yes"), SAME_SITE).status()).isEqualTo(303);
        Balance after = balance("acme");
        assertThat(after.plan()).isEqualTo("FREE");
        assertThat(after.available()).isZero();
        assertThat(count("SELECT coalesce(sum(credits), 0) FROM ledger_entries WHERE account_id = ? AND cause = 'cancellation'", "acme"))
                .isEqualTo(900);
        assertThat(charges("acme")).isEqualTo(1);
    }

    @Test
    void postWithoutAValidToken_changesNothing() {
        Map<String, String> q = onJanuary17("T4000");
        String html = get("acme", q).body();
        Map<String, String> form = Html.form(html, "downgrade-form");
        Map<String, String> other = Html.form(html, "cancel-end-form");

        Map<String, String> noToken = new HashMap<>(form);
        noToken.remove("token");
        assertRefused(submit("acme", noToken, Map.of("plan", "T2000"), SAME_SITE), 403);
        // A token made for another form's key does not pass, nor a form's token with another action.
        assertRefused(submit("acme", form, Map.of("plan", "T2000", "token", other.get("token")), SAME_SITE), 403);
        assertRefused(submit("acme", other, Map.of("action", "cancel-now", "understood", "yes"), SAME_SITE), 403);
        // Nor the link's own signature.
        assertRefused(submit("acme", form, Map.of("plan", "T2000", "token", q.get("sig")), SAME_SITE), 403);
        // Nor a token of another account's page.
        openAccount("other", ZoneOffset.UTC, "T4000");
        Map<String, String> foreign = Html.form(get("other", link("other")).body(), "downgrade-form");
        assertRefused(submit("acme", form, Map.of("plan", "T2000", "key", foreign.get("key"), "token", foreign.get("token")), SAME_SITE), 403);
        assertThat(balance("other").nextPlan()).isEqualTo("T4000");
    }

    @Test
    void postFromAnotherSite_changesNothing_evenWithTheToken() {
        Map<String, String> q = onJanuary17("T4000");
        Map<String, String> form = Html.form(get("acme", q).body(), "downgrade-form");
        assertRefused(submit("acme", form, Map.of("plan", "T2000"),
                Map.of("Host", "localhost:7070", "Origin", "https://evil.example")), 403);
        assertRefused(submit("acme", form, Map.of("plan", "T2000"),
                Map.of("Host", "localhost:7070", "Referer", "https://evil.example/page")), 403);
        assertRefused(submit("acme", form, Map.of("plan", "T2000"), Map.of("Host", "localhost:7070", "Origin", "null")), 403);
        // A client that sends neither header is no browser's cross-site form: the token alone guards it.
        assertThat(submit("acme", form, Map.of("plan", "T2000"), Map.of("Host", "localhost:7070")).status()).isEqualTo(303);
        assertThat(balance("acme").nextPlan()).isEqualTo("T2000");
    }

    @Test
    void postWithAnExpiredOrForeignLink_changesNothing_andShowsNothing() {
        Map<String, String> q = onJanuary17("T4000");
        Map<String, String> form = Html.form(get("acme", q).body(), "downgrade-form");
        clock.advance(Duration.ofHours(3));
        WebResponse expired = submit("acme", form, Map.of("plan", "T2000"), SAME_SITE);
        BillingPageTest.assertNothingShown(expired, 410);
        assertThat(balance("acme").nextPlan()).isEqualTo("T4000");
        // The form of acme's page posted to another account's address.
        openAccount("other", ZoneOffset.UTC, "T4000");
        Map<String, String> fresh = Html.form(get("acme", link("acme")).body(), "downgrade-form");
        Map<String, String> fields = new HashMap<>(fresh);
        fields.remove("@action");
        fields.put("plan", "T2000");
        BillingPageTest.assertNothingShown(page.post("other", Html.query(fresh.get("@action")), fields, SAME_SITE), 403);
        assertThat(balance("other").nextPlan()).isEqualTo("T4000");
    }

    @Test
    void noAiPlan_offersNoChange() {
        owner("free", new io.credits.account.Command.UpdateAccount(java.util.Optional.of("Free"), java.util.Optional.empty()));
        String html = html("free");
        assertThat(Html.dataText(html, "plan")).isEqualTo("FREE");
        assertThat(Html.dataText(html, "next-plan")).isEqualTo("none");
        assertThat(html).contains("no AI plan").doesNotContain("<form");
        assertThat(Html.attr(html, "<p id=\"forecast\"", "data-kind")).contains("no-plan");
    }

    void assertRefused(WebResponse r, int status) {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.header("Location")).isNull();
        Balance b = balance("acme");
        assertThat(b.plan()).isEqualTo("T4000");
        assertThat(b.nextPlan()).isEqualTo("T4000");
        assertThat(charges("acme")).isEqualTo(1);
    }

    static Map<String, String> withView(Map<String, String> q, String plan) {
        Map<String, String> out = new HashMap<>(q);
        out.put("view", "upgrade");
        out.put("plan", plan);
        return out;
    }
}
