package io.credits.account;

import java.time.Instant;

/** Money charged for an AI plan, in integer cents (RULES.md, "Money"). */
public record Charge(long cents, String currency, String reason, String plan, Instant effectiveAt,
                     Instant periodStart, Instant periodEnd) {
    public Charge {
        if (cents < 0) throw new IllegalArgumentException("a charge is never negative: " + cents);
    }
}
