package io.credits.examples.assistant;

import com.fasterxml.jackson.databind.JsonNode;
import io.credits.sdk.CreditsClient;
import io.credits.sdk.CreditsException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * What the demo needs in Credits, made on first run and left as it is after: the owner's account
 * (main plan ESSENTIAL, so AI Writer is included; AI plan T1000, 1,000 credits a month), the
 * website project, and its editor. Every step is idempotent, so running it again changes nothing.
 */
public final class Setup {
    static final String MAIN_PLAN = "ESSENTIAL";
    static final String AI_PLAN = "T1000";
    /** How often the server is asked whether it is up, while waiting for it. */
    static final Duration POLL = Duration.ofMillis(250);

    private Setup() {}

    /** Makes what is missing; returns what it did, a line each (empty when everything was there). */
    public static java.util.List<String> ensure(CreditsClient credits, DemoConfig config) {
        java.util.List<String> done = new java.util.ArrayList<>();
        JsonNode account;
        try {
            account = credits.account(config.account());
        } catch (CreditsException.NotFound e) {
            credits.putAccount(config.account(), "Acme Web Studio", "UTC");
            done.add("account " + config.account());
            account = credits.account(config.account());
        }
        if (account.path("mainPlan").isNull() || account.path("mainPlan").isMissingNode()) {
            credits.setMainPlan(config.account(), MAIN_PLAN, "monthly", null);
            done.add("main plan " + MAIN_PLAN);
        }
        if (account.path("aiPlan").isNull() || account.path("aiPlan").isMissingNode()) {
            credits.bookAiPlan(config.account(), AI_PLAN);
            done.add("AI plan " + AI_PLAN);
        }
        credits.putProject(config.project(), config.account());
        credits.putMember(config.project(), config.editor(), "editor");
        return done;
    }

    /** Waits until {@code GET /health} answers 200 (a server just started), at most {@code timeout}. */
    public static void awaitHealthy(URI creditsUrl, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(creditsUrl.resolve("/health")).timeout(Duration.ofSeconds(2)).GET().build();
        Instant until = Instant.now().plus(timeout);
        String last = "no answer";
        while (Instant.now().isBefore(until)) {
            try {
                HttpResponse<Void> r = http.send(health, HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return;
                last = "status " + r.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException("Credits at " + creditsUrl + " did not answer GET /health within "
                + timeout.toSeconds() + " s (" + last + ")");
    }
}
