package io.credits.hold;

import io.credits.ledger.Portion;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Credits reserved for a generation that has started and not finished (RULES.md, two-phase use).
 * The portions say which grants the credits came from, in burn order, so a partial capture keeps
 * the first credits and gives the rest back where they came from.
 */
public record Hold(String id, long credits, List<Portion> portions, Instant createdAt, Instant expiresAt,
                   HoldStatus status, long capturedCredits, Instant closedAt, String userId, String projectId,
                   String feature) {
    public Hold {
        Objects.requireNonNull(id);
        portions = List.copyOf(portions);
        if (credits < 0) throw new IllegalArgumentException("hold credits must be >= 0");
        if (portions.stream().mapToLong(Portion::credits).sum() != credits)
            throw new IllegalArgumentException("hold " + id + " portions do not add up to " + credits);
        if (!expiresAt.isAfter(createdAt)) throw new IllegalArgumentException("hold must expire after it is placed");
        if (capturedCredits < 0 || capturedCredits > credits) throw new IllegalArgumentException("captured out of range");
    }

    public boolean isOpen() {
        return status == HoldStatus.OPEN;
    }

    public Hold close(HoldStatus newStatus, long captured, Instant at) {
        return new Hold(id, credits, portions, createdAt, expiresAt, newStatus, captured, at, userId, projectId, feature);
    }
}
