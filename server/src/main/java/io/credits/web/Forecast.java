package io.credits.web;

import io.credits.account.Account;
import io.credits.account.Balance;
import io.credits.period.Period;
import io.credits.plan.AiSubscription;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * When the credits run out at the current pace: the credits used this period per day since the
 * count started (the day of the booking or renewal and today both counted), projected over the
 * credits available now. Held credits are left out, like the balance leaves them out of available.
 *
 * @param runsOut   the day the available credits are used up at this pace; null unless {@code RUNS_OUT}
 * @param daysCounted days the pace is taken over
 */
record Forecast(Kind kind, LocalDate runsOut, long used, long daysCounted, LocalDate periodEndDay) {
    enum Kind {
        /** The credits are used up before the period ends, on {@code runsOut}. */
        RUNS_OUT,
        /** At this pace (or with nothing used yet) the credits last to the period's end. */
        NOT_BEFORE_PERIOD_END,
        /** Nothing is left now. */
        RAN_OUT,
        /** No AI plan, no period to forecast. */
        NO_PLAN;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    static Forecast of(Account account, Balance b, Instant now) {
        Optional<AiSubscription> ai = account.aiPlan();
        ZoneId zone = account.zone();
        if (ai.isEmpty()) return new Forecast(Kind.NO_PLAN, null, b.usedThisPeriod(), 0, null);
        Period p = ai.get().period();
        Instant countFrom = ai.get().bookedAt().isAfter(p.start()) ? ai.get().bookedAt() : p.start();
        LocalDate today = now.atZone(zone).toLocalDate();
        long days = Math.max(1, ChronoUnit.DAYS.between(countFrom.atZone(zone).toLocalDate(), today) + 1);
        LocalDate end = p.end().atZone(zone).toLocalDate();
        if (b.available() == 0) return new Forecast(Kind.RAN_OUT, null, b.usedThisPeriod(), days, end);
        if (b.usedThisPeriod() == 0) return new Forecast(Kind.NOT_BEFORE_PERIOD_END, null, 0, days, end);
        // Whole days the credits last at used/days a day: available * days / used, rounded down.
        long lasts;
        try {
            lasts = Math.multiplyExact(b.available(), days) / b.usedThisPeriod();
        } catch (ArithmeticException e) {
            lasts = Long.MAX_VALUE;
        }
        long toEnd = ChronoUnit.DAYS.between(today, end);
        if (lasts >= toEnd) return new Forecast(Kind.NOT_BEFORE_PERIOD_END, null, b.usedThisPeriod(), days, end);
        return new Forecast(Kind.RUNS_OUT, today.plusDays(lasts), b.usedThisPeriod(), days, end);
    }

    /** Credits a day at this pace, to one decimal. */
    String pace() {
        return daysCounted == 0 ? "0" : String.format(java.util.Locale.ENGLISH, "%,.1f", (double) used / daysCounted);
    }
}
