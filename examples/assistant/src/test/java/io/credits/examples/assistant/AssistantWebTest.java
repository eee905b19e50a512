package io.credits.examples.assistant;

import io.credits.sdk.CreditsClient;
import io.credits.sdk.CreditsClient.Spender;
import io.credits.sdk.Models;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo as a browser uses it, over HTTP, against a real Credits server: the owner and the
 * editor generate, a failed generation costs nothing, AI Writer is free from ESSENTIAL and refused
 * below it, the editor is told whose credits are spent (and when none are left), and the billing
 * link leads to the owner's billing page.
 */
class AssistantWebTest {
    static RunningDemo demo;
    static CreditsClient credits;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        demo = RunningDemo.start("web-owner", "web-site", "web-editor");
        credits = demo.credits;
        assertThat(demo.setUp).containsExactly("account web-owner", "main plan ESSENTIAL", "AI plan T1000");
        assertThat(Setup.ensure(credits, demo.config)).as("a second run changes nothing").isEmpty();
    }

    @AfterAll
    static void stop() {
        if (demo != null) demo.close();
    }

    @Test
    void ownerGenerates_andIsCharged_aFailedGenerationCostsNothing() throws Exception {
        long before = credits.balance("web-owner").available();
        String page = generate("owner", "generate_page", "A landing page for a bakery in Lyon", false);
        assertThat(attr(page, "message", "data-outcome")).isEqualTo("generated");
        assertThat(data(page, "charged")).isEqualTo(10);
        assertThat(data(page, "balance")).isEqualTo(before - 10).isEqualTo(credits.balance("web-owner").available());
        assertThat(text(page, "result")).contains("&lt;h1&gt;A Landing Page For A Bakery&lt;/h1&gt;");
        assertThat(page).doesNotContain("id=\"notice\"");

        String failed = generate("owner", "generate_code", "A carousel", true);
        assertThat(attr(failed, "message", "data-outcome")).isEqualTo("failed");
        assertThat(data(failed, "charged")).isZero();
        Models.Balance after = credits.balance("web-owner");
        assertThat(after.available()).isEqualTo(before - 10);
        assertThat(after.held()).as("the hold was released, not left to expire").isZero();
        assertThat(credits.ledger("web-owner", null, 2).path("data").get(0).path("type").asText()).isEqualTo("release");
    }

    @Test
    void theEditor_spendsTheOwnersCredits_andIsToldSo_alsoWhenNoneAreLeft() throws Exception {
        String view = get("/?as=editor").body();
        assertThat(text(view, "notice")).contains("owner's credits");
        assertThat(attr(view, "user", "data-role")).isEqualTo("editor");
        assertThat(view).doesNotContain("id=\"billing-link\"");

        long before = credits.balance("web-owner").available();
        String page = generate("editor", "generate_section", "Opening hours", false);
        assertThat(data(page, "charged")).isEqualTo(10);
        assertThat(text(page, "hold-notice")).contains("owner's credits");
        assertThat(credits.balance("web-owner").available()).isEqualTo(before - 10);
        assertThat(page).contains("data-user=\"web-editor\" data-feature=\"generate_section\" data-outcome=\"generated\"");

        Models.Hold all = credits.reserveCredits(Spender.account("web-owner"), before - 10, null, null);
        try {
            String refused = generate("editor", "generate_page", "Another page", false);
            assertThat(attr(refused, "message", "data-code")).isEqualTo("insufficient_credits");
            assertThat(text(refused, "notice")).contains("no AI credits left");
            assertThat(data(refused, "balance")).isZero();
        } finally {
            credits.release(all.id());
        }
    }

    @Test
    void aiWriter_isFreeFromEssential_andRefusedBelowIt() throws Exception {
        long before = credits.balance("web-owner").available();
        String page = generate("editor", "ai_writer", "Our story", false);
        assertThat(attr(page, "message", "data-outcome")).isEqualTo("generated");
        assertThat(data(page, "charged")).isZero();
        assertThat(credits.balance("web-owner").available()).isEqualTo(before);
        assertThat(credits.usage("web-owner", null, null, "feature").toString()).contains("ai_writer");

        credits.setMainPlan("web-owner", "FREE", "monthly", null);
        try {
            String refused = generate("owner", "ai_writer", "Our story", false);
            assertThat(attr(refused, "message", "data-code")).isEqualTo("feature_not_in_plan");
        } finally {
            credits.setMainPlan("web-owner", "ESSENTIAL", "monthly", null);
        }
    }

    @Test
    void theBillingLink_redirectsTheOwnerToTheBillingPage_andIsNotTheEditors() throws Exception {
        HttpResponse<String> redirect = get("/billing?as=owner");
        assertThat(redirect.statusCode()).isEqualTo(303);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(demo.server.url() + "/billing/web-owner?expires=");
        HttpResponse<String> billing = HTTP.send(HttpRequest.newBuilder(URI.create(location)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(billing.statusCode()).isEqualTo(200);
        assertThat(billing.body()).contains("<data id=\"available\" value=\"" + credits.balance("web-owner").available() + "\"");

        assertThat(get("/billing?as=editor").statusCode()).isEqualTo(403);
    }

    // ---------------------------------------------------------------- a browser's requests

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(demo.url(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String generate(String as, String feature, String prompt, boolean fail) throws Exception {
        String form = "as=" + as + "&feature=" + feature + "&prompt=" + URLEncoder.encode(prompt, StandardCharsets.UTF_8)
                + (fail ? "&fail=yes" : "");
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(demo.url("/generate"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    static long data(String html, String id) {
        Matcher m = Pattern.compile("<data id=\"" + id + "\"[^>]* value=\"(-?[0-9]+)\"").matcher(html);
        assertThat(m.find()).as("<data id=\"" + id + "\"> in the page").isTrue();
        return Long.parseLong(m.group(1));
    }

    static String text(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>(.*?)</", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as("element " + id + " in the page").isTrue();
        return m.group(1).replace("&#39;", "'");
    }

    static String attr(String html, String id, String name) {
        Matcher m = Pattern.compile("<[a-z]+ id=\"" + id + "\"([^>]*)>").matcher(html);
        assertThat(m.find()).as("element " + id + " in the page").isTrue();
        Matcher a = Pattern.compile(name + "=\"([^\"]*)\"").matcher(m.group(1));
        assertThat(a.find()).as(name + " of " + id).isTrue();
        return a.group(1);
    }
}
