package io.credits.account;

import io.credits.account.RandomOps.HoldRef;
import io.credits.account.RandomOps.Op;
import io.credits.account.RandomOps.TimeOp;
import io.credits.catalog.Catalog;
import io.credits.catalog.CatalogLoader;
import io.credits.hold.Hold;
import io.credits.hold.HoldStatus;
import io.credits.plan.Term;
import io.credits.project.Role;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Disabled;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.credits.account.RefusalCode.CONFLICT;
import static io.credits.account.RefusalCode.FEATURE_NOT_IN_PLAN;
import static io.credits.account.RefusalCode.FORBIDDEN;
import static io.credits.account.RefusalCode.HOLD_EXPIRED;
import static io.credits.account.RefusalCode.INSUFFICIENT_CREDITS;
import static io.credits.account.RefusalCode.INVALID_REQUEST;
import static io.credits.account.RefusalCode.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the plans, anchors, time zones, commands and jumps in time, the pure account keeps every
 * invariant of RULES.md after every step, refuses exactly when and with the code the rules say
 * (decision 15's order included) without changing anything, and carries over exactly as a
 * hand-computed model of the article's carry-over rule does.
 */
class AccountPropertiesTest {
    static final Catalog CATALOG = CatalogLoader.defaultCatalog();
    static final String ACC = "acc";

    // ---------------------------------------------------------------- random sequences

    record Start(ZoneId zone, LocalDateTime local, Optional<MainStart> main, Optional<String> plan) {}

    record MainStart(String plan, Term term, Duration sinceAnchor) {}

    @Provide
    Arbitrary<Start> starts() {
        Arbitrary<Optional<MainStart>> main = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Optional.<MainStart>empty())),
                Tuple.of(2, Combinators.combine(Arbitraries.of("FREE", "ESSENTIAL", "PRO", "BUSINESS"),
                        Arbitraries.of(Term.class),
                        Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(Duration.ZERO)),
                                Tuple.of(3, Arbitraries.longs().between(1, 400L * 86_400).map(Duration::ofSeconds))))
                        .as((p, t, d) -> Optional.of(new MainStart(p, t, d)))));
        Arbitrary<Optional<String>> plan = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Optional.<String>empty())),
                Tuple.of(4, Arbitraries.of("T1000", "T2000", "T4000", "T10000").map(Optional::of)));
        return Combinators.combine(RandomOps.zones(), RandomOps.localDateTimes(), main, plan).as(Start::new);
    }

    @Provide
    Arbitrary<List<Op>> opLists() {
        return RandomOps.ops().list().ofMinSize(5).ofMaxSize(80);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.BOUNDED)
    void randomSequences_keepEveryInvariant_andRefuseAsTheRulesSay(@ForAll("starts") Start start,
                                                                    @ForAll("opLists") List<Op> ops) {
        Run run = new Run(start);
        run.begin();
        for (Op op : ops) run.step(op);
    }

    /** One account driven through a sequence, with the little the oracle needs to know on its own. */
    static final class Run {
        final ZoneId zone;
        Instant now;
        final Account a;
        final Start start;
        final List<HoldRef> holds = new ArrayList<>();
        final List<String> uses = new ArrayList<>();
        final Map<String, Long> useCredits = new HashMap<>();
        final Set<String> refunded = new HashSet<>();
        /** Uses made at the very instant a booking or cancellation restarted the count (see the disabled example). */
        final Set<String> usedAtReset = new HashSet<>();
        final Map<String, Map<String, Role>> projects = new HashMap<>();

        Run(Start start) {
            this.start = start;
            this.zone = start.zone();
            Instant anchor = start.local().atZone(zone).toInstant();
            this.now = anchor.plus(start.main().map(MainStart::sinceAnchor).orElse(Duration.ZERO));
            this.a = Account.restore(CATALOG, AccountState.fresh(ACC, zone, now), List.of(), List.of(), List.of(), List.of());
        }

        void begin() {
            Instant anchor = start.local().atZone(zone).toInstant();
            start.main().ifPresent(m -> expectDone(new Command.SetMainPlan(m.plan(), Optional.of(m.term()), Optional.of(anchor))));
            start.plan().ifPresent(p -> expectDone(new Command.BookAiPlan(p)));
            expectDone(new Command.CreateProject("p0"));
            expectDone(new Command.SetMember("p0", "alice", Optional.of(Role.EDITOR)));
            expectDone(new Command.SetMember("p0", "bob", Optional.of(Role.VIEWER)));
        }

        void expectDone(Command c) {
            assertThat(act(c)).as("setting up with %s", c).isInstanceOf(Outcome.Done.class);
        }

        void step(Op op) {
            if (op instanceof TimeOp t) {
                Instant to = RandomOps.target(t, a, now);
                if (to != null && to.isAfter(now)) now = to;
                a.advanceTo(now);
                RandomOps.checkInvariants(a, CATALOG, now);
                return;
            }
            Command c = RandomOps.command(op, ACC, a, holds, uses, now);

            act(c);
        }

        Outcome act(Command c) {
            a.advanceTo(now);
            RandomOps.checkInvariants(a, CATALOG, now);
            RandomOps.Snapshot before = RandomOps.snapshot(a);
            Balance b0 = a.balance();
            Optional<RefusalCode> expected = expected(c);
            Outcome o = a.execute(c, now);
            switch (o) {
                case Outcome.Refused r -> {
                    assertThat(expected).as("%s refused with %s: %s", c, r.code(), r.detail()).contains(r.code());
                    assertThat(RandomOps.snapshot(a)).as("a refused %s changed something", c).isEqualTo(before);
                }
                case Outcome.Done d -> {
                    assertThat(expected).as("%s done: %s", c, d.answer()).isEmpty();
                    a.advanceTo(now);
                    checkDone(c, d.answer(), b0, a.balance());
                    remember(c, d.answer());
                }
            }
            RandomOps.checkInvariants(a, CATALOG, now);
            return o;
        }

        void remember(Command c, Answer answer) {
            switch (answer) {
                case Answer.Held h -> holds.add(new HoldRef(h.holdId(), h.credits()));
                case Answer.Used u -> u.useIds().forEach(id -> {
                    uses.add(id);
                    useCredits.put(id, u.credits() / u.useIds().size());
                });
                case Answer.Captured cap -> {
                    if (cap.useId() != null) {
                        uses.add(cap.useId());
                        useCredits.put(cap.useId(), cap.captured());
                    }
                }
                case Answer.Refunded r -> refunded.add(r.useId());
                default -> { }
            }
            boolean restarts = c instanceof Command.BookAiPlan || c instanceof Command.CancelAiPlan x && x.immediately();
            if (restarts)
                a.changes().uses.values().stream().filter(u -> u.at().equals(now)).forEach(u -> usedAtReset.add(u.id()));
            if (c instanceof Command.CreateProject p) projects.putIfAbsent(p.projectId(), new HashMap<>());
            if (c instanceof Command.SetMember m)
                m.role().ifPresentOrElse(r -> projects.get(m.projectId()).put(m.userId(), r),
                        () -> projects.get(m.projectId()).remove(m.userId()));
        }

        // ------------------------------------------------------------ the oracle of refusals

        /** The refusal RULES.md asks for, in decision 15's order, or empty when the command must be done. */
        Optional<RefusalCode> expected(Command cmd) {
            return Optional.ofNullable(switch (cmd) {
                case Command.Use c -> {
                    if (c.times() < 1 || c.times() > Account.TIMES_MAX) yield INVALID_REQUEST;
                    RefusalCode actor = actorRefusal(c.actor());
                    if (actor != null) yield actor;
                    yield spending(c.feature(), c.times());
                }
                case Command.Reserve c -> {
                    if (c.feature().isPresent() == c.credits().isPresent()) yield INVALID_REQUEST;
                    if (c.credits().filter(n -> n < 1).isPresent()) yield INVALID_REQUEST;
                    if (!c.ttl().isPositive() || c.ttl().compareTo(Account.HOLD_TTL_MAX) > 0) yield INVALID_REQUEST;
                    RefusalCode actor = actorRefusal(c.actor());
                    if (actor != null) yield actor;
                    if (c.feature().isPresent()) yield spending(c.feature().get(), 1);
                    yield c.credits().get() > a.available() ? INSUFFICIENT_CREDITS : null;
                }
                case Command.Capture c -> {
                    if (c.credits().filter(n -> n < 0).isPresent()) yield INVALID_REQUEST;
                    Hold h = hold(c.holdId());
                    if (h == null) yield NOT_FOUND;
                    if (c.credits().orElse(h.credits()) > h.credits()) yield INVALID_REQUEST;
                    yield switch (h.status()) {
                        case OPEN -> null;
                        case EXPIRED -> HOLD_EXPIRED;
                        case CAPTURED, RELEASED, CANCELLED -> CONFLICT;
                    };
                }
                case Command.Release c -> {
                    Hold h = hold(c.holdId());
                    yield h == null ? NOT_FOUND : h.isOpen() ? null : CONFLICT;
                }
                case Command.Refund c -> !useCredits.containsKey(c.useId()) ? NOT_FOUND
                        : refunded.contains(c.useId()) ? CONFLICT : null;
                case Command.BookAiPlan c -> CATALOG.aiPlan(c.plan()).isEmpty() ? NOT_FOUND
                        : c.plan().equals("FREE") || a.aiPlan().isPresent() ? CONFLICT : null;
                case Command.ChangeAiPlan c -> {
                    if (CATALOG.aiPlan(c.plan()).isEmpty()) yield NOT_FOUND;
                    if (a.aiPlan().isEmpty()) yield CONFLICT;
                    var ai = a.aiPlan().get();
                    if (c.plan().equals("FREE")) yield ai.cancellationDue() ? CONFLICT : null;
                    if (c.plan().equals(ai.plan())) yield ai.nextPlan().equals(ai.plan()) ? CONFLICT : null;
                    yield null;
                }
                case Command.CancelAiPlan c -> a.aiPlan().isEmpty() ? CONFLICT
                        : !c.immediately() && a.aiPlan().get().cancellationDue() ? CONFLICT : null;
                case Command.ManualGrant c -> c.credits() < 1 || c.expiresAt().filter(e -> !e.isAfter(now)).isPresent()
                        ? INVALID_REQUEST : null;
                case Command.SetMainPlan c -> {
                    if (c.anchor().filter(t -> t.isAfter(now)).isPresent()) yield INVALID_REQUEST;
                    if (a.mainPlan().isEmpty() && c.term().isEmpty()) yield INVALID_REQUEST;
                    yield CATALOG.hasMainPlan(c.plan()) ? null : NOT_FOUND;
                }
                case Command.EndMainPlan c -> a.mainPlan().isEmpty() ? CONFLICT : null;
                case Command.CreateProject c -> null;
                case Command.SetMember c -> projects.containsKey(c.projectId()) ? null : NOT_FOUND;
                case Command.UpdateAccount c -> null;
            });
        }

        RefusalCode actorRefusal(Actor actor) {
            if (actor.projectId().isEmpty()) return null;
            Map<String, Role> members = projects.get(actor.projectId().get());
            if (members == null) return NOT_FOUND;
            if (actor.userId().equals(ACC) || members.get(actor.userId()) == Role.EDITOR) return null;
            return FORBIDDEN;
        }

        RefusalCode spending(String featureName, long times) {
            var feature = CATALOG.feature(featureName);
            if (feature.isEmpty()) return NOT_FOUND;
            boolean included = feature.get().needsAiPlan() ? a.aiPlan().isPresent()
                    : a.mainPlan().map(m -> CATALOG.mainPlanRank(m.plan()) >= CATALOG.mainPlanRank("ESSENTIAL")).orElse(false);
            if (!included) return FEATURE_NOT_IN_PLAN;
            return feature.get().cost() * times > a.available() ? INSUFFICIENT_CREDITS : null;
        }

        Hold hold(String id) {
            return a.holds().stream().filter(h -> h.id().equals(id)).findFirst().orElse(null);
        }

        // ------------------------------------------------------------ what a done command did

        void checkDone(Command cmd, Answer answer, Balance b0, Balance b1) {
            availableInAnswer(answer).ifPresent(n -> assertThat(n).as("available in %s", answer).isEqualTo(b1.available()));
            switch (cmd) {
                case Command.Use c -> {
                    long total = CATALOG.feature(c.feature()).orElseThrow().cost() * c.times();
                    assertThat(b1.available()).as("available after %s", c).isEqualTo(b0.available() - total);
                    assertThat(b1.usedThisPeriod()).as("used after %s", c).isEqualTo(b0.usedThisPeriod() + total);
                    assertThat(((Answer.Used) answer).useIds()).hasSize((int) c.times());
                }
                case Command.Reserve c -> {
                    Answer.Held h = (Answer.Held) answer;
                    long amount = c.credits().orElseGet(() -> CATALOG.feature(c.feature().get()).orElseThrow().cost());
                    assertThat(h.credits()).isEqualTo(amount);
                    assertThat(h.expiresAt()).isEqualTo(now.plus(c.ttl()));
                    assertThat(b1.available()).as("available after %s", c).isEqualTo(b0.available() - amount);
                    assertThat(b1.held()).as("held after %s", c).isEqualTo(b0.held() + amount);
                }
                case Command.Capture c -> {
                    Answer.Captured cap = (Answer.Captured) answer;
                    long held = cap.captured() + cap.released();
                    assertThat(cap.captured()).isEqualTo(c.credits().orElse(held));
                    assertThat(b1.held()).as("held after %s", c).isEqualTo(b0.held() - held);
                    assertThat(b1.available()).as("available after %s", c).isBetween(b0.available(), b0.available() + cap.released());
                    assertThat(b1.usedThisPeriod()).isEqualTo(b0.usedThisPeriod() + cap.captured());
                    assertThat(hold(c.holdId()).status()).isEqualTo(cap.captured() > 0 ? HoldStatus.CAPTURED : HoldStatus.RELEASED);
                }
                case Command.Release c -> {
                    Answer.Released r = (Answer.Released) answer;
                    assertThat(b1.held()).as("held after %s", c).isEqualTo(b0.held() - r.released());
                    assertThat(b1.available()).as("available after %s", c).isBetween(b0.available(), b0.available() + r.released());
                    assertThat(hold(c.holdId()).status()).isEqualTo(HoldStatus.RELEASED);
                }
                case Command.Refund c -> {
                    assertThat(((Answer.Refunded) answer).credits()).isEqualTo(useCredits.get(c.useId()));
                    assertThat(b1.available()).as("available after %s", c)
                            .isBetween(b0.available(), b0.available() + useCredits.get(c.useId()));
                    assertThat(b1.usedThisPeriod()).isBetween(b0.usedThisPeriod() - useCredits.get(c.useId()), b0.usedThisPeriod());
                }
                case Command.ManualGrant c ->
                        assertThat(b1.available()).as("available after %s", c).isEqualTo(b0.available() + c.credits());
                case Command.BookAiPlan c -> {
                    long allowance = CATALOG.aiPlan(c.plan()).orElseThrow().credits();
                    assertThat(b0.current() + b0.carriedOver()).as("credits of a plan before booking").isZero();
                    assertThat(b1.current()).as("booked credits").isBetween(0L, allowance);
                    assertThat(b1.available()).isEqualTo(b0.available() + b1.current());
                    assertThat(b1.plan()).isEqualTo(c.plan());
                    assertThat(b1.nextPlan()).isEqualTo(c.plan());
                    assertThat(b1.usedThisPeriod()).isZero();
                    assertThat(b1.periodStart()).isBeforeOrEqualTo(now);
                }
                case Command.ChangeAiPlan c -> {
                    long from = CATALOG.aiPlan(b0.plan()).orElseThrow().credits();
                    long to = CATALOG.aiPlan(c.plan()).orElseThrow().credits();
                    if (to > from) {
                        assertThat(b1.plan()).isEqualTo(c.plan());
                        assertThat(b1.available() - b0.available()).as("top-up").isBetween(0L, to - from);
                    } else {
                        assertThat(b1.plan()).isEqualTo(b0.plan());
                        assertThat(b1.available()).isEqualTo(b0.available());
                    }
                    assertThat(b1.nextPlan()).isEqualTo(c.plan());
                    if (c.plan().equals("FREE")) assertThat(b1.willCarryOver()).isZero();
                }
                case Command.CancelAiPlan c -> {
                    if (c.immediately()) {
                        assertThat(b1.available()).as("available after cancelling now").isZero();
                        assertThat(b1.held()).as("held after cancelling now").isZero();
                        assertThat(b1.plan()).isEqualTo("FREE");
                        assertThat(a.aiPlan()).isEmpty();
                    } else {
                        assertThat(b1.available()).isEqualTo(b0.available());
                        assertThat(b1.willCarryOver()).isZero();
                        assertThat(b1.willExpire()).isEqualTo(b1.available());
                    }
                }
                case Command.SetMainPlan c -> assertThat(a.mainPlan().orElseThrow().plan()).isEqualTo(c.plan());
                case Command.EndMainPlan c -> assertThat(a.mainPlan()).isEmpty();
                default -> { }
            }
        }

        static Optional<Long> availableInAnswer(Answer answer) {
            return switch (answer) {
                case Answer.Used u -> Optional.of(u.available());
                case Answer.Held h -> Optional.of(h.available());
                case Answer.Captured c -> Optional.of(c.available());
                case Answer.Released r -> Optional.of(r.available());
                case Answer.Refunded r -> Optional.of(r.available());
                case Answer.Granted g -> Optional.of(g.available());
                case Answer.Ok ok -> Optional.empty();
            };
        }
    }

    // ---------------------------------------------------------------- a hand model of carry-over

    /** One step of the simplest timeline: some uses now, then a move of time. */
    record Month(long uses, int boundariesAhead, long secondsPastBoundary) {}

    @Provide
    Arbitrary<List<Month>> months() {
        Arbitrary<Month> month = Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(0L)), Tuple.of(6, Arbitraries.longs().between(1, 5)),
                        Tuple.of(3, Arbitraries.longs().between(20, 1100))),
                Arbitraries.frequency(Tuple.of(2, 0), Tuple.of(6, 1), Tuple.of(2, 2), Tuple.of(1, 3)),
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0L)), Tuple.of(2, Arbitraries.longs().between(1, 20L * 86_400))))
                .as(Month::new);
        return month.list().ofMinSize(1).ofMaxSize(24);
    }

    @Property(tries = 300)
    void oneAiPlanAndUsesOnly_carryOverMatchesAHandModel(@ForAll("plainPlans") String plan,
                                                        @ForAll("anchors") LocalDateTime anchorLocal,
                                                        @ForAll("months") List<Month> months) {
        long allowance = CATALOG.aiPlan(plan).orElseThrow().credits();
        Instant anchor = anchorLocal.toInstant(ZoneOffset.UTC);
        Account a = Account.restore(CATALOG, AccountState.fresh(ACC, ZoneOffset.UTC, anchor), List.of(), List.of(),
                List.of(), List.of());
        assertThat(a.execute(new Command.BookAiPlan(plan), anchor)).isInstanceOf(Outcome.Done.class);
        // The model: booked on the anchor, so every period is full.
        long carried = 0, current = allowance, used = 0;
        int period = 0;
        Instant now = anchor;
        for (Month m : months) {
            for (long i = 0; i < m.uses(); i++) {
                long times = 1 + (i % 3);
                Outcome o = a.execute(new Command.Use(Actor.owner(ACC), "vibe_coding", times), now);
                long cost = 10 * times;
                if (cost > carried + current) {
                    assertThat(o).isInstanceOfSatisfying(Outcome.Refused.class,
                            r -> assertThat(r.code()).isEqualTo(INSUFFICIENT_CREDITS));
                } else {
                    assertThat(o).isInstanceOf(Outcome.Done.class);
                    long fromCarried = Math.min(cost, carried); // carried-over credits go first
                    carried -= fromCarried;
                    current -= cost - fromCarried;
                    used += cost;
                }
            }
            for (int k = 0; k < m.boundariesAhead(); k++) {
                // RULES.md: carried-over credits expire; min(unused, allowance) carries; the allowance is granted.
                carried = Math.min(current, allowance);
                current = allowance;
                used = 0;
                period++;
            }
            Instant periodStart = anchorLocal.plusMonths(period).toInstant(ZoneOffset.UTC);
            Instant periodEnd = anchorLocal.plusMonths(period + 1).toInstant(ZoneOffset.UTC);
            Instant next = m.boundariesAhead() == 0 ? now : periodStart;
            next = next.plusSeconds(m.secondsPastBoundary());
            if (!next.isBefore(periodEnd)) next = periodEnd.minusSeconds(1);
            if (next.isAfter(now)) now = next;
            a.advanceTo(now);
            Balance b = a.balance();
            assertThat(b.available()).as("available").isEqualTo(carried + current);
            assertThat(b.carriedOver()).as("carried over").isEqualTo(carried);
            assertThat(b.current()).as("current").isEqualTo(current);
            assertThat(b.usedThisPeriod()).as("used this period").isEqualTo(used);
            assertThat(b.willCarryOver()).as("will carry over").isEqualTo(Math.min(current, allowance));
            assertThat(b.willExpire()).as("will expire").isEqualTo(carried + current - Math.min(current, allowance));
            assertThat(b.periodStart()).as("period start").isEqualTo(periodStart);
            assertThat(b.periodEnd()).as("period end").isEqualTo(periodEnd);
            RandomOps.checkInvariants(a, CATALOG, now);
        }
    }

    @Provide
    Arbitrary<String> plainPlans() {
        return Arbitraries.of("T1000", "T2000", "T4000", "T10000");
    }

    @Provide
    Arbitrary<LocalDateTime> anchors() {
        return RandomOps.localDateTimes();
    }

    @Example
    void refund_ofAUseMadeAtTheInstantOfAnImmediateCancellation_keepsUsedThisPeriodAtZero() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Account a = Account.restore(CATALOG, AccountState.fresh(ACC, ZoneOffset.UTC, t), List.of(), List.of(), List.of(), List.of());
        a.execute(new Command.BookAiPlan("T1000"), t);
        Outcome use = a.execute(new Command.Use(Actor.owner(ACC), "vibe_coding", 1), t);
        a.execute(new Command.CancelAiPlan(true), t); // the same instant: two requests in one batch of the engine
        String useId = ((Answer.Used) ((Outcome.Done) use).answer()).useIds().getFirst();

        Outcome refund = a.execute(new Command.Refund(useId), t.plusSeconds(3600));

        assertThat(refund).isInstanceOf(Outcome.Done.class);
        assertThat(a.balance().usedThisPeriod()).isZero();
        assertThat(a.state().usedThisPeriod()).isZero(); // throws today: "usedThisPeriod < 0"
    }

    @Example
    void articleExample_januaryToMarch_twoThousandAvailableNotTwoAndAHalf() {
        Instant jan = Instant.parse("2026-01-01T00:00:00Z");
        Account a = Account.restore(CATALOG, AccountState.fresh(ACC, ZoneOffset.UTC, jan), List.of(), List.of(), List.of(), List.of());
        assertThat(a.execute(new Command.BookAiPlan("T1000"), jan)).isInstanceOf(Outcome.Done.class);
        assertThat(a.execute(new Command.Use(Actor.owner(ACC), "vibe_coding", 50), jan.plusSeconds(86_400))).isInstanceOf(Outcome.Done.class);
        a.advanceTo(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(a.balance()).extracting(Balance::carriedOver, Balance::current, Balance::available)
                .containsExactly(500L, 1000L, 1500L);
        a.advanceTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(a.balance()).extracting(Balance::carriedOver, Balance::current, Balance::available)
                .containsExactly(1000L, 1000L, 2000L);
    }
}
