package io.credits.account;

import io.credits.plan.AiSubscription;
import io.credits.plan.MainPlan;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * An account's own row: its settings, its plans and the running figures that the entries explain.
 *
 * @param usageFromSeq   uses numbered above this count in {@code usedThisPeriod}: the last number
 *                       given when the count last started again (a renewal, a booking, a cancellation)
 * @param lastSeq        the last number given to a grant, hold or use of this account
 * @param lowThreshold   credits below which {@code credits.low} is told; null: 10% of the allowance
 * @param caughtUpTo     the instant up to which boundaries and expiries have been applied
 * @param nextDueAt      the next instant something falls due (a boundary, an expiry); null: nothing
 */
public record AccountState(String id, String name, ZoneId zone, MainPlan main, AiSubscription ai,
                           long usedThisPeriod, long usageFromSeq, long chargedCents, long lastSeq,
                           Long lowThreshold, Instant createdAt, Instant caughtUpTo, Instant nextDueAt) {
    public AccountState {
        Objects.requireNonNull(id);
        Objects.requireNonNull(zone);
        Objects.requireNonNull(createdAt);
        Objects.requireNonNull(caughtUpTo);
        if (usedThisPeriod < 0) throw new IllegalArgumentException("usedThisPeriod < 0");
        if (chargedCents < 0) throw new IllegalArgumentException("chargedCents < 0");
        if (lastSeq < 0) throw new IllegalArgumentException("lastSeq < 0");
    }

    /** A new account, as it comes into being at its first mention. */
    public static AccountState fresh(String id, ZoneId zone, Instant now) {
        return new AccountState(id, null, zone, null, null, 0, 0, 0, 0, null, now, now, null);
    }
}
