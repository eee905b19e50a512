package io.credits.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.Locale;

/**
 * How the page writes numbers, money and instants: in English, in the account's time zone, the
 * same on every run (no default locale or zone of the JVM is used).
 */
final class Formats {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter SHORT_DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_TIME_SECONDS = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm:ss", Locale.ENGLISH);

    private final ZoneId zone;

    Formats(ZoneId zone) {
        this.zone = zone;
    }

    ZoneId zone() {
        return zone;
    }

    /** 1234567 → "1,234,567". */
    static String credits(long n) {
        return String.format(Locale.ENGLISH, "%,d", n);
    }

    /**
     * Integer cents in a currency: 2900 EUR → "€29.00". The symbol and the number of decimals come
     * from the currency; a code the JDK does not know is written after the amount, with 2 decimals.
     */
    static String money(long cents, String currencyCode) {
        String symbol;
        int digits;
        try {
            Currency c = Currency.getInstance(currencyCode);
            symbol = c.getSymbol(Locale.ENGLISH);
            digits = Math.max(0, c.getDefaultFractionDigits());
        } catch (IllegalArgumentException | NullPointerException e) {
            return String.format(Locale.ENGLISH, "%,.2f %s", BigDecimal.valueOf(cents, 2), currencyCode);
        }
        String amount = String.format(Locale.ENGLISH, "%,." + digits + "f", BigDecimal.valueOf(cents, digits));
        return symbol.equals(currencyCode) ? amount + " " + symbol : symbol + amount;
    }

    String day(Instant t) {
        return t == null ? "" : DAY.format(t.atZone(zone));
    }

    static String day(LocalDate d) {
        return DAY.format(d);
    }

    static String shortDay(LocalDate d) {
        return SHORT_DAY.format(d);
    }

    String dayTime(Instant t) {
        return t == null ? "" : DAY_TIME.format(t.atZone(zone));
    }

    String dayTimeSeconds(Instant t) {
        return t == null ? "" : DAY_TIME_SECONDS.format(t.atZone(zone));
    }

    LocalDate date(Instant t) {
        return t.atZone(zone).toLocalDate();
    }

    /** {@code <time datetime="2026-01-17T09:00:00Z">17 Jan 2026, 10:00</time>}: readable and exact. */
    String time(Instant t) {
        if (t == null) return "";
        return "<time datetime=\"" + t + "\">" + Web.esc(dayTime(t)) + "</time>";
    }
}
