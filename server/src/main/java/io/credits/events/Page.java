package io.credits.events;

import java.util.List;

/**
 * One page of a list, as the API answers it: {@code {data, nextCursor}}.
 *
 * @param nextCursor where to continue ({@code after=} or {@code cursor=}); for the event log it is
 *                   never null once an event was seen, so a poller always has a position to keep
 */
public record Page<T>(List<T> data, String nextCursor) {
    public Page {
        data = List.copyOf(data);
    }
}
