package io.credits.account;

import java.time.Instant;
import java.util.Map;

/** Something the account's owner or the host may want to hear of; written with its cause. */
public record Event(String type, Instant at, Map<String, Object> data) {
    public Event {
        data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
    }
}
