package io.credits.catalog;

import java.util.Objects;

/**
 * A catalog file that cannot be used: unreadable, not YAML, or breaking a rule of RULES.md. The
 * message names the file, the line (when there is one), the entry and the reason, so that an
 * operator can fix the file without reading code:
 * {@code catalog.yaml line 5: ai_plans.T2000: price per credit (2.9500 cents) must be lower than ...}.
 */
public final class CatalogException extends RuntimeException {

    private final String source;
    private final int line;
    private final String reason;

    /**
     * @param source the file (or resource) name
     * @param line   1-based line, or 0 when the problem has no line (an unreadable file)
     * @param entry  dotted path of the entry at fault ({@code ai_plans.T2000}), or null for the file
     * @param reason what is wrong and, where it helps, how to fix it
     */
    public CatalogException(String source, int line, String entry, String reason) {
        this(source, line, entry, reason, null);
    }

    public CatalogException(String source, int line, String entry, String reason, Throwable cause) {
        super(message(source, line, entry, reason), cause);
        this.source = Objects.requireNonNull(source, "source");
        this.line = line;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    private static String message(String source, int line, String entry, String reason) {
        StringBuilder b = new StringBuilder(source);
        if (line > 0) b.append(" line ").append(line);
        b.append(": ");
        if (entry != null) b.append(entry).append(": ");
        return b.append(reason).toString();
    }

    /** The file or resource name the catalog came from. */
    public String source() {
        return source;
    }

    /** The 1-based line of the problem, or 0 when it has none. */
    public int line() {
        return line;
    }

    /** The reason alone, without file, line and entry. */
    public String reason() {
        return reason;
    }
}
