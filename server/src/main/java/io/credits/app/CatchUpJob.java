package io.credits.app;

import io.credits.store.Engine;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Brings idle accounts up to date in the background, so month-end figures (charges, expiries,
 * carry-overs) are complete without waiting for each account's next request. Every request
 * brings its own account up to date first anyway: this job only makes the idle ones visible.
 */
final class CatchUpJob implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofSeconds(60);
    static final int BATCH = 1_000;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "credits-catch-up");
        t.setDaemon(true);
        return t;
    });

    CatchUpJob(Engine engine) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                long n = engine.catchUp(BATCH, done -> { });
                if (n > 0) System.err.println("catch-up: " + n + " idle accounts brought up to date");
            } catch (RuntimeException e) {
                // The database may be down for a while: try again at the next round.
                System.err.println("catch-up: failed, will retry in " + INTERVAL.toSeconds() + " s: " + e.getMessage());
            }
        }, 0, INTERVAL.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
