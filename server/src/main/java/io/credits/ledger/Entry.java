package io.credits.ledger;

import java.time.Instant;

/**
 * One immutable ledger entry: n credits moved within one grant, at the instant it took effect.
 * A use of a feature that costs nothing is written with no grant and n = 0, so the ledger still
 * shows it.
 *
 * @param grantSeq the grant's number within the account, or 0 for a zero-credit use
 * @param ref      the hold or use the entry belongs to, or null
 */
public record Entry(long grantSeq, EntryType type, Cause cause, long credits, Instant effectiveAt, String ref,
                    String userId, String projectId, String feature) {
    public Entry {
        if (credits < 0) throw new IllegalArgumentException("entry credits must be >= 0: " + credits);
        if (credits > 0 && grantSeq <= 0) throw new IllegalArgumentException("an entry that moves credits names its grant");
        java.util.Objects.requireNonNull(type, "type");
        java.util.Objects.requireNonNull(cause, "cause");
        java.util.Objects.requireNonNull(effectiveAt, "effectiveAt");
    }

    public static Entry of(long grantSeq, EntryType type, Cause cause, long credits, Instant at) {
        return new Entry(grantSeq, type, cause, credits, at, null, null, null, null);
    }
}
