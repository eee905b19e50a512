package io.credits.period;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * Period boundaries and day counts (RULES.md, "Periods" and decisions 1 to 4).
 *
 * <p>Boundary n is the anchor's local date and wall-clock time moved n months on. Months are
 * always added to the anchor itself, never to the previous boundary, so that an anchor on the
 * 31st comes back to the 31st after February ({@link LocalDateTime#plusMonths} clamps the day).
 * {@link LocalDateTime#atZone} resolves a wall time in a daylight-saving gap forward by the gap
 * and a repeated one to its first occurrence, as decision 1 asks.
 */
public final class Periods {
    private Periods() {}

    public static Instant boundary(Instant anchor, ZoneId zone, long n) {
        LocalDateTime local = LocalDateTime.ofInstant(anchor, zone);
        return local.plusMonths(n).atZone(zone).toInstant();
    }

    /** The aligned period of the anchor that contains {@code t}, with its full day count. */
    public static Period aligned(Instant anchor, ZoneId zone, Instant t) {
        LocalDateTime a = LocalDateTime.ofInstant(anchor, zone);
        LocalDateTime l = LocalDateTime.ofInstant(t, zone);
        long n = ChronoUnit.MONTHS.between(a, l);
        // MONTHS.between is a good guess; clamping and DST can put t one period either side.
        while (boundary(anchor, zone, n).isAfter(t)) n--;
        while (!boundary(anchor, zone, n + 1).isAfter(t)) n++;
        Instant start = boundary(anchor, zone, n);
        Instant end = boundary(anchor, zone, n + 1);
        return new Period(start, end, days(start, end, zone));
    }

    /** Calendar days from the local date of {@code a} to the local date of {@code b} (decision 3). */
    public static long days(Instant a, Instant b, ZoneId zone) {
        return ChronoUnit.DAYS.between(LocalDateTime.ofInstant(a, zone).toLocalDate(),
                LocalDateTime.ofInstant(b, zone).toLocalDate());
    }

    /** Days left in a period from {@code now}, the day of {@code now} counted: at least 1. */
    public static long daysLeft(Instant now, Instant end, ZoneId zone) {
        return Math.max(1, days(now, end, zone));
    }
}
