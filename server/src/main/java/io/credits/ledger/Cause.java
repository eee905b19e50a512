package io.credits.ledger;

/** Why an entry was written (RULES.md, invariants: the cause of every change of credits). */
public enum Cause {
    BOOKING, RENEWAL, UPGRADE, CARRY_OVER, MANUAL_GRANT, USE, HOLD, CAPTURE, RELEASE, HOLD_EXPIRY, REFUND,
    EXPIRY, CANCELLATION;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
