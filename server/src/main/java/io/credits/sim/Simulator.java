package io.credits.sim;

import io.credits.account.Account;
import io.credits.account.AccountState;
import io.credits.account.Answer;
import io.credits.account.Balance;
import io.credits.account.Command;
import io.credits.account.Outcome;
import io.credits.account.RefusalCode;
import io.credits.catalog.Catalog;
import io.credits.catalog.CatalogLoader;
import io.credits.plan.Term;
import io.credits.project.Role;
import io.credits.store.Database;
import io.credits.store.EmbeddedServer;
import io.credits.store.Engine;
import io.credits.store.Engine.Request;
import io.credits.store.Engine.Target;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs scenario files through the real engine on a real PostgreSQL, a fresh database per file,
 * with a clock that the steps move (SCENARIOS.md). The test clock of Credits.
 */
public final class Simulator {
    /** The tally of a run: expect and expect_error steps that passed and failed, and failing action steps. */
    public record Result(int passed, int failed, List<String> failures) {
        public boolean ok() {
            return failed == 0;
        }

        Result plus(Result o) {
            List<String> all = new ArrayList<>(failures);
            all.addAll(o.failures);
            return new Result(passed + o.passed, failed + o.failed, all);
        }
    }

    private final EmbeddedServer server;
    private final Consumer<String> failureLine;

    /** @param failureLine told each failure as it happens, one line each */
    public Simulator(EmbeddedServer server, Consumer<String> failureLine) {
        this.server = server;
        this.failureLine = failureLine;
    }

    public Result run(List<Scenario> scenarios) {
        Result total = new Result(0, 0, List.of());
        for (Scenario s : scenarios) total = total.plus(run(s));
        return total;
    }

    public Result run(Scenario scenario) {
        Catalog catalog = scenario.catalogFile().map(CatalogLoader::load).orElseGet(CatalogLoader::defaultCatalog);
        StepClock clock = new StepClock();
        try (Database db = server.freshDatabase(4);
             Engine engine = new Engine(db.dataSource(), catalog, clock, scenario.timezone(), 2)) {
            return new Run(scenario, engine, clock).all();
        }
    }

    /** A clock that stands still at the instant of the step at hand. */
    static final class StepClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.EPOCH);

        void set(Instant t) {
            now.set(t);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the step clock is UTC");
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    private final class Run {
        final Scenario scenario;
        final Engine engine;
        final StepClock clock;
        final Map<String, String> holds = new HashMap<>();
        final Map<String, String> uses = new HashMap<>();
        final Set<String> accounts = new TreeSet<>();
        int passed, failed;
        final List<String> failures = new ArrayList<>();
        long keys;

        Run(Scenario scenario, Engine engine, StepClock clock) {
            this.scenario = scenario;
            this.engine = engine;
            this.clock = clock;
        }

        Result all() {
            for (Step step : scenario.steps()) {
                clock.set(step.at());
                // Every account is brought up to date to the step's instant before the step acts.
                engine.catchUp(1_000, n -> { });
                step(step);
            }
            return new Result(passed, failed, failures);
        }

        void step(Step step) {
            if (step.action() instanceof Action.Expect e) {
                List<String> wrong = compare(e.expectation(), balance(e.account()));
                if (wrong.isEmpty()) passed++;
                else fail(step, "account " + e.account() + ": " + String.join("; ", wrong));
                return;
            }
            Outcome outcome = act(step.action());
            if (step.expectError().isPresent()) {
                String want = step.expectError().get();
                if (outcome instanceof Outcome.Refused r && r.code().code().equals(want)) passed++;
                else fail(step, "expected error " + want + ", found " + describe(outcome));
            } else if (outcome instanceof Outcome.Refused r) {
                fail(step, "refused with " + r.code().code() + ": " + r.detail());
            }
        }

        void fail(Step step, String what) {
            failed++;
            String line = scenario.file() + " step " + step.number() + " (line " + step.line() + ", " + step.at() + "): " + what;
            failures.add(line);
            failureLine.accept(line);
        }

        Balance balance(String account) {
            Optional<Account> a = engine.read(account);
            return a.orElseGet(() -> {
                Account fresh = Account.restore(engine.catalog(), AccountState.fresh(account, scenario.timezone(),
                        clock.instant()), List.of(), List.of(), List.of(), List.of());
                fresh.advanceTo(clock.instant());
                return fresh;
            }).balance();
        }

        Outcome act(Action action) {
            return switch (action) {
                case Action.MainPlan a -> {
                    Optional<Term> term = Term.parse(a.term());
                    if (term.isEmpty())
                        yield Outcome.refuse(RefusalCode.INVALID_REQUEST, "term must be monthly or yearly: " + a.term());
                    yield run(account(a.account()), new Command.SetMainPlan(a.plan(), term, a.anchor()));
                }
                case Action.CancelMainPlan a -> run(account(a.account()), new Command.EndMainPlan());
                case Action.BookAiPlan a -> run(account(a.account()), new Command.BookAiPlan(a.plan()));
                case Action.ChangeAiPlan a -> run(account(a.account()), new Command.ChangeAiPlan(a.plan()));
                case Action.CancelAiPlan a -> run(account(a.account()), new Command.CancelAiPlan(a.immediately()));
                case Action.CreateProject a -> run(account(a.account()), new Command.CreateProject(a.id()));
                case Action.Member a -> member(a);
                case Action.Use a -> use(a);
                case Action.Reserve a -> reserve(a);
                case Action.Capture a -> run(new Target.OfHold(holds.getOrDefault(a.hold(), a.hold())),
                        new Command.Capture(holds.getOrDefault(a.hold(), a.hold()), a.credits()));
                case Action.Release a -> run(new Target.OfHold(holds.getOrDefault(a.hold(), a.hold())),
                        new Command.Release(holds.getOrDefault(a.hold(), a.hold())));
                case Action.Refund a -> run(new Target.OfUse(uses.getOrDefault(a.use(), a.use())),
                        new Command.Refund(uses.getOrDefault(a.use(), a.use())));
                case Action.Grant a -> run(account(a.account()),
                        new Command.ManualGrant(a.credits(), a.expires(), a.reason(), "scenario"));
                case Action.Expect a -> throw new IllegalArgumentException("expect is not an action");
            };
        }

        Outcome member(Action.Member a) {
            Optional<Role> role = Role.parse(a.role());
            if (role.isEmpty() && !"none".equals(a.role()))
                return Outcome.refuse(RefusalCode.INVALID_REQUEST, "role must be editor, viewer or none: " + a.role());
            Optional<String> owner = engine.projectOwner(a.project());
            if (owner.isEmpty()) return Outcome.refuse(RefusalCode.NOT_FOUND, "no project '" + a.project() + "'");
            return run(new Target.OfAccount(owner.get(), false), new Command.SetMember(a.project(), a.user(), role));
        }

        Outcome use(Action.Use a) {
            Outcome o = run(target(a.actor()), new Command.Use(actor(a.actor()), a.feature(), a.times()));
            if (o instanceof Outcome.Done d && d.answer() instanceof Answer.Used u && a.name().isPresent())
                uses.put(a.name().get(), u.useIds().getFirst());
            return o;
        }

        Outcome reserve(Action.Reserve a) {
            Outcome o = run(target(a.actor()), new Command.Reserve(actor(a.actor()), a.feature(), a.credits(), a.ttl()));
            if (o instanceof Outcome.Done d && d.answer() instanceof Answer.Held h) holds.put(a.hold(), h.holdId());
            return o;
        }

        Target account(String account) {
            accounts.add(account);
            return new Target.OfAccount(account, true);
        }

        Target target(Actor actor) {
            return switch (actor) {
                case Actor.OfAccount a -> account(a.account());
                case Actor.InProject p -> new Target.OfProject(p.project());
            };
        }

        io.credits.account.Actor actor(Actor actor) {
            return switch (actor) {
                case Actor.OfAccount a -> io.credits.account.Actor.owner(a.account());
                case Actor.InProject p -> io.credits.account.Actor.inProject(p.project(), p.user());
            };
        }

        Outcome run(Target target, Command command) {
            return engine.execute(new Request(target, command, "sim-" + (++keys)));
        }
    }

    private static String describe(Outcome o) {
        return switch (o) {
            case Outcome.Refused r -> r.code().code() + " (" + r.detail() + ")";
            case Outcome.Done d -> "success";
        };
    }

    /** The fields that differ, each as {@code field: expected X, found Y}. */
    static List<String> compare(Expectation e, Balance b) {
        List<String> wrong = new ArrayList<>();
        check(wrong, "available", e.available(), b.available());
        check(wrong, "held", e.held(), b.held());
        check(wrong, "carried_over", e.carriedOver(), b.carriedOver());
        check(wrong, "current", e.current(), b.current());
        check(wrong, "used_this_period", e.usedThisPeriod(), b.usedThisPeriod());
        check(wrong, "will_carry_over", e.willCarryOver(), b.willCarryOver());
        check(wrong, "will_expire", e.willExpire(), b.willExpire());
        check(wrong, "charged_cents", e.chargedCents(), b.chargedCents());
        check(wrong, "plan", e.plan(), b.plan());
        check(wrong, "next_plan", e.nextPlan(), b.nextPlan());
        check(wrong, "period_start", e.periodStart(), b.periodStart());
        check(wrong, "period_end", e.periodEnd(), b.periodEnd());
        return wrong;
    }

    private static void check(List<String> wrong, String field, OptionalLong want, long found) {
        if (want.isPresent() && want.getAsLong() != found)
            wrong.add(field + ": expected " + want.getAsLong() + ", found " + found);
    }

    private static <T> void check(List<String> wrong, String field, Optional<T> want, T found) {
        if (want.isPresent() && !want.get().equals(found))
            wrong.add(field + ": expected " + want.get() + ", found " + found);
    }
}
