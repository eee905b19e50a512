package io.credits.period;

/**
 * Proration of credits and cents over calendar days (RULES.md, "Booking, and the first period").
 * Credits round down, so a customer never gets a credit that was not paid for; cents round
 * half-even, as the rules say. All in exact long arithmetic.
 */
public final class Proration {
    private Proration() {}

    public static long credits(long allowance, long daysLeft, long daysInPeriod) {
        check(allowance, daysLeft, daysInPeriod);
        return Math.multiplyExact(allowance, daysLeft) / daysInPeriod;
    }

    public static long cents(long price, long daysLeft, long daysInPeriod) {
        check(price, daysLeft, daysInPeriod);
        return divideHalfEven(Math.multiplyExact(price, daysLeft), daysInPeriod);
    }

    /** {@code numerator / denominator} rounded half-even; numerator >= 0, denominator > 0. */
    static long divideHalfEven(long numerator, long denominator) {
        long q = numerator / denominator;
        long r = numerator % denominator;
        long twice = Math.multiplyExact(r, 2);
        if (twice > denominator || (twice == denominator && (q & 1) == 1)) q++;
        return q;
    }

    private static void check(long amount, long daysLeft, long daysInPeriod) {
        if (amount < 0) throw new IllegalArgumentException("amount must be >= 0: " + amount);
        if (daysInPeriod < 1) throw new IllegalArgumentException("daysInPeriod must be >= 1: " + daysInPeriod);
        if (daysLeft < 1 || daysLeft > daysInPeriod)
            throw new IllegalArgumentException("daysLeft must be in 1.." + daysInPeriod + ": " + daysLeft);
    }
}
