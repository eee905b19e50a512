package io.credits.events;

import io.credits.account.Actor;
import io.credits.account.Command;
import io.credits.account.Outcome;
import io.credits.catalog.CatalogLoader;
import io.credits.store.Engine;
import io.credits.store.Engine.Request;
import io.credits.store.Engine.Target;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Real events, made the way the service makes them: through the engine. */
final class Events {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final AtomicLong KEYS = new AtomicLong();

    private Events() {}

    static Engine engine(DataSource dataSource) {
        return new Engine(dataSource, CatalogLoader.defaultCatalog(), Clock.fixed(NOW, ZoneOffset.UTC), ZoneOffset.UTC, 2);
    }

    /** plan.booked. */
    static void book(Engine engine, String account) {
        done(engine.execute(new Request(new Target.OfAccount(account, true), new Command.BookAiPlan("T1000"), key())));
    }

    /** 95 of T1000's 100 uses: credits.low (available falls under 10% of 1000). */
    static void spendToLow(Engine engine, String account) {
        done(engine.execute(new Request(new Target.OfAccount(account, false),
                new Command.Use(Actor.owner(account), "vibe_coding", 95), key())));
    }

    /** More uses than are left: refused, and credits.exhausted. */
    static void exhaust(Engine engine, String account) {
        Outcome o = engine.execute(new Request(new Target.OfAccount(account, false),
                new Command.Use(Actor.owner(account), "vibe_coding", 100), key()));
        assertThat(o).isInstanceOf(Outcome.Refused.class);
    }

    /** grant.created, on an account made for it if need be. */
    static void grant(Engine engine, String account, long credits) {
        done(engine.execute(new Request(new Target.OfAccount(account, true),
                new Command.ManualGrant(credits, Optional.empty(), "goodwill", "ops"), key())));
    }

    private static void done(Outcome o) {
        assertThat(o).isInstanceOf(Outcome.Done.class);
    }

    private static String key() {
        return "events-test-" + KEYS.incrementAndGet();
    }
}
