package io.credits.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.credits.http.TestClient.Resp;
import io.credits.web.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static io.credits.http.TestClient.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The billing page in a real browser (headless Chromium): the service runs in-process, credits are
 * spent through the API by the owner and by an editor, and the page opened from a portal link must
 * show what the balance API answers at the same instant (the test clock stands still while both
 * are read). Plan changes are made by clicking the page's own forms. Screenshots of every page land
 * in {@code server/target/screenshots/}.
 */
class BillingBrowserTest {
    /** Both accounts book T1000 with a monthly PRO plan anchored here. */
    static final Instant DEC_1 = Instant.parse("2025-12-01T00:00:00Z");
    /** Where the clock stays for the tests: 15 of January's 31 days are left. */
    static final Instant JAN_17 = Instant.parse("2026-01-17T10:00:00Z");

    static ApiServer server;
    static Browser browser;

    @BeforeAll
    static void start() {
        server = ApiServer.start(DEC_1);
        try {
            spendDecemberAndJanuary();
            browser = Browser.start();
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) browser.close();
        } finally {
            server.close();
        }
    }

    /**
     * acme: 180 credits used in December (820 carry over into January), then in January the owner
     * and maria, an editor of its project, spend on most days, and a generation is under way (held).
     * globex: a few uses in January.
     */
    static void spendDecemberAndJanuary() {
        book("acme", "Acme Studio");
        book("globex", "Globex");
        ApiServer.check(server.admin.put("/v1/projects/acme-site", obj("account", "acme")), 200);
        ApiServer.check(server.admin.put("/v1/projects/acme-site/members/maria", obj("role", "editor")), 200);
        for (int day : new int[]{3, 9, 16, 22}) {
            server.clock.set(DEC_1.plusSeconds(86_400L * (day - 1) + 36_000));
            use(obj("account", "acme", "feature", "generate_page"), day == 22 ? 3 : 5);
        }
        for (int day = 2; day <= 17; day++) {
            server.clock.set(Instant.parse("2026-01-01T09:00:00Z").plusSeconds(86_400L * (day - 1)));
            if (day % 2 == 0) use(obj("account", "acme", "feature", day % 4 == 0 ? "generate_code" : "generate_page"), day % 3 + 1);
            if (day % 3 != 0) use(obj("project", "acme-site", "user", "maria", "feature", "generate_section"), day % 4 + 1);
            if (day % 5 == 0) use(obj("project", "acme-site", "user", "acme", "feature", "ai_image"), 2);
            if (day % 6 == 0) use(obj("account", "globex", "feature", "text_suggestion"), 3);
        }
        server.clock.set(JAN_17);
        ApiServer.check(server.spend.post("/v1/holds", obj("project", "acme-site", "user", "maria",
                "feature", "generate_page", "ttlSeconds", 3600)), 201);
    }

    static void book(String account, String name) {
        ApiServer.check(server.admin.put("/v1/accounts/" + account, obj("name", name, "timeZone", "UTC")), 200);
        ApiServer.check(server.admin.put("/v1/accounts/" + account + "/main-plan",
                obj("plan", "PRO", "term", "monthly", "anchor", DEC_1.toString())), 200);
        ApiServer.check(server.admin.post("/v1/accounts/" + account + "/ai-plan", obj("plan", "T1000")), 201);
    }

    static void use(Map<String, Object> body, int times) {
        for (int i = 0; i < times; i++) ApiServer.check(server.spend.post("/v1/uses", body), 201);
    }

    static String portalLink(String account) {
        return ApiServer.check(server.admin.post("/v1/portal-sessions", obj("account", account)), 201).text("url");
    }

    static JsonNode balance(String account) {
        return ApiServer.check(server.read.get("/v1/accounts/" + account + "/balance"), 200).json();
    }

    /** Each figure as the page writes it, beside the balance API's field of the same meaning. */
    static final Map<String, String> FIGURES = Map.of("available", "available", "held", "held", "used", "usedThisPeriod",
            "carried-over", "carriedOver", "current", "current", "will-carry-over", "willCarryOver",
            "will-expire", "willExpire");

    /** Reads the page's figures, then the balance API: the clock stands still, so both are of one instant. */
    static Map<String, Long> assertFiguresMatchTheApi(String account) {
        Map<String, Long> page = browser.numbers(FIGURES.keySet().toArray(String[]::new));
        JsonNode api = balance(account);
        FIGURES.forEach((id, field) -> assertThat(page.get(id)).as("#%s on the page vs %s of the API", id, field)
                .isEqualTo(api.get(field).asLong()));
        assertThat(browser.text("plan")).isEqualTo(api.get("plan").asText());
        return page;
    }

    @Test
    void page_showsTheBalanceApisFigures_andTheEditorByName() {
        browser.open(portalLink("acme"));
        assertThat(browser.title()).isEqualTo("AI credits · Billing");
        assertThat(browser.text("account")).isEqualTo("acme");

        Map<String, Long> figures = assertFiguresMatchTheApi("acme");
        // Figures that are not zero, so the comparison says something.
        assertThat(figures.get("held")).isEqualTo(10);
        assertThat(figures.get("carried-over")).isPositive().isLessThan(820); // spent first in January
        assertThat(figures.get("used")).isPositive();

        List<Map<String, String>> byUser = browser.rows("usage-by-user");
        Map<String, String> maria = byUser.stream().filter(r -> "maria".equals(r.get("key"))).findFirst().orElseThrow(
                () -> new AssertionError("maria is not in usage by user: " + byUser));
        assertThat(maria).containsEntry("role", "editor");
        assertThat(browser.cells("usage-by-user")).anySatisfy(row -> assertThat(row).startsWith("maria", "editor"));
        JsonNode apiByUser = ApiServer.check(server.read.get(
                "/v1/accounts/acme/usage?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&groupBy=user"), 200).json();
        long mariaCredits = StreamSupport.stream(apiByUser.get("data").spliterator(), false)
                .filter(g -> "maria".equals(g.get("key").asText())).findFirst().orElseThrow().get("credits").asLong();
        assertThat(Long.parseLong(maria.get("credits"))).isEqualTo(mariaCredits).isPositive();

        browser.screenshot("billing-page");
        browser.screenshot("billing-page-top", "#usage-section"); // the part docs/images/billing-page.png shows
    }

    @Test
    void upgradeFromThePage_showsThePriceFirst_thenTheNewBalance_andCancelAtPeriodEnd() {
        browser.open(portalLink("globex"));
        long before = browser.number("available");
        assertThat(before).isEqualTo(balance("globex").get("available").asLong());

        browser.select("#upgrade-form select[name=plan]", "T2000");
        browser.clickAndWaitFor("#upgrade-form button[type=submit]", "#preview-credits");
        // 1,000 more credits a month × 15 of 31 days left; €26.00 more a month for those days.
        assertThat(browser.number("preview-credits")).isEqualTo(483);
        assertThat(browser.text("preview-cents")).isEqualTo("€12.58");
        assertThat(balance("globex").get("plan").asText()).as("looking changes nothing").isEqualTo("T1000");
        browser.screenshot("upgrade-preview");

        browser.clickAndWaitFor("#confirm-upgrade-form button[type=submit]", "#flash");
        assertThat(browser.text("flash")).startsWith("Upgraded.");
        assertThat(browser.url()).doesNotContain("view=upgrade");
        assertThat(assertFiguresMatchTheApi("globex").get("available")).isEqualTo(before + 483);
        assertThat(browser.text("plan")).isEqualTo("T2000");
        assertThat(browser.rows("charges")).extracting(r -> r.get("cents")).containsExactly("1258", "2900", "2900");
        JsonNode charges = ApiServer.check(server.read.get("/v1/accounts/globex/charges"), 200).json().get("data");
        assertThat(StreamSupport.stream(charges.spliterator(), false).map(c -> c.get("cents").asLong()))
                .containsExactlyInAnyOrder(1258L, 2900L, 2900L);
        browser.screenshot("after-upgrade");

        browser.clickAndWaitFor("#cancel-end-form button[type=submit]", "#flash");
        assertThat(browser.text("flash")).startsWith("Cancellation planned");
        assertThat(browser.text("next-plan")).startsWith("cancelled");
        assertThat(browser.has("#cancel-end-form")).isFalse();
        assertFiguresMatchTheApi("globex");
        JsonNode api = balance("globex");
        assertThat(api.get("plan").asText()).isEqualTo("T2000");
        assertThat(browser.find("#next-plan").getDomAttribute("value")).isEqualTo(api.get("nextPlan").asText());
        browser.screenshot("after-cancel-at-period-end");
    }

    @Test
    void tamperedLink_showsAnErrorPage_andNothingOfTheAccount() {
        String link = portalLink("acme");
        String tampered = link.replaceAll("sig=[^&]+", "sig=" + "A".repeat(43));
        assertThat(tampered).isNotEqualTo(link);
        long available = balance("acme").get("available").asLong();

        browser.open(tampered);
        assertThat(browser.title()).isEqualTo("This link is not valid");
        assertThat(browser.text("message")).contains("The link is incomplete or was changed");
        assertThat(browser.has("#available")).isFalse();
        assertThat(browser.has("form")).isFalse();
        assertThat(browser.find("body").getText()).doesNotContain("acme").doesNotContain(Long.toString(available));
        browser.screenshot("tampered-link");
    }
}
