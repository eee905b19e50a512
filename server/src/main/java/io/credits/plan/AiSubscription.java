package io.credits.plan;

import io.credits.period.Period;

import java.time.Instant;
import java.util.Objects;

/**
 * The AI plan in force.
 *
 * @param plan     the plan of the current period
 * @param nextPlan the plan of the next period; {@link #CANCELLED} or FREE when a cancellation is due
 * @param anchor   the anchor the next periods align to: the main plan's, or the booking instant
 * @param period   the current period
 * @param bookedAt when this subscription was booked (a rebooking is a new one)
 */
public record AiSubscription(String plan, String nextPlan, Instant anchor, Period period, Instant bookedAt) {
    /** The next plan shown after a cancellation (SCENARIOS.md: {@code next_plan: none}). */
    public static final String CANCELLED = "none";

    public AiSubscription {
        Objects.requireNonNull(plan);
        Objects.requireNonNull(nextPlan);
        Objects.requireNonNull(anchor);
        Objects.requireNonNull(period);
        Objects.requireNonNull(bookedAt);
    }

    public boolean cancellationDue() {
        return CANCELLED.equals(nextPlan) || io.credits.catalog.Catalog.FREE.equals(nextPlan);
    }

    public AiSubscription withNextPlan(String next) {
        return new AiSubscription(plan, next, anchor, period, bookedAt);
    }

    public AiSubscription withPlan(String newPlan, String next) {
        return new AiSubscription(newPlan, next, anchor, period, bookedAt);
    }

    public AiSubscription withAnchor(Instant newAnchor) {
        return new AiSubscription(plan, nextPlan, newAnchor, period, bookedAt);
    }

    public AiSubscription renewed(String newPlan, Period newPeriod) {
        return new AiSubscription(newPlan, newPlan, anchor, newPeriod, bookedAt);
    }
}
