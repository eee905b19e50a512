package io.credits.plan;

/** The term of a main plan. AI plans are always monthly. */
public enum Term {
    MONTHLY, YEARLY;

    public static java.util.Optional<Term> parse(String s) {
        if (s == null) return java.util.Optional.empty();
        return switch (s) {
            case "monthly" -> java.util.Optional.of(MONTHLY);
            case "yearly" -> java.util.Optional.of(YEARLY);
            default -> java.util.Optional.empty();
        };
    }

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
