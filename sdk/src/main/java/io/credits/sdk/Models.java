package io.credits.sdk;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The bodies of the API, as records. Unknown fields are ignored, so a newer server that adds
 * fields does not break an older client.
 */
public final class Models {
    private Models() {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Balance(String account, long available, long held, long carriedOver, long current,
                          long usedThisPeriod, long willCarryOver, long willExpire, String plan, String nextPlan,
                          Instant periodStart, Instant periodEnd, String currency, Instant carriedOverExpiresAt) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Use(String id, long credits, String account, long available, String user, String project,
                      String feature, String notice) {}

    /** {@code notice}: for an editor, that the project owner's credits are held; null for the owner. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Hold(String id, long credits, Instant expiresAt, String account, Long available, String notice) {}

    /**
     * {@code role}: owner, editor, viewer or none; {@code notice}: what to tell an editor (whose
     * credits are spent, or that none are left); {@code reason}: why not, when not {@code allowed}.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AiAccess(boolean allowed, String account, long available, String notice, String role, String reason) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Event(String id, String type, String account, Instant createdAt, Map<String, Object> data) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Page<T>(List<T> data, String nextCursor) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record WebhookEndpoint(String id, String url, List<String> events, String secret) {}

    /** A link to the account's billing page, to send the customer to; it stops working at {@code expiresAt}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PortalSession(String url, Instant expiresAt) {}
}
