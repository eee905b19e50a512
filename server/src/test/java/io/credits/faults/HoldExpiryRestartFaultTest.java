package io.credits.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.credits.sdk.CreditsClient;
import io.credits.sdk.CreditsException;
import io.credits.sdk.Models;
import io.credits.store.Database;
import io.credits.store.EmbeddedServer;
import io.credits.store.TestDatabases;
import io.credits.testing.ServeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves that a hold whose client vanished is released by its expiry even when the server died
 * too: a hold is placed, the server is killed with SIGKILL before anyone captures or releases it,
 * and after the hold's expiry a new server process releases it by itself (its catch-up at start),
 * without any request naming the account. The credits are available again, the ledger shows the
 * release, and a late capture is refused with 410.
 */
class HoldExpiryRestartFaultTest {
    static final String ACCOUNT = "vanished";
    static final long HELD = 300;
    /** The shortest hold the API allows. */
    static final Duration TTL = Duration.ofSeconds(1);
    static final Duration RELEASE_MAX = Duration.ofSeconds(30);

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void holdOfAVanishedClient_isReleasedByItsExpiry_acrossAKillAndRestart() throws Exception {
        Path log = FaultKit.log("hold-expiry-restart");
        try (Database db = EmbeddedServer.shared().freshDatabase()) {
            String url = TestDatabases.urlWithCredentials(db);
            Models.Hold hold;
            try (ServeProcess first = FaultKit.serve(0, log, url)) {
                CreditsClient client = FaultKit.client(first.url());
                FaultKit.fund(client, ACCOUNT, 0); // 1,000 credits
                hold = client.reserveCredits(CreditsClient.Spender.account(ACCOUNT), HELD, TTL, "hold-1");
                assertThat(client.balance(ACCOUNT).available()).isEqualTo(1_000 - HELD);
                first.kill(); // the server dies with the hold open; its client is gone too
            }
            long wait = Duration.between(Instant.now(), hold.expiresAt()).toMillis() + 100;
            if (wait > 0) Thread.sleep(wait);
            assertThat(holdStatus(db, hold.id())).as("nothing runs while no server does").isEqualTo("OPEN");

            long t0 = System.nanoTime();
            try (ServeProcess second = FaultKit.serve(0, log, url)) {
                long listening = System.nanoTime();
                long deadline = listening + RELEASE_MAX.toNanos();
                while (!holdStatus(db, hold.id()).equals("EXPIRED")) {
                    assertThat(System.nanoTime()).as("the hold expired within %s of the restart", RELEASE_MAX)
                            .isLessThan(deadline);
                    Thread.sleep(20);
                }
                long released = System.nanoTime();

                CreditsClient client = FaultKit.client(second.url());
                Models.Balance balance = client.balance(ACCOUNT);
                assertThat(balance.available()).isEqualTo(1_000);
                assertThat(balance.held()).isZero();
                List<JsonNode> entries = StreamSupport.stream(client.ledger(ACCOUNT, null, 50).path("data").spliterator(), false)
                        .filter(e -> hold.id().equals(e.path("ref").asText(null))).toList();
                assertThat(entries).extracting(e -> e.path("type").asText() + " " + e.path("cause").asText() + " "
                        + e.path("credits").asLong()).containsExactlyInAnyOrder("hold hold " + HELD, "release hold_expiry " + HELD);
                assertThat(client.events(null, "hold.expired", ACCOUNT).data()).hasSize(1);
                assertThatThrownBy(() -> client.capture(hold.id(), null)).isInstanceOf(CreditsException.HoldExpired.class);
                FaultKit.verify(url);

                FaultKit.report("hold expiry across a restart", "a " + HELD + "-credit hold of " + TTL.toSeconds()
                        + " s, its server killed; restart to listening " + millis(t0, listening)
                        + " ms, hold released by the catch-up " + millis(listening, released)
                        + " ms after that, with no request for the account; credits available again, ledger: release"
                        + " hold_expiry " + HELD + ", capture then 410 hold_expired");
            }
        }
    }

    private static String holdStatus(Database db, String holdId) {
        return FaultKit.rows(db.dataSource(), "SELECT status FROM holds WHERE hold_id = ?", holdId).getFirst().getFirst();
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}
