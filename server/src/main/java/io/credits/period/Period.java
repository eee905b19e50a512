package io.credits.period;

import java.time.Instant;

/**
 * One period of an AI plan, the half-open interval {@code [start, end)}.
 *
 * @param daysInPeriod the calendar days that the period's allowance is prorated over: the days of
 *                     the aligned period it lies in (a first or bridging period is shorter than that)
 */
public record Period(Instant start, Instant end, long daysInPeriod) {
    public Period {
        if (!start.isBefore(end)) throw new IllegalArgumentException("period must end after it starts: " + start + " .. " + end);
        if (daysInPeriod < 1) throw new IllegalArgumentException("daysInPeriod must be >= 1: " + daysInPeriod);
    }

    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }
}
