package io.credits.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.credits.sdk.CreditsClient;
import io.credits.sdk.CreditsClient.Spender;
import io.credits.sdk.CreditsException;
import io.credits.sdk.Models;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Java SDK against the real server: every resource it offers, and refusals as typed exceptions. */
class SdkApiTest {
    static ApiServer server;
    static CreditsClient credits;

    @BeforeAll
    static void start() {
        server = ApiServer.start();
        credits = CreditsClient.builder(URI.create(server.url()), ApiServer.ADMIN_KEY).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void ownerAndEditor_spendTheOwnersCredits_throughTheSdk() {
        credits.putAccount("sdk-owner", "Owner Ltd", "UTC");
        credits.setMainPlan("sdk-owner", "ESSENTIAL", "monthly", ApiServer.T0);
        credits.bookAiPlan("sdk-owner", "T1000");
        Models.Balance b = credits.balance("sdk-owner");
        assertThat(b.available()).isEqualTo(1000);
        assertThat(b.plan()).isEqualTo("T1000");

        Models.Use use = credits.use(Spender.account("sdk-owner"), "generate_page");
        assertThat(use.credits()).isEqualTo(10);
        assertThat(use.available()).isEqualTo(990);
        assertThat(use.account()).isEqualTo("sdk-owner");

        credits.putProject("sdk-site", "sdk-owner");
        credits.putMember("sdk-site", "sdk-ed", "editor");
        Models.AiAccess access = credits.aiAccess("sdk-site", "sdk-ed");
        assertThat(access.allowed()).isTrue();
        assertThat(access.account()).isEqualTo("sdk-owner");
        assertThat(access.notice()).isNotBlank();
        assertThat(access.role()).isEqualTo("editor");
        Models.Use byEditor = credits.use(Spender.inProject("sdk-site", "sdk-ed"), "generate_section");
        assertThat(byEditor.account()).isEqualTo("sdk-owner");
        assertThat(byEditor.notice()).isNotBlank();
        Models.Hold editorHold = credits.reserve(Spender.inProject("sdk-site", "sdk-ed"), "generate_page", null, null);
        assertThat(editorHold.notice()).isNotBlank();
        credits.release(editorHold.id());

        Models.Hold hold = credits.reserve(Spender.account("sdk-owner"), "generate_code", Duration.ofMinutes(5), null);
        assertThat(hold.credits()).isEqualTo(10);
        assertThat(credits.capture(hold.id(), 4L).path("captured").asLong()).isEqualTo(4);
        Models.Hold other = credits.reserveCredits(Spender.account("sdk-owner"), 30, null, null);
        credits.release(other.id());
        credits.refund(use.id());
        assertThat(credits.balance("sdk-owner").available()).isEqualTo(1000 - 10 - 4);

        JsonNode granted = credits.grant("sdk-owner", 25, null, "goodwill");
        assertThat(granted.path("credits").asLong()).isEqualTo(25);
        assertThat(credits.ledger("sdk-owner", null, 5).path("data")).hasSize(5);
        assertThat(credits.charges("sdk-owner").path("data").get(0).path("cents").asLong()).isEqualTo(2900);
        assertThat(credits.catalog().toString()).contains("T1000");
        assertThat(credits.events(null, null, "sdk-owner").data()).extracting(Models.Event::type).contains("plan.booked");
        assertThat(credits.portalSession("sdk-owner", Duration.ofMinutes(10)).url())
                .startsWith(server.url() + "/billing/sdk-owner?");
        assertThat(credits.createWebhookEndpoint("https://example.com/hook", List.of("credits.low")).secret())
                .startsWith("whsec_");
    }

    @Test
    void refusals_arriveAsTypedExceptions() {
        credits.bookAiPlan("sdk-refusals", "T1000");
        assertThatThrownBy(() -> credits.bookAiPlan("sdk-refusals", "T2000")).isInstanceOf(CreditsException.Conflict.class);
        assertThatThrownBy(() -> credits.balance("sdk-nobody")).isInstanceOf(CreditsException.NotFound.class);
        assertThatThrownBy(() -> credits.use(Spender.account("sdk-refusals"), "teleport"))
                .isInstanceOf(CreditsException.class).extracting(e -> ((CreditsException) e).code()).isIn("not_found", "invalid_request");
        assertThatThrownBy(() -> credits.grant("sdk-refusals", 0, null, "x"))
                .isInstanceOfSatisfying(CreditsException.InvalidRequest.class, e -> assertThat(e.errors()).isNotEmpty());
        credits.use(Spender.account("sdk-refusals"), "generate_page", "same-key");
        assertThatThrownBy(() -> credits.use(Spender.account("sdk-refusals"), "generate_code", "same-key"))
                .isInstanceOf(CreditsException.IdempotencyConflict.class);
        assertThat(credits.use(Spender.account("sdk-refusals"), "generate_page", "same-key").available())
                .as("a replay gives the first answer").isEqualTo(990);
        CreditsClient stranger = CreditsClient.builder(URI.create(server.url()), "ck_unknown_key_000000").build();
        assertThatThrownBy(() -> stranger.balance("sdk-refusals")).isInstanceOf(CreditsException.Unauthenticated.class);

        credits.putAccount("sdk-empty", null, null);
        credits.putProject("sdk-empty-site", "sdk-empty");
        credits.putMember("sdk-empty-site", "sdk-ed2", "editor");
        assertThatThrownBy(() -> credits.use(Spender.inProject("sdk-empty-site", "sdk-ed2"), "generate_page"))
                .isInstanceOfSatisfying(CreditsException.class, e -> {
                    assertThat(e.code()).isIn("insufficient_credits", "feature_not_in_plan");
                });
    }
}
