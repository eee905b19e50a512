package io.credits.hold;

/** Where a hold stands. Only an OPEN hold keeps credits. */
public enum HoldStatus {
    OPEN,
    CAPTURED,
    RELEASED,
    /** released by itself at its expiry: a capture now is {@code hold_expired}, a release {@code conflict} */
    EXPIRED,
    /** released because the AI plan was cancelled */
    CANCELLED
}
