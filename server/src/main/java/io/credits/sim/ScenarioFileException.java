package io.credits.sim;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A scenario file that cannot be run: unreadable, not YAML, or not of the form of SCENARIOS.md.
 * The message is {@code FILE line N: reason} (without the line when there is none), e.g.
 * {@code 04_holds.yaml line 12: step 3: unknown key 'acount' in use (expected: ...)}.
 */
public final class ScenarioFileException extends RuntimeException {

    private final Path file;
    private final int line;
    private final String reason;

    /**
     * @param file   the file as named to the parser
     * @param line   1-based line, or 0 when the problem has none (an unreadable file)
     * @param reason what is wrong, with the step number where there is one
     */
    public ScenarioFileException(Path file, int line, String reason) {
        this(file, line, reason, null);
    }

    public ScenarioFileException(Path file, int line, String reason, Throwable cause) {
        super(file + (line > 0 ? " line " + line : "") + ": " + reason, cause);
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Path file() {
        return file;
    }

    /** The 1-based line of the problem, or 0 when it has none. */
    public int line() {
        return line;
    }

    /** The reason alone, without file and line. */
    public String reason() {
        return reason;
    }
}
