package io.credits.store;

import io.credits.account.Account;
import io.credits.account.AccountState;
import io.credits.account.Actor;
import io.credits.account.Answer;
import io.credits.account.Balance;
import io.credits.account.Command;
import io.credits.account.Ids;
import io.credits.account.Outcome;
import io.credits.account.RandomOps;
import io.credits.account.RandomOps.HoldRef;
import io.credits.account.RandomOps.Op;
import io.credits.account.RandomOps.TimeOp;
import io.credits.account.RefusalCode;
import io.credits.catalog.Catalog;
import io.credits.catalog.CatalogLoader;
import io.credits.ledger.Grant;
import io.credits.project.Role;
import io.credits.store.Engine.Request;
import io.credits.store.Engine.Target;
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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Driven by random sequences over a few accounts and their projects, the engine on PostgreSQL
 * answers and counts exactly like the pure account in memory after every step, replays a request
 * with its idempotency key without changing anything, refuses a reused key with another request,
 * and leaves a store that reconciles.
 */
class EnginePropertiesTest {
    static final Catalog CATALOG = CatalogLoader.defaultCatalog();

    sealed interface Step {}

    /** An operation for account {@code account} (modulo the accounts of the run). */
    record Act(int account, Op op) implements Step {}

    /** The k-th newest request done so far, sent again with its key. */
    record Replay(int k) implements Step {}

    /** The key of the k-th newest request done so far, with another request for the same account. */
    record ReuseKey(int k) implements Step {}

    /** Requests submitted together, at one instant; the first again at the end when asked. */
    record Burst(List<Act> acts, boolean repeatFirst) implements Step {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> act = Combinators.combine(RandomOps.uniform(0, 2), RandomOps.ops()).as(Act::new);
        Arbitrary<Integer> k = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0)), Tuple.of(2, RandomOps.uniform(1, 20)));
        // Projects are created and joined one at a time: a burst routes its project requests before any of it runs.
        Arbitrary<Act> burstAct = Combinators.combine(RandomOps.uniform(0, 2), RandomOps.ops().filter(op ->
                !(op instanceof TimeOp || op instanceof RandomOps.CreateProject || op instanceof RandomOps.Member))).as(Act::new);
        Arbitrary<Step> burst = Combinators.combine(burstAct.list().ofMinSize(2).ofMaxSize(6), Arbitraries.of(false, false, true))
                .as(Burst::new);
        return Arbitraries.frequencyOf(Tuple.of(24, act), Tuple.of(2, k.map(Replay::new)), Tuple.of(1, k.map(ReuseKey::new)),
                        Tuple.of(3, burst))
                .list().ofMinSize(5).ofMaxSize(45);
    }

    @Provide
    Arbitrary<List<Optional<String>>> bookings() {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(Optional.<String>empty())),
                Tuple.of(3, Arbitraries.of("T1000", "T2000", "T4000", "T10000").map(Optional::of))).list().ofMinSize(2).ofMaxSize(3);
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return RandomOps.zones();
    }

    @Provide
    Arbitrary<LocalDateTime> starts() {
        return RandomOps.localDateTimes();
    }

    @Property(tries = 30, shrinking = ShrinkingMode.BOUNDED)
    void engineOnPostgres_answersAndCountsLikeThePureAccount_afterEveryStep(
            @ForAll("zones") ZoneId zone, @ForAll("starts") LocalDateTime start,
            @ForAll("bookings") List<Optional<String>> bookings, @ForAll("steps") List<Step> steps) {
        try (Twin twin = new Twin(zone, start.atZone(zone).toInstant(), bookings.size())) {
            for (int i = 0; i < twin.accounts; i++) {
                int account = i;
                bookings.get(i).ifPresent(p -> twin.act(account, new RandomOps.Book(RandomOps.AI_PLANS.indexOf(p))));
            }
            twin.act(0, new RandomOps.CreateProject(0));
            twin.act(0, new RandomOps.Member(0, 1, Optional.of(Role.EDITOR)));
            twin.act(0, new RandomOps.Member(0, 2, Optional.of(Role.VIEWER)));
            for (Step s : steps) {
                switch (s) {
                    case Act a -> twin.act(a.account() % twin.accounts, a.op());
                    case Replay r -> twin.replay(r.k());
                    case ReuseKey r -> twin.reuseKey(r.k());
                    case Burst b -> twin.burst(b.acts(), b.repeatFirst());
                }
            }
            twin.clock.set(twin.clock.instant().plus(Duration.ofDays(70)));
            twin.engine.catchUp(10, n -> { });
            twin.compareAll();
            assertThat(Verifier.verify(twin.db.dataSource(), CATALOG).violations()).as("reconciliation").isEmpty();
        }
    }

    @Example
    void refund_ofAUseMadeAtTheInstantOfAnImmediateCancellation_isDone() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        try (Database db = EmbeddedServer.shared().freshDatabase(2);
             Engine engine = new Engine(db.dataSource(), CATALOG, Clock.fixed(t, ZoneOffset.UTC), ZoneOffset.UTC, 1)) {
            Target acc = new Target.OfAccount("acc", true);
            engine.execute(new Request(acc, new Command.BookAiPlan("T1000"), "book"));
            Outcome use = engine.execute(new Request(acc, new Command.Use(Actor.owner("acc"), "vibe_coding", 1), "use"));
            engine.execute(new Request(acc, new Command.CancelAiPlan(true), "cancel"));
            String useId = ((Answer.Used) ((Outcome.Done) use).answer()).useIds().getFirst();

            Outcome refund = engine.execute(new Request(new Target.OfUse(useId), new Command.Refund(useId), "refund"));

            assertThat(refund).isInstanceOf(Outcome.Done.class);
            assertThat(engine.read("acc").orElseThrow().balance().usedThisPeriod()).isZero();
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** The same requests sent to an engine on a fresh database and to pure accounts in memory. */
    static final class Twin implements AutoCloseable {
        final Database db = EmbeddedServer.shared().freshDatabase(2);
        final MutableClock clock;
        final Engine engine;
        final ZoneId zone;
        final int accounts;
        final Map<String, Account> pure = new TreeMap<>();
        final List<HoldRef> holds = new ArrayList<>();
        final List<String> uses = new ArrayList<>();
        final List<Sent> done = new ArrayList<>();
        /** Uses made at the instant a booking or cancellation restarted the count: refunding them is a known bug. */
        final Set<String> usedAtReset = new HashSet<>();
        int keys;

        record Sent(Request request, Outcome outcome, String account) {}

        Twin(ZoneId zone, Instant start, int accounts) {
            this.zone = zone;
            this.accounts = accounts;
            this.clock = new MutableClock(start);
            this.engine = new Engine(db.dataSource(), CATALOG, clock, zone, 1);
        }

        static String account(int i) {
            return "a" + i;
        }

        Instant now() {
            return clock.instant();
        }

        void act(int i, Op op) {
            String acc = account(i);
            if (op instanceof TimeOp t) {
                Instant to = RandomOps.target(t, pure.get(acc), now());
                if (to != null && to.isAfter(now())) clock.set(to);
                compare(acc);
                return;
            }
            Prepared p = prepare(i, op);
            if (p == null) return;
            check(p, engine.execute(p.request()));
            compare(p.owner());
        }

        /**
         * Several requests at one instant, submitted together so that the engine's lane takes them
         * into one transaction; the pure accounts take them in the same order. With {@code repeatFirst}
         * the first request comes again at the end, as a client's retry would.
         */
        void burst(List<Act> acts, boolean repeatFirst) {
            List<Prepared> prepared = new ArrayList<>();
            for (Act a : acts) {
                Prepared p = prepare(a.account() % accounts, a.op());
                if (p != null) prepared.add(p);
            }
            if (prepared.isEmpty()) return;
            if (repeatFirst) {
                Prepared first = prepared.getFirst();
                Outcome again = first.expected();
                if (again instanceof Outcome.Refused) { // a refusal is not stored: the retry is asked anew
                    again = pureExecute(first.request().target(), first.request().command(), new String[1]);
                    noteRestart(first.request().command(), again, first.owner());
                }
                prepared.add(new Prepared(first.request(), again, first.owner()));
            }
            List<CompletableFuture<Outcome>> futures = new ArrayList<>();
            for (Prepared p : prepared) futures.add(engine.submit(p.request()));
            for (int k = 0; k < prepared.size(); k++) check(prepared.get(k), futures.get(k).join());
            prepared.stream().map(Prepared::owner).distinct().forEach(this::compare);
        }

        record Prepared(Request request, Outcome expected, String owner) {}

        /** The request an operation stands for, and what the pure accounts answered to it; null to skip it. */
        Prepared prepare(int i, Op op) {
            String acc = account(i);
            Command c = RandomOps.command(op, acc, pure.get(acc), holds, uses, now());


            Target target = switch (c) {
                case Command.Use u when u.actor().projectId().isPresent() -> new Target.OfProject(u.actor().projectId().get());
                case Command.Reserve r when r.actor().projectId().isPresent() -> new Target.OfProject(r.actor().projectId().get());
                case Command.Capture x -> new Target.OfHold(x.holdId());
                case Command.Release x -> new Target.OfHold(x.holdId());
                case Command.Refund x -> new Target.OfUse(x.useId());
                default -> new Target.OfAccount(acc, true);
            };
            Request request = new Request(target, c, "k" + (++keys));
            String[] owner = new String[1];
            Outcome expected = pureExecute(target, c, owner);
            noteRestart(c, expected, owner[0]);
            return new Prepared(request, expected, owner[0]);
        }

        /** After a booking or an immediate cancellation, the uses made at that very instant (see usedAtReset). */
        void noteRestart(Command c, Outcome o, String owner) {
            if (o instanceof Outcome.Done && (c instanceof Command.BookAiPlan || c instanceof Command.CancelAiPlan x && x.immediately()))
                pure.get(owner).changes().uses.values().stream().filter(u -> u.at().equals(now()))
                        .forEach(u -> usedAtReset.add(u.id()));
        }

        /** The engine's outcome against the pure one; what was done is remembered for later steps. */
        void check(Prepared p, Outcome actual) {
            if (p.expected() instanceof Outcome.Refused e) {
                assertThat(actual).as("%s: the pure account refused with %s (%s)", p.request(), e.code(), e.detail())
                        .isInstanceOfSatisfying(Outcome.Refused.class, r -> assertThat(r.code()).isEqualTo(e.code()));
                return;
            }
            assertThat(actual).as("%s", p.request()).isEqualTo(p.expected());
            done.add(new Sent(p.request(), actual, p.owner()));
            switch (((Outcome.Done) actual).answer()) {
                case Answer.Held h -> holds.add(new HoldRef(h.holdId(), h.credits()));
                case Answer.Used u -> uses.addAll(u.useIds());
                case Answer.Captured x -> { if (x.useId() != null) uses.add(x.useId()); }
                default -> { }
            }
        }

        /** What the pure accounts answer, routed as the engine routes. */
        Outcome pureExecute(Target target, Command c, String[] owner) {
            Optional<Outcome.Refused> invalid = Account.invalid(c);
            if (invalid.isPresent()) return invalid.get();
            owner[0] = switch (target) {
                case Target.OfAccount t -> t.account();
                case Target.OfProject t -> pure.values().stream().filter(a -> a.project(t.project()).isPresent())
                        .map(Account::id).findFirst().orElse(null);
                case Target.OfHold t -> Ids.parse("hold", t.holdId()).map(Ids.Parsed::account).orElse(null);
                case Target.OfUse t -> Ids.parse("use", t.useId()).map(Ids.Parsed::account).orElse(null);
            };
            if (owner[0] == null) return Outcome.refuse(RefusalCode.NOT_FOUND, "no owner");
            Account a = pure.get(owner[0]);
            boolean fresh = a == null;
            if (fresh) {
                if (!(target instanceof Target.OfAccount t && t.create())) return Outcome.refuse(RefusalCode.NOT_FOUND, "no account");
                a = Account.restore(CATALOG, AccountState.fresh(owner[0], zone, now()), List.of(), List.of(), List.of(), List.of());
            }
            Outcome o;
            if (c instanceof Command.CreateProject p && ownedByAnother(p.projectId(), owner[0])) {
                a.advanceTo(now());
                o = Outcome.refuse(RefusalCode.CONFLICT, "project of another account");
            } else {
                o = a.execute(c, now());
            }
            // An account comes into being with its first accepted request, not with a refused one.
            if (fresh && o instanceof Outcome.Done) pure.put(owner[0], a);
            return o;
        }

        boolean ownedByAnother(String project, String account) {
            return pure.values().stream().anyMatch(a -> !a.id().equals(account) && a.project(project).isPresent());
        }

        void replay(int k) {
            if (done.isEmpty()) return;
            Sent s = done.get(done.size() - 1 - k % done.size());
            Balance before = engine.read(s.account()).orElseThrow().balance();
            assertThat(engine.execute(s.request())).as("replay of %s", s.request()).isEqualTo(s.outcome());
            assertThat(engine.read(s.account()).orElseThrow().balance()).as("balance after a replay of %s", s.request())
                    .isEqualTo(before);
            compare(s.account());
        }

        void reuseKey(int k) {
            if (done.isEmpty()) return;
            Sent s = done.get(done.size() - 1 - k % done.size());
            Request other = new Request(new Target.OfAccount(s.account(), false),
                    new Command.ManualGrant(7, Optional.empty(), "another request", "ops"), s.request().idempotencyKey());
            Balance before = engine.read(s.account()).orElseThrow().balance();
            assertThat(engine.execute(other)).as("%s after %s", other, s.request())
                    .isInstanceOfSatisfying(Outcome.Refused.class,
                            r -> assertThat(r.code()).isEqualTo(RefusalCode.IDEMPOTENCY_CONFLICT));
            assertThat(engine.read(s.account()).orElseThrow().balance()).as("balance after a reused key").isEqualTo(before);
            compare(s.account());
        }

        void compareAll() {
            for (int i = 0; i < accounts; i++) compare(account(i));
        }

        /** The same balance, state and active grants in the store as in memory (null: no account was named). */
        void compare(String id) {
            if (id == null) return;
            Optional<Account> stored = engine.read(id);
            Account mem = pure.get(id);
            assertThat(stored.isPresent()).as("%s exists in the store", id).isEqualTo(mem != null);
            if (mem == null) return;
            mem.advanceTo(now());
            RandomOps.checkInvariants(mem, CATALOG, now());
            Account s = stored.get();
            assertThat(s.balance()).as("balance of %s at %s", id, now()).isEqualTo(mem.balance());
            assertThat(s.state()).as("state of %s", id).isEqualTo(mem.state());
            assertThat(active(s)).as("active grants of %s", id).isEqualTo(active(mem));
        }

        static List<String> active(Account a) {
            return a.grants().stream().filter(g -> g.isLive() || g.held() > 0)
                    .sorted(Comparator.comparingLong(g -> g.seq)).map(Grant::toString).toList();
        }

        @Override
        public void close() {
            engine.close();
            db.close();
        }
    }
}
