package io.credits.examples.assistant;

import com.fasterxml.jackson.databind.JsonNode;
import io.credits.sdk.CreditsClient;
import io.credits.sdk.CreditsClient.Spender;
import io.credits.sdk.CreditsException;
import io.credits.sdk.Models;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The host application's side of AI credits, without any web framework: who acts (the project's
 * owner or its editor), what each button costs, a metered generation, and the billing link.
 */
public final class Assistant {
    /** Generations remembered for the page's history. */
    public static final int HISTORY_MAX = 20;
    /** How long a billing link works. */
    public static final Duration BILLING_LINK_TTL = Duration.ofMinutes(15);

    /** The two users of the demo. */
    public enum Role {
        OWNER, EDITOR;

        /** {@code ?as=owner|editor}; anything else is the owner. */
        public static Role of(String as) {
            return "editor".equals(as) ? EDITOR : OWNER;
        }

        public String param() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What a generation came to. */
    public sealed interface Outcome {
        Generator.Kind kind();

        /** Done and charged: {@code credits} taken from the owner's account. */
        record Generated(Generator.Kind kind, String content, long credits, long available, String notice) implements Outcome {}

        /** The generator failed: the hold was released, nothing charged. */
        record Failed(Generator.Kind kind, String reason) implements Outcome {}

        /** Credits refused the hold ({@code code} as the API names it): the generator never ran. */
        record Refused(Generator.Kind kind, String code, String detail) implements Outcome {}
    }

    /** A line of the history: who did what, when, for how much. */
    public record Done(Instant at, String user, Role role, Generator.Kind kind, String outcome, long credits) {}

    /** What the page shows for a user: the owner's credits as the API tells this user, and its notice. */
    public record Access(boolean allowed, long available, String notice, String reason) {}

    private final CreditsClient credits;
    private final Meter meter;
    private final Generator generator;
    private final DemoConfig config;
    private final Clock clock;
    private final Map<String, Long> costs = new LinkedHashMap<>();
    private final Deque<Done> history = new ArrayDeque<>();

    public Assistant(CreditsClient credits, Generator generator, DemoConfig config, Clock clock) {
        this.credits = credits;
        this.meter = new Meter(credits);
        this.generator = generator;
        this.config = config;
        this.clock = clock;
        for (JsonNode f : credits.catalog().path("features")) costs.put(f.path("name").asText(), f.path("cost").asLong());
    }

    public DemoConfig config() {
        return config;
    }

    /** The user id of a role in Credits: the owner acts as the account itself. */
    public String user(Role role) {
        return role == Role.OWNER ? config.account() : config.editor();
    }

    /** The catalog's cost of a button's feature. */
    public long cost(Generator.Kind kind) {
        return costs.getOrDefault(kind.feature, 0L);
    }

    /** {@code GET /v1/projects/{project}/ai-access}: may this user start AI actions, and the notice to show. */
    public Access access(Role role) {
        Models.AiAccess a = credits.aiAccess(config.project(), user(role));
        return new Access(a.allowed(), a.available(), a.notice(), a.reason());
    }

    /**
     * One press of a button: holds the feature's cost for this user in the project, runs the
     * generator (made to fail when {@code fail}), captures or releases.
     */
    public Outcome generate(Role role, Generator.Kind kind, String prompt, boolean fail) {
        Spender spender = Spender.inProject(config.project(), user(role));
        Outcome outcome;
        try {
            Meter.Metered<String> m = meter.run(spender, kind.feature, () -> {
                if (fail) throw new Generator.GenerationException("the generator failed, as the 'fail' box asked");
                return generator.generate(kind, prompt);
            });
            outcome = new Outcome.Generated(kind, m.value(), m.credits(), m.available(), m.notice());
        } catch (Generator.GenerationException e) {
            outcome = new Outcome.Failed(kind, e.getMessage());
        } catch (CreditsException e) {
            outcome = new Outcome.Refused(kind, e.code(), e.detail());
        } catch (Exception e) {
            outcome = new Outcome.Failed(kind, "the generator failed: " + e);
        }
        remember(role, outcome);
        return outcome;
    }

    private synchronized void remember(Role role, Outcome o) {
        String what = switch (o) {
            case Outcome.Generated g -> "generated";
            case Outcome.Failed f -> "failed";
            case Outcome.Refused r -> "refused";
        };
        long charged = o instanceof Outcome.Generated g ? g.credits() : 0;
        history.addFirst(new Done(clock.instant(), user(role), role, o.kind(), what, charged));
        while (history.size() > HISTORY_MAX) history.removeLast();
    }

    /** The newest generations first. */
    public synchronized List<Done> history() {
        return List.copyOf(history);
    }

    /** A signed link to the owner's billing page; only the owner may open it (the editor gets none). */
    public Optional<URI> billingLink(Role role) {
        if (role != Role.OWNER) return Optional.empty();
        return Optional.of(URI.create(credits.portalSession(config.account(), BILLING_LINK_TTL).url()));
    }
}
