package io.credits.faults;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that two server processes on one database never overdraw an account they spend at once:
 * clients of both spend the same 1,000 credits (uses, and holds placed on one server and captured
 * on the other) until each is refused; exactly 1,000 credits are spent, none is left held, and
 * the ledger reconciles.
 */
class TwoServersFaultTest {
    static final String ACCOUNT = "shared";
    /** Clients per server, each spending until it is refused. */
    static final int CLIENTS = 8;
    static final long CREDITS = 1_000;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoServersOnOneDatabase_spendTheSameAccountAtOnce_noOverdraftExactTotals() throws Exception {
        Path log = FaultKit.log("two-servers");
        try (Database db = EmbeddedServer.shared().freshDatabase()) {
            String url = TestDatabases.urlWithCredentials(db);
            CompletableFuture<ServeProcess> startingB = CompletableFuture.supplyAsync(() -> start(log, url));
            try (ServeProcess a = start(log, url); ServeProcess b = startingB.join()) {
                CreditsClient[] servers = {FaultKit.client(a.url()), FaultKit.client(b.url())};
                FaultKit.fund(servers[0], ACCOUNT, 0); // T1000: 1,000 credits
                for (CreditsClient s : servers) assertThat(s.balance(ACCOUNT).available()).isEqualTo(CREDITS);

                AtomicLongArray spentVia = new AtomicLongArray(2); // credits each server answered as spent
                Queue<String> errors = new ConcurrentLinkedQueue<>();
                CountDownLatch go = new CountDownLatch(1);
                List<Thread> clients = new ArrayList<>();
                for (int i = 0; i < 2 * CLIENTS; i++) {
                    int mine = i % 2;
                    CreditsClient here = servers[mine];
                    CreditsClient there = servers[1 - mine];
                    clients.add(Thread.ofVirtual().start(() -> spendUntilRefused(here, there, go, spentVia, mine, errors)));
                }
                go.countDown();
                for (Thread t : clients) t.join(TimeUnit.SECONDS.toMillis(90));
                assertThat(errors).isEmpty();

                assertThat(spentVia.get(0) + spentVia.get(1)).as("credits answered as spent").isEqualTo(CREDITS);
                assertThat(spentVia.get(0)).as("spent through server A").isPositive();
                assertThat(spentVia.get(1)).as("spent through server B").isPositive();
                for (CreditsClient s : servers) {
                    Models.Balance balance = s.balance(ACCOUNT);
                    assertThat(balance.available()).isZero();
                    assertThat(balance.held()).isZero();
                }
                long spentInLedger = FaultKit.count(db.dataSource(), """
                        SELECT coalesce(sum(credits) FILTER (WHERE type IN ('USE', 'CAPTURE')), 0)
                        FROM ledger_entries WHERE account_id = ?""", ACCOUNT);
                assertThat(spentInLedger).isEqualTo(CREDITS);
                assertThat(FaultKit.count(db.dataSource(), "SELECT coalesce(sum(credits), 0) FROM uses WHERE account_id = ?",
                        ACCOUNT)).isEqualTo(CREDITS);
                assertThat(FaultKit.count(db.dataSource(), "SELECT count(*) FROM holds WHERE status = 'OPEN'")).isZero();
                FaultKit.verify(url);

                long holds = FaultKit.count(db.dataSource(), "SELECT count(*) FROM holds WHERE status = 'CAPTURED'");
                FaultKit.report("two servers", 2 * CLIENTS + " clients on 2 server processes spent " + CREDITS
                        + " credits exactly (" + spentVia.get(0) + " through A, " + spentVia.get(1) + " through B; "
                        + holds + " of the " + CREDITS / FaultKit.COST + " spendings were holds captured on the other server),"
                        + " every further attempt refused with 402; available 0, held 0 on both; verify passes");
            }
        }
    }

    private static ServeProcess start(Path log, String url) {
        try {
            return FaultKit.serve(0, log, url);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Spends {@link FaultKit#COST} credits at a time through {@code here}, by turns a use and a
     * hold captured through {@code there}, until refused with 402 {@code insufficient_credits}.
     */
    private static void spendUntilRefused(CreditsClient here, CreditsClient there, CountDownLatch go,
                                          AtomicLongArray spentVia, int mine, Queue<String> errors) {
        CreditsClient.Spender spender = CreditsClient.Spender.account(ACCOUNT);
        try {
            go.await();
            for (int n = 0; ; n++) {
                try {
                    if (n % 2 == 0) {
                        spentVia.addAndGet(mine, here.use(spender, FaultKit.FEATURE, null).credits());
                    } else {
                        Models.Hold hold = here.reserve(spender, FaultKit.FEATURE, null, null);
                        there.capture(hold.id(), null);
                        spentVia.addAndGet(mine, hold.credits());
                    }
                } catch (CreditsException.InsufficientCredits refused) {
                    return;
                }
            }
        } catch (Exception e) {
            errors.add(e.toString());
        }
    }
}
