package io.credits.ledger;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A block of credits and where they went. The buckets only change through {@link #apply}, the one
 * place that mirrors a ledger entry, and always satisfy
 * {@code granted = remaining + held + used + expired + carriedOut}, none negative.
 * A closed grant takes credits back (a release, a refund) only to expire them at once.
 * Mutable on purpose: it lives inside one account's unit of work, never shared.
 */
public final class Grant {
    /** Burn order (RULES.md, "Order of use"): place, then priority, then expiry, then creation. */
    public static final Comparator<Grant> BURN_ORDER = Comparator
            .comparingInt((Grant g) -> g.kind.place)
            .thenComparingInt(g -> g.priority)
            .thenComparing(g -> g.expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingLong(g -> g.seq);

    public final long seq;
    public final GrantKind kind;
    public final int priority;
    public final Instant createdAt;
    /** Null for a grant that lasts until a cancellation. */
    public final Instant expiresAt;
    public final String reason;
    private long granted;
    private long remaining;
    private long held;
    private long used;
    private long expired;
    private long carriedOut;
    private boolean closed;

    public Grant(long seq, GrantKind kind, int priority, Instant createdAt, Instant expiresAt, String reason) {
        if (seq <= 0) throw new IllegalArgumentException("seq must be > 0: " + seq);
        this.seq = seq;
        this.kind = Objects.requireNonNull(kind);
        this.priority = priority;
        this.createdAt = Objects.requireNonNull(createdAt);
        this.expiresAt = expiresAt;
        this.reason = reason;
    }

    /** Rebuilds a grant as the store keeps it. */
    public static Grant restore(long seq, GrantKind kind, int priority, Instant createdAt, Instant expiresAt,
                                String reason, long granted, long remaining, long held, long used, long expired,
                                long carriedOut, boolean closed) {
        Grant g = new Grant(seq, kind, priority, createdAt, expiresAt, reason);
        g.granted = granted;
        g.remaining = remaining;
        g.held = held;
        g.used = used;
        g.expired = expired;
        g.carriedOut = carriedOut;
        g.closed = closed;
        g.check();
        return g;
    }

    /** Moves credits between buckets as the entry type says. */
    public void apply(EntryType type, long n) {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0: " + n);
        switch (type) {
            case GRANT -> { granted += n; remaining += n; }
            case USE -> { remaining -= n; used += n; }
            case HOLD -> { remaining -= n; held += n; }
            case CAPTURE -> { held -= n; used += n; }
            case RELEASE -> { held -= n; remaining += n; }
            case REFUND -> { used -= n; remaining += n; }
            case EXPIRE -> { remaining -= n; expired += n; }
            case CARRY_OUT -> { remaining -= n; carriedOut += n; }
        }
        check();
    }

    /** Whether credits can still be spent from it. */
    public boolean isLive() {
        return !closed;
    }

    /** Ends the grant; its remaining credits must already be moved out. */
    public void close() {
        if (remaining != 0) throw new IllegalStateException("grant " + seq + " closed with " + remaining + " remaining");
        closed = true;
    }

    private void check() {
        if (remaining < 0 || held < 0 || used < 0 || expired < 0 || carriedOut < 0 || granted < 0)
            throw new IllegalStateException("grant " + seq + " has a negative bucket: " + this);
        if (granted != remaining + held + used + expired + carriedOut)
            throw new IllegalStateException("grant " + seq + " does not add up: " + this);
    }

    public long granted() { return granted; }
    public long remaining() { return remaining; }
    public long held() { return held; }
    public long used() { return used; }
    public long expired() { return expired; }
    public long carriedOut() { return carriedOut; }
    public boolean closed() { return closed; }

    @Override
    public String toString() {
        return "Grant[" + seq + " " + kind + " granted=" + granted + " remaining=" + remaining + " held=" + held
                + " used=" + used + " expired=" + expired + " carriedOut=" + carriedOut + " closed=" + closed
                + " expiresAt=" + expiresAt + "]";
    }
}
