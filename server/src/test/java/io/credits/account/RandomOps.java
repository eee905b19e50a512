package io.credits.account;

import io.credits.catalog.Catalog;
import io.credits.hold.Hold;
import io.credits.hold.HoldStatus;
import io.credits.ledger.Entry;
import io.credits.ledger.EntryType;
import io.credits.ledger.Grant;
import io.credits.ledger.GrantKind;
import io.credits.ledger.Portion;
import io.credits.period.Periods;
import io.credits.plan.Term;
import io.credits.project.Role;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random operation sequences on accounts, their translation into commands, and the invariants of
 * RULES.md checked on a pure {@link Account}: shared by the property tests of the core and of the store.
 */
public final class RandomOps {
    private RandomOps() {}

    public static final List<String> ZONES = List.of("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo",
            "Australia/Sydney", "Pacific/Apia", "Pacific/Chatham", "America/Sao_Paulo", "Asia/Kolkata");
    /** AI plans to book or change to; the last is not in the catalog. */
    public static final List<String> AI_PLANS = List.of("T1000", "T2000", "T4000", "T10000", "FREE", "T999");
    /** Main plans; the last is not in the catalog. */
    public static final List<String> MAIN_PLANS = List.of("FREE", "ESSENTIAL", "PRO", "BUSINESS", "GOLD");
    /** Features; the last is not in the catalog. */
    public static final List<String> FEATURES = List.of("vibe_coding", "generate_page", "ai_image",
            "text_suggestion", "ai_writer", "teleport");
    /** Users other than the account's owner (index 0 stands for the owner). */
    public static final List<String> USERS = List.of("", "alice", "bob", "carol");
    /** Project indexes 0..2 name projects that may exist; this one never does. */
    public static final int UNKNOWN_PROJECT = 3;

    public static String project(int index) {
        return index == UNKNOWN_PROJECT ? "nowhere" : "p" + index;
    }

    // ---------------------------------------------------------------- operations

    /** Who acts: the owner directly (project -1), or a user (0 = the owner) in a project. */
    public record Who(int user, int project) {
        public boolean direct() {
            return project < 0;
        }
    }

    public sealed interface Op {}

    public sealed interface TimeOp extends Op {}

    public record Advance(Duration by) implements TimeOp {}

    /** To the end of the current period (or main-plan period), or that many seconds before it. */
    public record ToBoundary(long secondsBefore) implements TimeOp {}

    /** To the next instant something falls due (a hold or grant expiry, a boundary). */
    public record ToNextDue() implements TimeOp {}

    public record Use(Who who, int feature, long times) implements Op {}

    /** By feature or by credits; both or neither is malformed on purpose. */
    public record Reserve(Who who, Optional<Integer> feature, Optional<Long> credits, Duration ttl) implements Op {}

    /** percent empty: capture everything; 0..100: that share; 101: one more than held; -1: negative. */
    public record Capture(int hold, Optional<Integer> percent) implements Op {}

    public record Release(int hold) implements Op {}

    public record Refund(int use) implements Op {}

    public record Book(int plan) implements Op {}

    public record Change(int plan) implements Op {}

    /** A change to the AI plan in force. */
    public record ChangeToSame() implements Op {}

    public record Cancel(boolean immediately) implements Op {}

    public record ManualGrant(long credits, Optional<Duration> expiresIn) implements Op {}

    /** anchorAgo negative: an anchor in the future (malformed). */
    public record SetMain(int plan, Optional<Term> term, Optional<Duration> anchorAgo) implements Op {}

    public record EndMain() implements Op {}

    public record CreateProject(int project) implements Op {}

    public record Member(int project, int user, Optional<Role> role) implements Op {}

    // ---------------------------------------------------------------- generators

    /** Integers spread evenly (jqwik's default leans to the ends of the range). */
    public static Arbitrary<Integer> uniform(int min, int max) {
        return Arbitraries.integers().between(min, max).withDistribution(RandomDistribution.uniform());
    }

    public static Arbitrary<ZoneId> zones() {
        return Arbitraries.of(ZONES).map(ZoneId::of);
    }

    /** Local date-times 2024..2027 on any day (the 29th to 31st often), midnight, 02:30 (DST gaps) or any second. */
    public static Arbitrary<LocalDateTime> localDateTimes() {
        Arbitrary<LocalDate> dates = Combinators.combine(Arbitraries.integers().between(2024, 2027),
                Arbitraries.integers().between(1, 12),
                Arbitraries.frequency(Tuple.of(3, 0), Tuple.of(2, 28), Tuple.of(2, 29), Tuple.of(2, 30), Tuple.of(3, 31))
                        .flatMap(d -> d == 0 ? Arbitraries.integers().between(1, 31) : Arbitraries.just(d)))
                .as((y, m, d) -> {
                    LocalDate first = LocalDate.of(y, m, 1);
                    return first.withDayOfMonth(Math.min(d, first.lengthOfMonth()));
                });
        Arbitrary<LocalTime> times = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(LocalTime.MIDNIGHT)),
                Tuple.of(1, Arbitraries.just(LocalTime.of(2, 30))),
                Tuple.of(3, Arbitraries.integers().between(0, 86_399).map(LocalTime::ofSecondOfDay)));
        return Combinators.combine(dates, times).as(LocalDateTime::of);
    }

    public static Arbitrary<Duration> advances() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(1, 120).map(Duration::ofMinutes)),
                Tuple.of(2, Arbitraries.longs().between(1, 48).map(Duration::ofHours)),
                Tuple.of(3, Arbitraries.longs().between(60, 35L * 86_400).map(Duration::ofSeconds)),
                Tuple.of(1, Arbitraries.longs().between(28, 92).map(Duration::ofDays)));
    }

    public static Arbitrary<Who> whos() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(new Who(0, -1))),
                Tuple.of(5, Combinators.combine(Arbitraries.integers().between(0, USERS.size() - 1),
                        uniform(0, 15).map(i -> i < 12 ? 0 : i < 15 ? 1 : UNKNOWN_PROJECT)).as(Who::new)));
    }

    private static Arbitrary<Integer> features() {
        return Arbitraries.frequency(Tuple.of(8, 0), Tuple.of(3, 1), Tuple.of(2, 2), Tuple.of(2, 3), Tuple.of(3, 4),
                Tuple.of(1, 5));
    }

    private static Arbitrary<Duration> ttls() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(1, 120).map(Duration::ofMinutes)),
                Tuple.of(2, Arbitraries.longs().between(1, 7).map(Duration::ofDays)),
                Tuple.of(1, Arbitraries.longs().between(8 * 3600, 7 * 86_400).map(Duration::ofSeconds)),
                Tuple.of(1, Arbitraries.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofDays(7).plusSeconds(1))));
    }

    public static Arbitrary<Op> ops() {
        // Mostly the newest hold or use, often one of the last few, now and then an unknown one (30).
        Arbitrary<Integer> index = Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.just(0)), Tuple.of(5, Arbitraries.just(1)),
                Tuple.of(6, Arbitraries.integers().between(2, 29)), Tuple.of(1, Arbitraries.just(30)));
        Arbitrary<Op> advance = advances().map(Advance::new);
        Arbitrary<Op> boundary = Arbitraries.frequency(Tuple.of(6, 0L), Tuple.of(1, 1L), Tuple.of(1, 3600L)).map(ToBoundary::new);
        Arbitrary<Op> nextDue = Arbitraries.just(new ToNextDue());
        Arbitrary<Op> use = Combinators.combine(whos(), features(),
                Arbitraries.frequencyOf(Tuple.of(20, Arbitraries.longs().between(1, 5)), Tuple.of(5, Arbitraries.longs().between(6, 120)),
                        Tuple.of(3, Arbitraries.longs().between(121, 1200)),
                        Tuple.of(1, Arbitraries.of(0L, -1L, Account.TIMES_MAX, Account.TIMES_MAX + 1)))).as(Use::new);
        Arbitrary<Op> reserveFeature = Combinators.combine(whos(), features(), ttls())
                .as((w, f, t) -> new Reserve(w, Optional.of(f), Optional.empty(), t));
        Arbitrary<Op> reserveCredits = Combinators.combine(whos(),
                Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.longs().between(1, 500)),
                        Tuple.of(2, Arbitraries.longs().between(500, 12_000)), Tuple.of(1, Arbitraries.of(0L, -5L))),
                ttls()).as((w, c, t) -> new Reserve(w, Optional.empty(), Optional.of(c), t));
        Arbitrary<Op> reserveBad = Combinators.combine(whos(), features(), Arbitraries.of(true, false), ttls())
                .as((w, f, both, t) -> both ? new Reserve(w, Optional.of(f), Optional.of(10L), t)
                        : new Reserve(w, Optional.empty(), Optional.empty(), t));
        Arbitrary<Op> capture = Combinators.combine(index, Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(Optional.<Integer>empty())),
                Tuple.of(3, Arbitraries.integers().between(0, 100).map(Optional::of)),
                Tuple.of(1, Arbitraries.of(Optional.of(0), Optional.of(100))),
                Tuple.of(1, Arbitraries.of(Optional.of(101), Optional.of(-1))))).as(Capture::new);
        Arbitrary<Op> release = index.map(Release::new);
        Arbitrary<Op> refund = index.map(Refund::new);
        Arbitrary<Integer> aiPlan = Arbitraries.frequency(Tuple.of(4, 0), Tuple.of(3, 1), Tuple.of(2, 2), Tuple.of(2, 3),
                Tuple.of(2, 4), Tuple.of(1, 5));
        Arbitrary<Op> book = aiPlan.map(Book::new);
        Arbitrary<Op> change = aiPlan.map(Change::new);
        Arbitrary<Op> same = Arbitraries.just(new ChangeToSame());
        Arbitrary<Op> cancel = Arbitraries.of(true, false).map(Cancel::new);
        Arbitrary<Op> grant = Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.longs().between(1, 3000)), Tuple.of(1, Arbitraries.of(0L, -3L))),
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(Optional.<Duration>empty())),
                        Tuple.of(6, advances().map(Optional::of)),
                        Tuple.of(1, Arbitraries.of(Duration.ZERO, Duration.ofSeconds(-60)).map(Optional::of))))
                .as(ManualGrant::new);
        Arbitrary<Op> setMain = Combinators.combine(
                Arbitraries.frequency(Tuple.of(2, 0), Tuple.of(3, 1), Tuple.of(2, 2), Tuple.of(2, 3), Tuple.of(1, 4)),
                Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(Optional.<Term>empty())),
                        Tuple.of(3, Arbitraries.of(Term.class).map(Optional::of))),
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(Optional.<Duration>empty())),
                        Tuple.of(4, Arbitraries.longs().between(0, 400L * 86_400).map(s -> Optional.of(Duration.ofSeconds(s)))),
                        Tuple.of(1, Arbitraries.just(Optional.of(Duration.ofSeconds(-60))))))
                .as(SetMain::new);
        Arbitrary<Op> endMain = Arbitraries.just(new EndMain());
        Arbitrary<Op> createProject = Arbitraries.integers().between(0, 2).map(CreateProject::new);
        Arbitrary<Op> member = Combinators.combine(Arbitraries.integers().between(0, UNKNOWN_PROJECT),
                Arbitraries.integers().between(1, USERS.size() - 1),
                Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of(Role.class).map(Optional::of)),
                        Tuple.of(1, Arbitraries.just(Optional.<Role>empty())))).as(Member::new);
        return Arbitraries.frequencyOf(
                Tuple.of(12, use), Tuple.of(6, reserveFeature), Tuple.of(4, reserveCredits), Tuple.of(1, reserveBad),
                Tuple.of(7, capture), Tuple.of(3, release), Tuple.of(3, refund),
                Tuple.of(6, advance), Tuple.of(5, boundary), Tuple.of(2, nextDue),
                Tuple.of(3, book), Tuple.of(4, change), Tuple.of(1, same), Tuple.of(2, cancel), Tuple.of(2, grant),
                Tuple.of(2, setMain), Tuple.of(1, endMain), Tuple.of(1, createProject), Tuple.of(2, member));
    }

    // ---------------------------------------------------------------- translation

    /** A hold placed so far, with the credits it held. */
    public record HoldRef(String id, long credits) {}

    /** The instant a time operation moves to, seen from one account; null when it does not move. */
    public static Instant target(TimeOp op, Account a, Instant now) {
        return switch (op) {
            case Advance x -> now.plus(x.by());
            case ToNextDue x -> a == null ? null : a.nextDue();
            case ToBoundary x -> {
                Instant end = a == null ? null : a.aiPlan().map(ai -> ai.period().end())
                        .or(() -> a.mainPlan().map(m -> Periods.aligned(m.anchor(), a.zone(), now).end()))
                        .orElse(null);
                if (end == null) yield null;
                Instant t = end.minusSeconds(x.secondsBefore());
                yield t.isAfter(now) ? t : end;
            }
        };
    }

    /**
     * The command an operation stands for, for account {@code account} (null {@code a} when it does
     * not exist yet); {@code holds} and {@code uses} are what exist so far.
     */
    public static Command command(Op op, String account, Account a, List<HoldRef> holds, List<String> uses, Instant now) {
        return switch (op) {
            case TimeOp t -> throw new IllegalArgumentException("not a command: " + t);
            case Use x -> new Command.Use(actor(x.who(), account), FEATURES.get(x.feature()), x.times());
            case Reserve x -> new Command.Reserve(actor(x.who(), account), x.feature().map(FEATURES::get), x.credits(), x.ttl());
            case Capture x -> {
                HoldRef h = pick(holds, x.hold(), new HoldRef(Ids.of("hold", account, 999_999), 10));
                Optional<Long> credits = x.percent().map(p -> p == 101 ? h.credits() + 1 : p < 0 ? -1 : h.credits() * p / 100);
                yield new Command.Capture(h.id(), credits);
            }
            case Release x -> new Command.Release(pick(holds, x.hold(), new HoldRef(Ids.of("hold", account, 999_998), 0)).id());
            case Refund x -> new Command.Refund(pick(uses, x.use(), Ids.of("use", account, 999_997)));
            case Book x -> new Command.BookAiPlan(AI_PLANS.get(x.plan()));
            case Change x -> new Command.ChangeAiPlan(AI_PLANS.get(x.plan()));
            case ChangeToSame x -> new Command.ChangeAiPlan(a == null ? "T1000" : a.aiPlan().map(ai -> ai.plan()).orElse("T1000"));
            case Cancel x -> new Command.CancelAiPlan(x.immediately());
            case ManualGrant x -> new Command.ManualGrant(x.credits(), x.expiresIn().map(now::plus), "goodwill", "ops");
            case SetMain x -> new Command.SetMainPlan(MAIN_PLANS.get(x.plan()), x.term(), x.anchorAgo().map(now::minus));
            case EndMain x -> new Command.EndMainPlan();
            case CreateProject x -> new Command.CreateProject(project(x.project()));
            case Member x -> new Command.SetMember(project(x.project()), USERS.get(x.user()), x.role());
        };
    }

    public static Actor actor(Who who, String account) {
        if (who.direct()) return Actor.owner(account);
        String user = who.user() == 0 ? account : USERS.get(who.user());
        return Actor.inProject(project(who.project()), user);
    }

    /** The i-th newest of the list (modulo its size), or the unknown one for i = 30 or an empty list. */
    static <T> T pick(List<T> list, int i, T unknown) {
        if (list.isEmpty() || i >= 30) return unknown;
        return list.get(list.size() - 1 - i % list.size());
    }

    // ---------------------------------------------------------------- invariants

    /** What a refused command must leave exactly as it was (events aside). */
    public record Snapshot(AccountState state, int entries, List<String> grants, int charges, Map<String, Hold> holds,
                           Map<String, UseRecord> uses, Map<String, ?> projects) {}

    public static Snapshot snapshot(Account a) {
        List<String> grants = new ArrayList<>();
        a.grants().stream().sorted(java.util.Comparator.comparingLong(g -> g.seq)).forEach(g -> grants.add(g.toString()));
        Map<String, Hold> holds = new TreeMap<>();
        a.holds().forEach(h -> holds.put(h.id(), h));
        return new Snapshot(a.state(), a.changes().entries.size(), grants, a.changes().charges.size(), holds,
                new TreeMap<>(a.changes().uses), new TreeMap<>(a.changes().projects));
    }

    /**
     * The invariants of RULES.md on an account restored empty and driven only by commands since,
     * so that {@code changes()} holds its whole ledger. Call after {@code advanceTo(now)}.
     */
    public static void checkInvariants(Account a, Catalog catalog, Instant now) {
        Balance b = a.balance();
        long carried = 0, current = 0, other = 0;
        for (Grant g : a.grants()) {
            if (!g.isLive()) continue;
            switch (g.kind) {
                case CARRY_OVER -> carried += g.remaining();
                case ALLOWANCE, TOP_UP -> current += g.remaining();
                case MANUAL -> other += g.remaining();
            }
        }
        assertThat(b.available()).as("available").isNotNegative().isEqualTo(carried + current + other).isEqualTo(a.available());
        assertThat(b.carriedOver()).as("carried over").isEqualTo(carried);
        assertThat(b.current()).as("current").isEqualTo(current);

        // held = the open holds, per grant and in all
        long openHeld = 0;
        Map<Long, Long> heldByGrant = new HashMap<>();
        for (Hold h : a.holds()) {
            if (h.status() != HoldStatus.OPEN) continue;
            assertThat(h.expiresAt()).as("open hold %s past its expiry", h.id()).isAfter(now);
            openHeld += h.credits();
            for (Portion p : h.portions()) heldByGrant.merge(p.grantSeq(), p.credits(), Long::sum);
        }
        assertThat(b.held()).as("held").isEqualTo(openHeld);
        for (Grant g : a.grants())
            assertThat(g.held()).as("held of grant %s", g).isEqualTo(heldByGrant.getOrDefault(g.seq, 0L));

        // every grant is what its entries say
        Map<Long, long[]> sums = new HashMap<>();
        for (Entry e : a.changes().entries) {
            assertThat(e.effectiveAt()).as("entry in the future: %s", e).isBeforeOrEqualTo(now);
            if (e.grantSeq() == 0) {
                assertThat(e.credits()).as("entry without a grant: %s", e).isZero();
                continue;
            }
            long[] s = sums.computeIfAbsent(e.grantSeq(), k -> new long[6]); // granted remaining held used expired carriedOut
            long n = e.credits();
            switch (e.type()) {
                case GRANT -> { s[0] += n; s[1] += n; }
                case USE -> { s[1] -= n; s[3] += n; }
                case HOLD -> { s[1] -= n; s[2] += n; }
                case CAPTURE -> { s[2] -= n; s[3] += n; }
                case RELEASE -> { s[2] -= n; s[1] += n; }
                case REFUND -> { s[3] -= n; s[1] += n; }
                case EXPIRE -> { s[1] -= n; s[4] += n; }
                case CARRY_OUT -> { s[1] -= n; s[5] += n; }
            }
        }
        Map<Long, Grant> bySeq = new HashMap<>();
        a.grants().forEach(g -> bySeq.put(g.seq, g));
        assertThat(bySeq.keySet()).as("grants named by entries").containsExactlyInAnyOrderElementsOf(sums.keySet());
        for (Grant g : a.grants()) {
            long[] s = sums.get(g.seq);
            assertThat(new long[]{g.granted(), g.remaining(), g.held(), g.used(), g.expired(), g.carriedOut()})
                    .as("buckets of %s against its entries (granted, remaining, held, used, expired, carried out)", g)
                    .containsExactly(s);
            assertThat(g.remaining()).as("remaining of %s", g).isNotNegative();
            if (g.isLive() && g.expiresAt != null)
                assertThat(g.expiresAt).as("live grant past its expiry: %s", g).isAfter(now);
            if (g.closed()) assertThat(g.remaining()).as("closed grant with credits: %s", g).isZero();
        }

        // carry-over: capped by the plan renewed at its creation, never carried on
        for (Grant g : a.grants()) {
            if (g.kind != GrantKind.CARRY_OVER) continue;
            List<Charge> renewals = a.changes().charges.stream()
                    .filter(c -> c.reason().equals("renewal") && c.effectiveAt().equals(g.createdAt)).toList();
            assertThat(renewals).as("renewal charge at the carry-over %s", g).hasSize(1);
            long allowance = catalog.aiPlan(renewals.getFirst().plan()).orElseThrow().credits();
            assertThat(g.granted()).as("carry-over %s into %s", g, renewals.getFirst().plan()).isLessThanOrEqualTo(allowance);
            assertThat(g.carriedOut()).as("carry-over carried on: %s", g).isZero();
        }
        for (Entry e : a.changes().entries)
            if (e.type() == EntryType.CARRY_OUT)
                assertThat(bySeq.get(e.grantSeq()).kind).as("CARRY_OUT from %s", e).isNotEqualTo(GrantKind.CARRY_OVER);

        // used this period: the uses numbered after the count last started again, less their refunds
        AccountState s = a.state();
        long usedNow = 0, usedLive = 0;
        for (UseRecord u : a.changes().uses.values()) {
            if (u.refunded()) continue;
            usedLive += u.credits();
            if (u.seq() > s.usageFromSeq()) usedNow += u.credits();
        }
        assertThat(b.usedThisPeriod()).as("used this period").isEqualTo(usedNow);
        assertThat(a.grants().stream().mapToLong(Grant::used).sum()).as("used of all grants = live uses").isEqualTo(usedLive);

        // will carry over / will expire
        long cap = a.aiPlan().filter(ai -> !ai.cancellationDue())
                .flatMap(ai -> catalog.aiPlan(ai.nextPlan())).map(Catalog.AiPlan::credits).orElse(0L);
        assertThat(b.willCarryOver()).as("will carry over").isNotNegative().isLessThanOrEqualTo(cap)
                .isLessThanOrEqualTo(b.current());
        assertThat(b.willExpire()).as("will expire").isNotNegative();
        assertThat(b.willCarryOver() + b.willExpire()).as("will carry over + will expire").isLessThanOrEqualTo(b.available());
        if (a.aiPlan().isPresent()) {
            assertThat(b.periodStart()).as("period start").isBeforeOrEqualTo(now);
            assertThat(b.periodEnd()).as("period end").isAfter(now);
        }

        // money
        assertThat(b.chargedCents()).as("charged cents").isEqualTo(a.changes().charges.stream().mapToLong(Charge::cents).sum());
    }
}
