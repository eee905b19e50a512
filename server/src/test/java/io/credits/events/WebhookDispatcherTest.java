package io.credits.events;

import io.credits.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import io.credits.catalog.CatalogLoader;
import io.credits.events.Deliveries.Delivery;
import io.credits.events.Deliveries.State;
import io.credits.events.WebhookDispatcher.Backoff;
import io.credits.events.WebhookDispatcher.Options;
import io.credits.store.Database;
import io.credits.store.EmbeddedServer;
import io.credits.store.Engine;
import io.credits.store.Json;
import io.credits.store.Verifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dispatcher delivers every event to every matching endpoint at least once, signed as Standard
 * Webhooks says, retrying with growing delays, keeping a delivery log, and surviving restarts.
 */
class WebhookDispatcherTest {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    Database db;
    Engine engine;
    Receiver receiver;
    MutableClock clock;
    WebhookEndpoints endpoints;
    Deliveries deliveries;

    @BeforeEach
    void open() throws Exception {
        db = EmbeddedServer.shared().freshDatabase(8);
        engine = Events.engine(db.dataSource());
        receiver = new Receiver();
        clock = new MutableClock(T0);
        endpoints = new WebhookEndpoints(db.dataSource(), clock);
        deliveries = new Deliveries(db.dataSource());
    }

    @AfterEach
    void close() {
        receiver.close();
        engine.close();
        assertThat(Verifier.verify(db.dataSource(), CatalogLoader.defaultCatalog()).violations()).isEmpty();
        db.close();
    }

    WebhookDispatcher dispatcher(Options options) {
        return new WebhookDispatcher(db.dataSource(), clock, options);
    }

    WebhookEndpoints.Created endpoint(String url, String... events) {
        return endpoints.create(new WebhookEndpoints.Registration(url, List.of(events)));
    }

    // ---------------------------------------------------------------- signing

    @Test
    void signature_matchesTheStandardWebhooksPublishedExample() {
        // The example of the specification's reference libraries: same secret, id, time and body.
        assertThat(WebhookSignature.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330, "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void anEvent_isPostedSigned_andTheSignatureVerifiesOnlyWithTheRightSecretAndBody() throws Exception {
        WebhookEndpoints.Created hook = endpoint(receiver.url(), "*");
        Events.book(engine, "acme");
        try (WebhookDispatcher d = dispatcher(Options.defaults())) {
            WebhookDispatcher.Round round = d.runOnce();
            assertThat(round).isEqualTo(new WebhookDispatcher.Round(1, 1, 1));
        }

        Receiver.Received r = receiver.received().getFirst();
        EventLog.Event event = new EventLog(db.dataSource()).page(EventLog.Query.all()).data().getFirst();
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.header("webhook-id")).isEqualTo(event.id());
        assertThat(r.header("webhook-timestamp")).isEqualTo(Long.toString(T0.getEpochSecond()));
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.get("id").asText()).isEqualTo(event.id());
        assertThat(body.get("type").asText()).isEqualTo("plan.booked");
        assertThat(body.get("account").asText()).isEqualTo("acme");
        assertThat(body.get("createdAt").asText()).isEqualTo(Events.NOW.toString());
        assertThat(body.get("data").get("plan").asText()).isEqualTo("T1000");

        assertThat(Spec.verify(hook.secret(), r, T0)).isTrue();
        String otherSecret = WebhookSignature.newSecret();
        assertThat(Spec.verify(otherSecret, r, T0)).isFalse();
        byte[] altered = r.bodyText().replace("T1000", "T9000").getBytes(StandardCharsets.UTF_8);
        assertThat(Spec.verify(hook.secret(), new Receiver.Received(r.headers(), altered), T0)).isFalse();
        assertThat(Spec.verify(hook.secret(), r, T0.plus(Duration.ofMinutes(6)))).isFalse(); // too old: replay

        Delivery delivery = log(hook.id()).getFirst();
        assertThat(delivery.state()).isEqualTo(State.SUCCEEDED);
        assertThat(delivery.eventId()).isEqualTo(event.id());
        assertThat(delivery.nextRetryAt()).isNull();
        assertThat(delivery.attempts()).singleElement().satisfies(a -> {
            assertThat(a.attempt()).isEqualTo(1);
            assertThat(a.statusCode()).isEqualTo(200);
            assertThat(a.attemptedAt()).isEqualTo(T0);
            assertThat(a.error()).isNull();
        });
    }

    @Test
    void eachEndpoint_getsOnlyTheTypesItAskedFor() {
        WebhookEndpoints.Created low = endpoint(receiver.url() + "?who=low", "credits.low");
        WebhookEndpoints.Created all = endpoint(receiver.url() + "?who=all", "*");
        WebhookEndpoints.Created off = endpoint(receiver.url() + "?who=off", "*");
        endpoints.disable(off.id());
        Events.book(engine, "acme");
        Events.spendToLow(engine, "acme");
        Events.exhaust(engine, "acme");
        try (WebhookDispatcher d = dispatcher(Options.defaults())) {
            assertThat(d.runOnce().attempted()).isEqualTo(4);
            assertThat(d.runOnce().attempted()).isZero();
        }
        assertThat(log(low.id())).extracting(Delivery::eventType).containsExactly("credits.low");
        assertThat(log(all.id())).extracting(Delivery::eventType)
                .containsExactly("credits.exhausted", "credits.low", "plan.booked"); // newest first
        assertThat(log(off.id())).isEmpty();
        assertThat(receiver.received()).hasSize(4);
    }

    // ---------------------------------------------------------------- retries

    @Test
    void aReceiverAnswering500Twice_getsThreeAttempts_withGrowingDelays() {
        receiver.script(Receiver.Answer.status(500), Receiver.Answer.status(500));
        WebhookEndpoints.Created hook = endpoint(receiver.url(), "*");
        Events.book(engine, "acme");
        try (WebhookDispatcher d = dispatcher(Options.defaults())) {
            assertThat(d.runOnce().succeeded()).isZero();
            assertThat(log(hook.id()).getFirst().nextRetryAt()).isEqualTo(T0.plusSeconds(5));

            clock.advance(Duration.ofMillis(4_999));
            assertThat(d.runOnce().attempted()).isZero(); // not due yet
            clock.advance(Duration.ofMillis(1));
            assertThat(d.runOnce().succeeded()).isZero();
            assertThat(log(hook.id()).getFirst().nextRetryAt()).isEqualTo(T0.plusSeconds(5 + 25));

            clock.advance(Duration.ofSeconds(24));
            assertThat(d.runOnce().attempted()).isZero();
            clock.advance(Duration.ofSeconds(1));
            assertThat(d.runOnce().succeeded()).isEqualTo(1);

            clock.advance(Duration.ofHours(1));
            assertThat(d.runOnce().attempted()).isZero(); // done for good
        }
        Delivery delivery = log(hook.id()).getFirst();
        assertThat(delivery.state()).isEqualTo(State.SUCCEEDED);
        assertThat(delivery.nextRetryAt()).isNull();
        assertThat(delivery.finishedAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(delivery.attempts()).extracting(Deliveries.Attempt::attempt, Deliveries.Attempt::statusCode,
                Deliveries.Attempt::attemptedAt).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, 500, T0),
                org.assertj.core.groups.Tuple.tuple(2, 500, T0.plusSeconds(5)),
                org.assertj.core.groups.Tuple.tuple(3, 200, T0.plusSeconds(30)));
        // Same event id on every attempt, a fresh timestamp and signature each time.
        assertThat(receiver.received()).extracting(r -> r.header("webhook-id")).containsOnly(delivery.eventId());
        assertThat(receiver.received()).extracting(r -> r.header("webhook-timestamp")).doesNotHaveDuplicates();
        assertThat(receiver.received()).allSatisfy(r -> assertThat(Spec.verify(hook.secret(), r,
                Instant.ofEpochSecond(Long.parseLong(r.header("webhook-timestamp"))))).isTrue());
    }

    @Test
    void aReceiverThatIsDown_getsEveryAttempt_thenTheDeliveryFails() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        WebhookEndpoints.Created hook = endpoint("http://127.0.0.1:" + closedPort + "/hook", "*");
        Events.book(engine, "acme");
        Backoff backoff = new Backoff(Duration.ofSeconds(5), 5, Duration.ofHours(6), 4);
        try (WebhookDispatcher d = dispatcher(Options.defaults().withBackoff(backoff))) {
            for (int i = 1; i <= 4; i++) {
                assertThat(d.runOnce().attempted()).as("attempt %d", i).isEqualTo(1);
                Delivery now = log(hook.id()).getFirst();
                if (i < 4) {
                    assertThat(now.state()).isEqualTo(State.PENDING);
                    assertThat(now.nextRetryAt()).isEqualTo(clock.instant().plus(backoff.delayAfter(i).orElseThrow()));
                    clock.advance(Duration.between(clock.instant(), now.nextRetryAt()));
                }
            }
            clock.advance(Duration.ofDays(1));
            assertThat(d.runOnce().attempted()).isZero();
        }
        Delivery delivery = log(hook.id()).getFirst();
        assertThat(delivery.state()).isEqualTo(State.FAILED);
        assertThat(delivery.nextRetryAt()).isNull();
        assertThat(delivery.attempts()).hasSize(4).allSatisfy(a -> {
            assertThat(a.statusCode()).isNull();
            assertThat(a.error()).contains("could not connect");
        });
        assertThat(delivery.attempts()).extracting(Deliveries.Attempt::attemptedAt).containsExactly(
                T0, T0.plusSeconds(5), T0.plusSeconds(30), T0.plusSeconds(155));
    }

    @Test
    void backoff_growsFivefoldFromFiveSeconds_cappedAtSixHours_forTenAttempts() {
        Backoff b = Backoff.defaults();
        assertThat(java.util.stream.IntStream.rangeClosed(1, 9).mapToObj(i -> b.delayAfter(i).orElseThrow()).toList())
                .containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(25), Duration.ofSeconds(125),
                        Duration.ofSeconds(625), Duration.ofSeconds(3125), Duration.ofSeconds(15625),
                        Duration.ofHours(6), Duration.ofHours(6), Duration.ofHours(6));
        assertThat(b.delayAfter(10)).isEmpty();
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(5), 5, Duration.ofHours(6), 0))
                .hasMessageContaining("attemptsMax");
        assertThatThrownBy(() -> Options.defaults().withRequestTimeout(Duration.ofSeconds(10), Duration.ofSeconds(15)))
                .hasMessageContaining("lease").hasMessageContaining("20000 ms");
    }

    @Test
    void aRedirectOrAHugeAnswer_isRecordedAndBounded() {
        receiver.script(new Receiver.Answer(302, 0, new byte[0], Map.of("Location", "http://127.0.0.1:1/elsewhere")),
                new Receiver.Answer(200, 0, "x".repeat(1_000_000).getBytes(StandardCharsets.UTF_8), Map.of()));
        WebhookEndpoints.Created hook = endpoint(receiver.url(), "*");
        Events.book(engine, "acme");
        try (WebhookDispatcher d = dispatcher(Options.defaults())) {
            d.runOnce();
            clock.advance(Duration.ofSeconds(5));
            assertThat(d.runOnce().succeeded()).isEqualTo(1);
        }
        List<Deliveries.Attempt> attempts = log(hook.id()).getFirst().attempts();
        assertThat(attempts).extracting(Deliveries.Attempt::statusCode).containsExactly(302, 200);
        assertThat(attempts.get(1).response()).hasSize(WebhookDispatcher.RESPONSE_EXCERPT_MAX);
        assertThat(receiver.received()).hasSize(2); // the redirect was not followed
    }

    // ---------------------------------------------------------------- at least once

    @Test
    void aRestart_losesNoEvent_andAnAttemptLostInACrash_isMadeAgainAfterItsLease() {
        WebhookEndpoints.Created hook = endpoint(receiver.url(), "*");
        Events.book(engine, "acme");
        try (WebhookDispatcher first = dispatcher(Options.defaults())) {
            assertThat(first.runOnce().succeeded()).isEqualTo(1);
        }
        Events.spendToLow(engine, "acme");
        try (WebhookDispatcher crashing = dispatcher(Options.defaults())) {
            crashing.fanOut(clock.instant());
            // Claimed (attempt counted, row leased) and then the process died before sending.
            assertThat(crashing.claim(clock.instant(), 10)).hasSize(1);
        }
        Events.exhaust(engine, "acme");

        try (WebhookDispatcher restarted = dispatcher(Options.defaults())) {
            assertThat(restarted.runOnce().succeeded()).isEqualTo(1); // credits.exhausted; credits.low is leased
            clock.advance(Options.defaults().lease());
            assertThat(restarted.runOnce().succeeded()).isEqualTo(1); // the lease ended: credits.low
            assertThat(restarted.runOnce().attempted()).isZero();
        }
        List<String> all = new EventLog(db.dataSource()).page(EventLog.Query.all()).data().stream()
                .map(EventLog.Event::id).toList();
        assertThat(all).hasSize(3);
        assertThat(receiver.effects()).containsExactlyInAnyOrderElementsOf(all);
        Delivery low = log(hook.id()).stream().filter(x -> x.eventType().equals("credits.low")).findFirst().orElseThrow();
        assertThat(low.attempts()).extracting(Deliveries.Attempt::attempt).containsExactly(2); // 1 died with its process
    }

    @Test
    void anAnswerTooSlowForTheTimeout_isSentAgain_andTheReceiverDedupesByWebhookId() {
        Duration timeout = Duration.ofMillis(300);
        receiver.script(new Receiver.Answer(200, 1_000, new byte[0], Map.of())); // handled, but answers too late
        WebhookEndpoints.Created hook = endpoint(receiver.url(), "*");
        Events.book(engine, "acme");
        try (WebhookDispatcher d = dispatcher(Options.defaults().withRequestTimeout(timeout, Duration.ofSeconds(1)))) {
            assertThat(d.runOnce().succeeded()).isZero();
            clock.advance(Duration.ofSeconds(5));
            assertThat(d.runOnce().succeeded()).isEqualTo(1);
        }
        assertThat(receiver.received()).hasSize(2)
                .extracting(r -> r.header("webhook-id")).containsOnly(log(hook.id()).getFirst().eventId());
        assertThat(receiver.effects()).hasSize(1);
        assertThat(log(hook.id()).getFirst().attempts().getFirst().error()).contains("no complete answer within 300 ms");
    }

    @Test
    void twoDispatchersOnOneDatabase_likeTwoProcesses_sendEachEventOnce() throws Exception {
        endpoint(receiver.url(), "*");
        Options fast = Options.defaults().withPollInterval(Duration.ofMillis(20)).withBatchMax(3);
        try (WebhookDispatcher a = new WebhookDispatcher(db.dataSource(), Clock.systemUTC(), fast).start();
             WebhookDispatcher b = new WebhookDispatcher(db.dataSource(), Clock.systemUTC(), fast).start()) {
            for (int i = 0; i < 30; i++) Events.grant(engine, "acct-" + (i % 4), 1 + i);
            await(() -> receiver.effects().size() == 30);
            TimeUnit.MILLISECONDS.sleep(200); // time for a second send, if anything sent twice
        }
        assertThat(receiver.received()).hasSize(30);
        assertThat(deliveries.counts()).isEqualTo(new Deliveries.Counts(0, 30, 0));
    }

    // ---------------------------------------------------------------- the log

    @Test
    void theDeliveryLog_pagesNewestFirst_andAnswersEmptyForAnUnknownEndpoint() {
        WebhookEndpoints.Created hook = endpoint(receiver.url(), "grant.created");
        for (int i = 0; i < 5; i++) Events.grant(engine, "acme", 10 + i);
        try (WebhookDispatcher d = dispatcher(Options.defaults())) {
            d.runOnce();
        }
        Page<Delivery> first = deliveries.list(hook.id(), null, "2").orElseThrow();
        Page<Delivery> second = deliveries.list(hook.id(), first.nextCursor(), "2").orElseThrow();
        Page<Delivery> third = deliveries.list(hook.id(), second.nextCursor(), "2").orElseThrow();
        assertThat(List.of(first.data().size(), second.data().size(), third.data().size())).containsExactly(2, 2, 1);
        assertThat(third.nextCursor()).isNull();
        List<Delivery> all = new java.util.ArrayList<>(first.data());
        all.addAll(second.data());
        all.addAll(third.data());
        assertThat(all).extracting(Delivery::id).doesNotHaveDuplicates()
                .isSortedAccordingTo(java.util.Comparator.comparing((String id) -> Long.parseLong(id.substring(4))).reversed());

        assertThat(deliveries.list("we_nope", null, null)).isEmpty();
        assertThatThrownBy(() -> deliveries.list(hook.id(), "bogus", "0")).isInstanceOfSatisfying(FieldErrors.class,
                e -> assertThat(EventLogTest.fields(e)).containsExactly("cursor", "limit"));
    }

    @Test
    void disablingAnEndpoint_failsWhatWasPending_andItGetsNothingMore() {
        receiver.script(Receiver.Answer.status(503));
        WebhookEndpoints.Created hook = endpoint(receiver.url(), "*");
        Events.book(engine, "acme");
        try (WebhookDispatcher d = dispatcher(Options.defaults())) {
            d.runOnce();
            endpoints.disable(hook.id());
            Events.spendToLow(engine, "acme");
            clock.advance(Duration.ofMinutes(1));
            assertThat(d.runOnce().attempted()).isZero();
        }
        assertThat(log(hook.id())).singleElement().satisfies(x -> {
            assertThat(x.state()).isEqualTo(State.FAILED);
            assertThat(x.attempts()).hasSize(1);
        });
    }

    @Test
    void finishedDeliveries_leaveTheLogAfterTheRetention_pendingOnesStay() {
        receiver.script(Receiver.Answer.status(500));
        WebhookEndpoints.Created hook = endpoint(receiver.url(), "*");
        Events.book(engine, "acme");
        Events.grant(engine, "acme", 5);
        try (WebhookDispatcher d = dispatcher(Options.defaults())) {
            d.runOnce(); // one succeeds, one waits for its retry
            clock.advance(Options.defaults().retention().minusMinutes(1));
            d.runOnce(); // the retry succeeds now: finished, but recently
            assertThat(log(hook.id())).hasSize(2);
            clock.advance(Duration.ofMinutes(2));
            d.runOnce();
            assertThat(log(hook.id())).singleElement().satisfies(x -> assertThat(x.attempts()).hasSize(2));
        }
    }

    @Test
    void theWireShapes_areTheApisFields() throws Exception {
        WebhookEndpoints.Created hook = endpoint(receiver.url(), "*");
        Events.book(engine, "acme");
        try (WebhookDispatcher d = dispatcher(Options.defaults())) {
            d.runOnce();
        }
        JsonNode events = Json.MAPPER.valueToTree(new EventLog(db.dataSource()).page(EventLog.Query.all()));
        assertThat(fieldNames(events)).containsExactly("data", "nextCursor");
        assertThat(fieldNames(events.get("data").get(0)))
                .containsExactly("id", "type", "account", "createdAt", "occurredAt", "data");
        assertThat(events.get("data").get(0).get("createdAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(fieldNames(Json.MAPPER.valueToTree(hook))).containsExactly("id", "url", "events", "secret");
        JsonNode delivery = Json.MAPPER.valueToTree(deliveries.list(hook.id(), null, null).orElseThrow()).get("data").get(0);
        assertThat(fieldNames(delivery)).containsExactly("id", "eventId", "eventType", "account", "state", "createdAt",
                "nextRetryAt", "finishedAt", "attempts");
        assertThat(delivery.get("state").asText()).isEqualTo("succeeded");
        assertThat(fieldNames(delivery.get("attempts").get(0)))
                .containsExactly("attempt", "attemptedAt", "durationMillis", "statusCode", "error", "response");
        assertThat(fieldNames(Json.MAPPER.valueToTree(endpoints.get(hook.id()).orElseThrow())))
                .containsExactly("id", "url", "events", "createdAt", "disabledAt");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private List<Delivery> log(String endpointId) {
        return deliveries.list(endpointId, null, null).orElseThrow().data();
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not done within 20 s");
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    /**
     * A receiver's check, written from the Standard Webhooks specification alone (not with the
     * code under test): HMAC-SHA256 over "{id}.{timestamp}.{body}", keyed with the base64-decoded
     * secret after "whsec_"; any of the space-separated "v1,<base64>" signatures may match; the
     * timestamp must be within 5 minutes of now.
     */
    static final class Spec {
        static boolean verify(String secret, Receiver.Received r, Instant now) throws Exception {
            String id = r.header("webhook-id");
            long timestamp = Long.parseLong(r.header("webhook-timestamp"));
            if (Math.abs(now.getEpochSecond() - timestamp) > 300) return false;
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.split("_", 2)[1]), "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + r.bodyText()).getBytes(StandardCharsets.UTF_8));
            for (String candidate : r.header("webhook-signature").split(" ")) {
                String[] parts = candidate.split(",", 2);
                if (parts.length == 2 && parts[0].equals("v1")
                        && MessageDigest.isEqual(Base64.getDecoder().decode(parts[1]), expected)) {
                    return true;
                }
            }
            return false;
        }
    }
}
