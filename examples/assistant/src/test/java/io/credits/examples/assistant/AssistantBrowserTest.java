package io.credits.examples.assistant;

import com.fasterxml.jackson.databind.JsonNode;
import io.credits.sdk.CreditsClient;
import io.credits.sdk.Models;
import io.credits.web.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo in a real browser (headless Chromium, through the server's test helper {@link Browser}),
 * against Credits in-process: the owner presses "Generate page" and sees the charge and the balance
 * the API answers; a generation made to fail charges nothing; the editor is told whose credits are
 * spent; the owner's billing link opens Credits' billing page, where the editor's credits show under
 * the editor's name. Screenshots land in {@code examples/assistant/target/screenshots/}.
 */
class AssistantBrowserTest {
    /** The demo's own defaults (bin/demo), so the screenshots show what a visitor sees. */
    static final String OWNER = "acme-studio";
    static final String EDITOR = "bob";

    static RunningDemo demo;
    static CreditsClient credits;
    static CompletableFuture<Browser> starting;
    static Browser browser;

    @BeforeAll
    static void start() {
        // Chromium starts while PostgreSQL, Credits and the demo do: each takes seconds.
        starting = CompletableFuture.supplyAsync(Browser::start);
        demo = RunningDemo.start(OWNER, "acme-website", EDITOR);
        credits = demo.credits;
        try {
            browser = starting.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @AfterAll
    static void stop() {
        try {
            Browser started = starting == null ? null : starting.handle((b, failure) -> b).join();
            if (started != null) started.close();
        } finally {
            if (demo != null) demo.close();
        }
    }

    @Test
    void theOwnerGenerates_seesTheChargeAndTheApisBalance_andAFailedGenerationCostsNothing() {
        browser.open(demo.url("/").toString());
        assertThat(browser.text("user")).isEqualTo(OWNER);
        assertThat(browser.find("#user").getDomAttribute("data-role")).isEqualTo("owner");
        long before = browser.number("balance");
        assertThat(before).isEqualTo(credits.balance(OWNER).available());
        assertThat(browser.has("#notice")).as("the owner spends their own credits: no notice").isFalse();

        browser.clickAndWaitFor("#generate-page", "#message");
        assertThat(browser.find("#message").getDomAttribute("data-outcome")).isEqualTo("generated");
        assertThat(browser.number("charged")).isEqualTo(10);
        assertThat(browser.number("balance")).isEqualTo(before - 10).isEqualTo(credits.balance(OWNER).available());
        assertThat(browser.text("result")).contains("<h1>A Landing Page For A Bakery</h1>");
        assertThat(browser.rows("history").getFirst()).containsEntry("user", OWNER)
                .containsEntry("feature", "generate_page").containsEntry("outcome", "generated").containsEntry("credits", "10");
        browser.screenshot("demo-owner-generated");

        browser.click("#fail");
        browser.clickAndWaitFor("#generate-code", "#message");
        assertThat(browser.find("#message").getDomAttribute("data-outcome")).isEqualTo("failed");
        assertThat(browser.text("message")).contains("failed");
        assertThat(browser.number("charged")).isZero();
        Models.Balance after = credits.balance(OWNER);
        assertThat(browser.number("balance")).isEqualTo(before - 10).isEqualTo(after.available());
        assertThat(after.held()).as("the hold was released").isZero();
        assertThat(browser.rows("history").getFirst()).containsEntry("feature", "generate_code")
                .containsEntry("outcome", "failed").containsEntry("credits", "0");
        browser.screenshot("demo-owner-failed");
    }

    @Test
    void theEditor_isToldTheOwnersCreditsAreUsed_andTheOwnersBillingPageShowsTheEditorByName() {
        browser.open(demo.url("/?as=editor").toString());
        assertThat(browser.text("user")).isEqualTo(EDITOR);
        assertThat(browser.text("notice")).contains("you are using the owner's credits");
        assertThat(browser.has("#billing-link")).as("billing is the owner's").isFalse();
        long before = browser.number("balance");
        assertThat(before).isEqualTo(credits.balance(OWNER).available());

        browser.clickAndWaitFor("#generate-section", "#message");
        assertThat(browser.find("#message").getDomAttribute("data-outcome")).isEqualTo("generated");
        assertThat(browser.text("hold-notice")).contains("owner's credits");
        assertThat(browser.text("user")).as("still the editor after the form").isEqualTo(EDITOR);
        assertThat(browser.number("charged")).isEqualTo(10);
        assertThat(browser.number("balance")).isEqualTo(before - 10).isEqualTo(credits.balance(OWNER).available());
        browser.screenshot("demo-editor-generated");

        browser.click("#as-owner");
        browser.waitFor(() -> browser.has("#billing-link"), "the owner's page");
        browser.clickAndWaitFor("#billing-link", "#usage-by-user");
        assertThat(browser.title()).isEqualTo("AI credits · Billing");
        assertThat(browser.url()).startsWith(demo.server.url() + "/billing/" + OWNER + "?");
        assertThat(browser.text("account")).isEqualTo(OWNER);
        Models.Balance balance = credits.balance(OWNER);
        assertThat(browser.number("available")).isEqualTo(balance.available());

        List<Map<String, String>> byUser = browser.rows("usage-by-user");
        Map<String, String> editor = byUser.stream().filter(r -> EDITOR.equals(r.get("key"))).findFirst()
                .orElseThrow(() -> new AssertionError(EDITOR + " is not in usage by user: " + byUser));
        assertThat(editor).containsEntry("role", "editor");
        assertThat(browser.cells("usage-by-user")).anySatisfy(row -> assertThat(row).startsWith(EDITOR, "editor"));
        JsonNode apiByUser = credits.usage(OWNER, balance.periodStart(), balance.periodEnd(), "user").path("data");
        long editorCredits = StreamSupport.stream(apiByUser.spliterator(), false).filter(g -> EDITOR.equals(g.path("key").asText()))
                .findFirst().orElseThrow().path("credits").asLong();
        assertThat(Long.parseLong(editor.get("credits"))).isEqualTo(editorCredits).isGreaterThanOrEqualTo(10);
        browser.screenshot("demo-billing-page", "#usage-section");
    }
}
