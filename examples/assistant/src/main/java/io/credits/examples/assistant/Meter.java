package io.credits.examples.assistant;

import com.fasterxml.jackson.databind.JsonNode;
import io.credits.sdk.CreditsClient;
import io.credits.sdk.CreditsClient.Spender;
import io.credits.sdk.CreditsException;
import io.credits.sdk.Models;

import java.time.Duration;
import java.util.Objects;

/**
 * Meters one piece of AI work with Credits, the way a host should: reserve the feature's cost
 * (a hold), run the work, then capture the hold if the work succeeded or release it if it failed.
 * A failed generation costs nothing; a refused hold ({@link CreditsException.InsufficientCredits},
 * {@link CreditsException.FeatureNotInPlan}, ...) means the work never runs.
 *
 * <p>A free feature (cost 0, such as {@code ai_writer}) is still reserved first: the hold is what
 * checks that the account's plans include it. Its hold holds nothing, so on success it is released
 * and the generation recorded as a use of 0 credits, which the usage and the billing page count.
 */
public final class Meter {
    /** How long the credits stay held if this process dies before capturing or releasing them. */
    public static final Duration HOLD_TTL = Duration.ofMinutes(5);

    /** Work that may fail with any exception. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws Exception;
    }

    /**
     * What a metered piece of work gave and cost.
     *
     * @param value     what the work returned
     * @param credits   the credits charged (0 for a free feature)
     * @param available the account's credits available afterwards
     * @param notice    for an editor, that the project owner's credits were spent; null for the owner
     */
    public record Metered<T>(T value, String holdId, long credits, long available, String notice) {}

    private final CreditsClient credits;

    public Meter(CreditsClient credits) {
        this.credits = Objects.requireNonNull(credits, "credits");
    }

    /**
     * Holds the feature's cost for {@code spender}, runs {@code work} and captures; if the work
     * throws, releases the hold and throws the work's exception (a failed release is added to it as
     * suppressed: the hold then expires by itself after {@link #HOLD_TTL}, and the credits come back).
     */
    public <T> Metered<T> run(Spender spender, String feature, Work<T> work) throws Exception {
        Models.Hold hold = credits.reserve(spender, feature, HOLD_TTL, null);
        T value;
        try {
            value = work.run();
        } catch (Exception | Error e) {
            try {
                credits.release(hold.id());
            } catch (CreditsException released) {
                e.addSuppressed(released);
            }
            throw e;
        }
        if (hold.credits() == 0) {
            credits.release(hold.id());
            Models.Use use = credits.use(spender, feature, "use-of-" + hold.id());
            return new Metered<>(value, hold.id(), use.credits(), use.available(), hold.notice());
        }
        JsonNode captured = credits.capture(hold.id(), null);
        return new Metered<>(value, hold.id(), captured.path("captured").asLong(), captured.path("available").asLong(),
                hold.notice());
    }
}
