package io.credits.account;

import java.time.Instant;
import java.util.List;

/** What an accepted command answers. Stored with its idempotency key and given again on a replay. */
public sealed interface Answer {
    /**
     * Plans, projects, members and account settings: the account as the command left it
     * ({@code after} is null in answers stored before it was recorded).
     */
    record Ok(String account, AccountSnapshot after) implements Answer {}

    record Used(String account, List<String> useIds, long credits, long available, String userId, String projectId,
                String feature) implements Answer {}

    record Held(String account, String holdId, long credits, Instant expiresAt, long available) implements Answer {}

    record Captured(String account, String holdId, long captured, long released, long available, String useId) implements Answer {}

    record Released(String account, String holdId, long released, long available) implements Answer {}

    record Refunded(String account, String useId, long credits, long available) implements Answer {}

    record Granted(String account, long grantSeq, long credits, Instant expiresAt, long available) implements Answer {}
}
