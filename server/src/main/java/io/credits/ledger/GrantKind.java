package io.credits.ledger;

/** What a grant is, which decides where it stands in the burn order and how it ends. */
public enum GrantKind {
    /** Credits carried over from the previous period: used first, never carried again. */
    CARRY_OVER(0),
    /** A period's allowance (full, prorated or bridging). */
    ALLOWANCE(1),
    /** An upgrade's prorated top-up; belongs to the period like its allowance. */
    TOP_UP(1),
    /** An operator's grant by hand, with a reason. */
    MANUAL(2);

    /** Place in the burn order: carried over, then the period's own, then the others. */
    public final int place;

    GrantKind(int place) {
        this.place = place;
    }

    /** The period's own credits: what is "unused" at its end and may carry over. */
    public boolean isPeriodOwn() {
        return this == ALLOWANCE || this == TOP_UP;
    }
}
