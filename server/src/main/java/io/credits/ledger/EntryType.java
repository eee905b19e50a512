package io.credits.ledger;

/**
 * How an entry moves credits between a grant's buckets. Every grant satisfies
 * {@code granted = remaining + held + used + expired + carriedOut} at all times.
 */
public enum EntryType {
    /** credits come into being: remaining += n */
    GRANT,
    /** a use: remaining -= n, used += n */
    USE,
    /** a hold reserves: remaining -= n, held += n */
    HOLD,
    /** a hold's credits become a use: held -= n, used += n */
    CAPTURE,
    /** a hold's credits come back: held -= n, remaining += n */
    RELEASE,
    /** a use's credits come back: used -= n, remaining += n */
    REFUND,
    /** credits end unused: remaining -= n, expired += n */
    EXPIRE,
    /** credits leave a period's grant for the next period's carry-over grant: remaining -= n, carriedOut += n */
    CARRY_OUT
}
