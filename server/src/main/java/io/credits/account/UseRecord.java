package io.credits.account;

import io.credits.ledger.Portion;

import java.time.Instant;
import java.util.List;

/**
 * One charge: a use of a feature, or the captured part of a hold. Usage by day, feature, user and
 * project is summed from these. {@code refundedAt} is set once, by a refund.
 *
 * @param holdId the hold it was captured from, or null for a direct use
 */
public record UseRecord(String id, long seq, long credits, List<Portion> portions, Instant at, String userId,
                        String projectId, String feature, String holdId, Instant refundedAt) {
    public UseRecord {
        portions = List.copyOf(portions);
        if (portions.stream().mapToLong(Portion::credits).sum() != credits)
            throw new IllegalArgumentException("use " + id + " portions do not add up to " + credits);
    }

    public boolean refunded() {
        return refundedAt != null;
    }

    public UseRecord refundedAt(Instant when) {
        return new UseRecord(id, seq, credits, portions, at, userId, projectId, feature, holdId, when);
    }
}
