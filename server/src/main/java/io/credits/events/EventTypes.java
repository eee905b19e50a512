package io.credits.events;

import java.util.List;

/**
 * The event types an account writes to the outbox (API.md, "Events and webhooks"). A test keeps
 * this list equal to the types {@code io.credits.account.Account} emits.
 */
public final class EventTypes {
    /** In an endpoint's {@code events}: every type, including types added later. */
    public static final String ALL_TYPES = "*";

    public static final List<String> KNOWN = List.of(
            "credits.low", "credits.exhausted", "editor.refused", "period.renewed",
            "plan.booked", "plan.changed", "plan.cancelled", "hold.expired", "grant.created");

    private EventTypes() {}

    public static boolean isKnown(String type) {
        return KNOWN.contains(type);
    }

    static String knownList() {
        return String.join(", ", KNOWN);
    }
}
