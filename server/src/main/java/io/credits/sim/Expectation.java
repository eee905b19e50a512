package io.credits.sim;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The fields of an {@code expect} step (SCENARIOS.md, "Fields of expect"); an empty field is not
 * compared. Amounts are credits, except {@code chargedCents}.
 */
public record Expectation(OptionalLong available, OptionalLong held, OptionalLong carriedOver, OptionalLong current,
                          OptionalLong usedThisPeriod, OptionalLong willCarryOver, OptionalLong willExpire,
                          Optional<String> plan, Optional<String> nextPlan, Optional<Instant> periodStart,
                          Optional<Instant> periodEnd, OptionalLong chargedCents) {

    public Expectation {
        Objects.requireNonNull(available, "available");
        Objects.requireNonNull(held, "held");
        Objects.requireNonNull(carriedOver, "carriedOver");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(usedThisPeriod, "usedThisPeriod");
        Objects.requireNonNull(willCarryOver, "willCarryOver");
        Objects.requireNonNull(willExpire, "willExpire");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(nextPlan, "nextPlan");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(periodEnd, "periodEnd");
        Objects.requireNonNull(chargedCents, "chargedCents");
    }

    /** Whether no field is given, so that nothing would be compared. */
    public boolean isEmpty() {
        return available.isEmpty() && held.isEmpty() && carriedOver.isEmpty() && current.isEmpty()
                && usedThisPeriod.isEmpty() && willCarryOver.isEmpty() && willExpire.isEmpty() && plan.isEmpty()
                && nextPlan.isEmpty() && periodStart.isEmpty() && periodEnd.isEmpty() && chargedCents.isEmpty();
    }
}
