package io.credits.plan;

import java.time.Instant;
import java.util.Objects;

/** The account's website plan; its anchor is the instant its current term started. */
public record MainPlan(String plan, Term term, Instant anchor) {
    public MainPlan {
        Objects.requireNonNull(plan);
        Objects.requireNonNull(term);
        Objects.requireNonNull(anchor);
    }
}
