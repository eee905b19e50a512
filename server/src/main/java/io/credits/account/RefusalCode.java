package io.credits.account;

/**
 * Why a request was refused (RULES.md, "Refusals"). The names are a contract: never reused.
 * A refused request changes no credits.
 */
public enum RefusalCode {
    INVALID_REQUEST(false),
    NOT_FOUND(false),
    FORBIDDEN(false),
    CONFLICT(false),
    HOLD_EXPIRED(false),
    FEATURE_NOT_IN_PLAN(false),
    /** may succeed later, once credits come (a renewal, an upgrade, a release) */
    INSUFFICIENT_CREDITS(true),
    IDEMPOTENCY_CONFLICT(false);

    public final boolean retryable;

    RefusalCode(boolean retryable) {
        this.retryable = retryable;
    }

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static java.util.Optional<RefusalCode> parse(String code) {
        for (RefusalCode c : values()) if (c.code().equals(code)) return java.util.Optional.of(c);
        return java.util.Optional.empty();
    }
}
