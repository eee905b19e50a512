package io.credits.sim;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a scenario: at an instant, one action, and optionally the error code it must be
 * refused with.
 *
 * @param number      1-based index of the step in the file's steps
 * @param line        1-based line of the step in the file, for messages
 * @param at          when the step acts; never before the step before
 * @param action      what the step does
 * @param expectError the refusal code the action must meet ({@code expect_error}), if any
 */
public record Step(int number, int line, Instant at, Action action, Optional<String> expectError) {

    public Step {
        if (number < 1) throw new IllegalArgumentException("number must be >= 1: " + number);
        if (line < 1) throw new IllegalArgumentException("line must be >= 1: " + line);
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(expectError, "expectError");
        if (expectError.isPresent() && action instanceof Action.Expect) {
            throw new IllegalArgumentException("an expect step cannot carry expect_error");
        }
    }
}
