package io.credits.account;

import io.credits.account.Command.BookAiPlan;
import io.credits.account.Command.CancelAiPlan;
import io.credits.account.Command.Capture;
import io.credits.account.Command.ChangeAiPlan;
import io.credits.account.Command.CreateProject;
import io.credits.account.Command.EndMainPlan;
import io.credits.account.Command.ManualGrant;
import io.credits.account.Command.Refund;
import io.credits.account.Command.Release;
import io.credits.account.Command.Reserve;
import io.credits.account.Command.SetMainPlan;
import io.credits.account.Command.SetMember;
import io.credits.account.Command.UpdateAccount;
import io.credits.account.Command.Use;
import io.credits.account.Outcome.Done;
import io.credits.account.Outcome.Refused;
import io.credits.catalog.Catalog;
import io.credits.catalog.Catalog.AiPlan;
import io.credits.catalog.Catalog.Feature;
import io.credits.hold.Hold;
import io.credits.hold.HoldStatus;
import io.credits.ledger.Cause;
import io.credits.ledger.Entry;
import io.credits.ledger.EntryType;
import io.credits.ledger.Grant;
import io.credits.ledger.GrantKind;
import io.credits.ledger.Portion;
import io.credits.period.Period;
import io.credits.period.Periods;
import io.credits.period.Proration;
import io.credits.plan.AiSubscription;
import io.credits.plan.MainPlan;
import io.credits.plan.Term;
import io.credits.project.Project;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.credits.account.RefusalCode.CONFLICT;
import static io.credits.account.RefusalCode.FEATURE_NOT_IN_PLAN;
import static io.credits.account.RefusalCode.FORBIDDEN;
import static io.credits.account.RefusalCode.HOLD_EXPIRED;
import static io.credits.account.RefusalCode.INSUFFICIENT_CREDITS;
import static io.credits.account.RefusalCode.INVALID_REQUEST;
import static io.credits.account.RefusalCode.NOT_FOUND;

/**
 * One account's credits and plans: the rules of RULES.md as plain Java, with no I/O.
 *
 * <p>The store loads an account (its row, its live grants, its open holds, and whatever the
 * commands at hand name), the account brings itself up to date to the instant of the request and
 * decides, and the store writes {@link #changes()} in one transaction. Every command checks all
 * its refusals before it changes anything, so a refused command changes no credits; it may still
 * record an event (an editor refused, credits exhausted).
 */
public final class Account {
    /** The longest a hold may be kept: a generation that takes longer has been lost. */
    public static final Duration HOLD_TTL_MAX = Duration.ofDays(7);
    /** The most charges one command may make at once. */
    public static final long TIMES_MAX = 100_000;
    public static final String EDITOR_NOTICE = "the owner of this project has no AI credits left";

    private final Catalog catalog;
    private final String id;
    private String name;
    private ZoneId zone;
    private MainPlan main;
    private AiSubscription ai;
    private long usedThisPeriod;
    private long usageFromSeq;
    private long chargedCents;
    private long lastSeq;
    private Long lowThreshold;
    private final Instant createdAt;
    private Instant caughtUpTo;
    private final Map<Long, Grant> grants = new HashMap<>();
    private final Map<String, Hold> holds = new HashMap<>();
    private final Map<String, UseRecord> uses = new HashMap<>();
    private final Map<String, Project> projects = new HashMap<>();
    private final Changes changes = new Changes();

    private Account(Catalog catalog, AccountState s) {
        this.catalog = catalog;
        this.id = s.id();
        this.name = s.name();
        this.zone = s.zone();
        this.main = s.main();
        this.ai = s.ai();
        this.usedThisPeriod = s.usedThisPeriod();
        this.usageFromSeq = s.usageFromSeq();
        this.chargedCents = s.chargedCents();
        this.lastSeq = s.lastSeq();
        this.lowThreshold = s.lowThreshold();
        this.createdAt = s.createdAt();
        this.caughtUpTo = s.caughtUpTo();
    }

    /**
     * Rebuilds an account from what the store holds. {@code grants} must hold every live grant and
     * every grant that a given hold or use took credits from.
     */
    public static Account restore(Catalog catalog, AccountState state, Collection<Grant> grants,
                                  Collection<Hold> holds, Collection<UseRecord> uses, Collection<Project> projects) {
        Account a = new Account(catalog, state);
        grants.forEach(g -> a.grants.put(g.seq, g));
        holds.forEach(h -> a.holds.put(h.id(), h));
        uses.forEach(u -> a.uses.put(u.id(), u));
        projects.forEach(p -> a.projects.put(p.id(), p));
        return a;
    }

    public String id() {
        return id;
    }

    public Changes changes() {
        return changes;
    }

    public Grant grant(long seq) {
        return grants.get(seq);
    }

    public AccountState state() {
        return new AccountState(id, name, zone, main, ai, usedThisPeriod, usageFromSeq, chargedCents, lastSeq,
                lowThreshold, createdAt, caughtUpTo, nextDue());
    }

    public ZoneId zone() {
        return zone;
    }

    public Optional<Project> project(String projectId) {
        return Optional.ofNullable(projects.get(projectId));
    }

    // ---------------------------------------------------------------- commands

    /** Brings the account up to {@code now}, then acts. */
    public Outcome execute(Command command, Instant now) {
        advanceTo(now);
        Optional<Refused> invalid = invalid(command);
        if (invalid.isPresent()) return invalid.get();
        return switch (command) {
            case UpdateAccount c -> updateAccount(c);
            case SetMainPlan c -> setMainPlan(c, now);
            case EndMainPlan c -> endMainPlan();
            case BookAiPlan c -> book(c, now);
            case ChangeAiPlan c -> change(c, now);
            case CancelAiPlan c -> cancel(c, now);
            case CreateProject c -> createProject(c);
            case SetMember c -> setMember(c);
            case Use c -> use(c, now);
            case Reserve c -> reserve(c, now);
            case Capture c -> capture(c, now);
            case Release c -> release(c, now);
            case Refund c -> refund(c, now);
            case ManualGrant c -> manualGrant(c, now);
        };
    }

    private Outcome updateAccount(UpdateAccount c) {
        c.name().ifPresent(n -> name = n);
        c.timeZone().ifPresent(z -> zone = z);
        return ok();
    }

    private Outcome setMainPlan(SetMainPlan c, Instant now) {
        if (c.anchor().filter(a -> a.isAfter(now)).isPresent())
            return refuse(INVALID_REQUEST, "anchor must not be in the future: " + c.anchor().get());
        if (main == null && c.term().isEmpty())
            return refuse(INVALID_REQUEST, "term is required to start a main plan (monthly or yearly)");
        if (!catalog.hasMainPlan(c.plan()))
            return refuse(NOT_FOUND, "no main plan '" + c.plan() + "' in the catalog; plans: " + catalog.mainPlans());
        Term term = c.term().orElseGet(() -> main.term());
        boolean reanchor = main == null || term != main.term() || c.anchor().isPresent();
        Instant anchor = reanchor ? c.anchor().orElse(now) : main.anchor();
        main = new MainPlan(c.plan(), term, anchor);
        if (ai != null && !ai.anchor().equals(anchor)) {
            // The AI plan keeps its period, then bridges to the new anchor at its next boundary.
            ai = ai.withAnchor(anchor);
        }
        return ok();
    }

    private Outcome endMainPlan() {
        if (main == null) return refuse(CONFLICT, "the account has no main plan to end");
        main = null; // the AI plan keeps its own anchor
        return ok();
    }

    private Outcome book(BookAiPlan c, Instant now) {
        Optional<AiPlan> found = catalog.aiPlan(c.plan());
        if (found.isEmpty()) return refuse(NOT_FOUND, "no AI plan '" + c.plan() + "' in the catalog");
        AiPlan plan = found.get();
        if (plan.isFree()) return refuse(CONFLICT, "FREE cannot be booked: it is having no AI plan");
        if (ai != null) return refuse(CONFLICT, "an AI plan (" + ai.plan() + ") is active: change it instead");
        Instant anchor = main != null ? main.anchor() : now;
        Period aligned = Periods.aligned(anchor, zone, now);
        long daysLeft = Periods.daysLeft(now, aligned.end(), zone);
        long credits = Proration.credits(plan.credits(), daysLeft, aligned.daysInPeriod());
        long cents = Proration.cents(plan.priceCents(), daysLeft, aligned.daysInPeriod());
        ai = new AiSubscription(plan.name(), plan.name(), anchor, aligned, now);
        usedThisPeriod = 0;
        usageFromSeq = lastSeq;
        newGrant(GrantKind.ALLOWANCE, credits, now, aligned.end(), Cause.BOOKING, null);
        charge(cents, "booking", plan.name(), now, aligned);
        event("plan.booked", now, Map.of("plan", plan.name(), "credits", credits, "cents", cents,
                "periodStart", aligned.start().toString(), "periodEnd", aligned.end().toString()));
        return ok();
    }

    private Outcome change(ChangeAiPlan c, Instant now) {
        Optional<AiPlan> found = catalog.aiPlan(c.plan());
        if (found.isEmpty()) return refuse(NOT_FOUND, "no AI plan '" + c.plan() + "' in the catalog");
        if (ai == null) return refuse(CONFLICT, "the account has no AI plan to change: book one first");
        AiPlan target = found.get();
        AiPlan current = catalog.aiPlan(ai.plan()).orElseThrow();
        if (target.isFree()) {
            if (ai.cancellationDue()) return refuse(CONFLICT, "a cancellation is already due at the period's end");
            ai = ai.withNextPlan(Catalog.FREE);
            event("plan.cancelled", now, Map.of("plan", ai.plan(), "effectiveAt", ai.period().end().toString()));
            return ok();
        }
        if (target.name().equals(current.name())) {
            if (ai.nextPlan().equals(current.name()))
                return refuse(CONFLICT, "the account is already on " + current.name() + " with nothing pending");
            ai = ai.withNextPlan(current.name()); // undoes a pending downgrade or cancellation
        } else if (target.credits() > current.credits()) {
            upgrade(current, target, now);
        } else {
            ai = ai.withNextPlan(target.name());
        }
        event("plan.changed", now, Map.of("plan", ai.plan(), "nextPlan", ai.nextPlan()));
        return ok();
    }

    /** At once: a prorated top-up and a prorated charge over the period's own day count. */
    private void upgrade(AiPlan from, AiPlan to, Instant now) {
        Period p = ai.period();
        long daysLeft = Math.min(Periods.daysLeft(now, p.end(), zone), p.daysInPeriod());
        long credits = Proration.credits(to.credits() - from.credits(), daysLeft, p.daysInPeriod());
        long cents = Proration.cents(Math.max(0, to.priceCents() - from.priceCents()), daysLeft, p.daysInPeriod());
        ai = ai.withPlan(to.name(), to.name());
        newGrant(GrantKind.TOP_UP, credits, now, p.end(), Cause.UPGRADE, null);
        charge(cents, "upgrade", to.name(), now, p);
    }

    private Outcome cancel(CancelAiPlan c, Instant now) {
        if (ai == null) return refuse(CONFLICT, "the account has no AI plan to cancel");
        if (c.immediately()) {
            String plan = ai.plan();
            endAiPlan(now);
            event("plan.cancelled", now, Map.of("plan", plan, "effectiveAt", now.toString()));
            return ok();
        }
        if (ai.cancellationDue()) return refuse(CONFLICT, "a cancellation is already due at the period's end");
        ai = ai.withNextPlan(AiSubscription.CANCELLED);
        event("plan.cancelled", now, Map.of("plan", ai.plan(), "effectiveAt", ai.period().end().toString()));
        return ok();
    }

    private Outcome createProject(CreateProject c) {
        Project existing = projects.get(c.projectId());
        if (existing != null && !existing.account().equals(id))
            return refuse(CONFLICT, "project '" + c.projectId() + "' belongs to another account");
        if (existing == null) {
            Project p = new Project(c.projectId(), id, Map.of());
            projects.put(p.id(), p);
            changes.projects.put(p.id(), p);
            changes.newProjects.add(p.id());
        }
        return ok();
    }

    private Outcome setMember(SetMember c) {
        Project p = projects.get(c.projectId());
        if (p == null || !p.account().equals(id)) return refuse(NOT_FOUND, "no project '" + c.projectId() + "'");
        Project changed = p.withMember(c.userId(), c.role());
        projects.put(p.id(), changed);
        changes.projects.put(p.id(), changed);
        return ok();
    }

    private Outcome use(Use c, Instant now) {
        Optional<Refused> actorRefusal = checkActor(c.actor());
        if (actorRefusal.isPresent()) return actorRefusal.get();
        Optional<Feature> found = catalog.feature(c.feature());
        if (found.isEmpty()) return refuse(NOT_FOUND, "no feature '" + c.feature() + "' in the catalog");
        Feature feature = found.get();
        Optional<Refused> planRefusal = checkIncluded(feature);
        if (planRefusal.isPresent()) return planRefusal.get();
        long total = Math.multiplyExact(feature.cost(), c.times());
        long before = available();
        if (before < total) return insufficient(c.actor(), total, before, now);
        List<String> ids = new ArrayList<>();
        for (long i = 0; i < c.times(); i++) ids.add(spendOne(c.actor(), feature, now).id());
        usedThisPeriod += total;
        noticeLow(before, now);
        return new Done(new Answer.Used(id, ids, total, available(), c.actor().userId(),
                c.actor().projectId().orElse(null), feature.name()));
    }

    private UseRecord spendOne(Actor actor, Feature feature, Instant now) {
        long seq = ++lastSeq;
        String useId = Ids.of("use", id, seq);
        String project = actor.projectId().orElse(null);
        List<Portion> portions = take(feature.cost(), EntryType.USE, Cause.USE, now, useId, actor, feature.name());
        if (feature.cost() == 0)
            changes.entries.add(new Entry(0, EntryType.USE, Cause.USE, 0, now, useId, actor.userId(), project, feature.name()));
        UseRecord use = new UseRecord(useId, seq, feature.cost(), portions, now, actor.userId(), project,
                feature.name(), null, null);
        putUse(use, true);
        return use;
    }

    private Outcome reserve(Reserve c, Instant now) {
        Optional<Refused> actorRefusal = checkActor(c.actor());
        if (actorRefusal.isPresent()) return actorRefusal.get();
        long amount;
        String featureName = null;
        if (c.feature().isPresent()) {
            Optional<Feature> found = catalog.feature(c.feature().get());
            if (found.isEmpty()) return refuse(NOT_FOUND, "no feature '" + c.feature().get() + "' in the catalog");
            Optional<Refused> planRefusal = checkIncluded(found.get());
            if (planRefusal.isPresent()) return planRefusal.get();
            amount = found.get().cost();
            featureName = found.get().name();
        } else {
            amount = c.credits().get();
        }
        long before = available();
        if (before < amount) return insufficient(c.actor(), amount, before, now);
        String holdId = Ids.of("hold", id, ++lastSeq);
        List<Portion> portions = take(amount, EntryType.HOLD, Cause.HOLD, now, holdId, c.actor(), featureName);
        Hold hold = new Hold(holdId, amount, portions, now, now.plus(c.ttl()), HoldStatus.OPEN, 0, null,
                c.actor().userId(), c.actor().projectId().orElse(null), featureName);
        putHold(hold, true);
        noticeLow(before, now);
        return new Done(new Answer.Held(id, holdId, amount, hold.expiresAt(), available()));
    }

    private Outcome capture(Capture c, Instant now) {
        Hold h = holds.get(c.holdId());
        if (h == null) return refuse(NOT_FOUND, "no hold '" + c.holdId() + "'");
        long n = c.credits().orElse(h.credits());
        if (n > h.credits())
            return refuse(INVALID_REQUEST, "credits " + n + " exceed the " + h.credits() + " held by " + h.id());
        Optional<Refused> closed = closedHold(h, true);
        if (closed.isPresent()) return closed.get();
        List<Portion> kept = new ArrayList<>();
        List<Portion> back = new ArrayList<>();
        split(h.portions(), n, kept, back);
        for (Portion p : kept) {
            Grant g = grants.get(p.grantSeq());
            g.apply(EntryType.CAPTURE, p.credits());
            changedGrant(g);
            changes.entries.add(new Entry(g.seq, EntryType.CAPTURE, Cause.CAPTURE, p.credits(), now, h.id(),
                    h.userId(), h.projectId(), h.feature()));
        }
        giveBack(back, EntryType.RELEASE, Cause.RELEASE, now, h.id());
        String useId = null;
        if (n > 0) {
            long seq = ++lastSeq;
            useId = Ids.of("use", id, seq);
            putUse(new UseRecord(useId, seq, n, kept, now, h.userId(), h.projectId(), h.feature(), h.id(), null), true);
            usedThisPeriod += n;
        }
        putHold(h.close(n > 0 ? HoldStatus.CAPTURED : HoldStatus.RELEASED, n, now), false);
        return new Done(new Answer.Captured(id, h.id(), n, h.credits() - n, available(), useId));
    }

    private Outcome release(Release c, Instant now) {
        Hold h = holds.get(c.holdId());
        if (h == null) return refuse(NOT_FOUND, "no hold '" + c.holdId() + "'");
        Optional<Refused> closed = closedHold(h, false);
        if (closed.isPresent()) return closed.get();
        giveBack(h.portions(), EntryType.RELEASE, Cause.RELEASE, now, h.id());
        putHold(h.close(HoldStatus.RELEASED, 0, now), false);
        return new Done(new Answer.Released(id, h.id(), h.credits(), available()));
    }

    /** RULES.md decision 13: a hold that expired by itself can no longer be captured, nor released. */
    private Optional<Refused> closedHold(Hold h, boolean capturing) {
        return switch (h.status()) {
            case OPEN -> Optional.empty();
            case CAPTURED -> Optional.of(refuse(CONFLICT, "hold " + h.id() + " was already captured"));
            case RELEASED -> Optional.of(refuse(CONFLICT, "hold " + h.id() + " was already released"));
            case CANCELLED -> Optional.of(refuse(CONFLICT, "hold " + h.id() + " was released when the AI plan was cancelled"));
            case EXPIRED -> Optional.of(capturing
                    ? refuse(HOLD_EXPIRED, "hold " + h.id() + " expired at " + h.expiresAt())
                    : refuse(CONFLICT, "hold " + h.id() + " expired at " + h.expiresAt() + " and was released by itself"));
        };
    }

    private Outcome refund(Refund c, Instant now) {
        UseRecord u = uses.get(c.useId());
        if (u == null) return refuse(NOT_FOUND, "no use '" + c.useId() + "'");
        if (u.refunded()) return refuse(CONFLICT, "use " + u.id() + " was already refunded at " + u.refundedAt());
        giveBack(u.portions(), EntryType.REFUND, Cause.REFUND, now, u.id());
        // Numbers, not instants: a use at the very instant the count started again may precede it.
        if (u.seq() > usageFromSeq) usedThisPeriod -= u.credits();
        putUse(u.refundedAt(now), false);
        return new Done(new Answer.Refunded(id, u.id(), u.credits(), available()));
    }

    private Outcome manualGrant(ManualGrant c, Instant now) {
        if (c.expiresAt().filter(e -> !e.isAfter(now)).isPresent())
            return refuse(INVALID_REQUEST, "expiresAt must lie in the future: " + c.expiresAt().get());
        String reason = c.reason() + (c.operator() == null || c.operator().isBlank() ? "" : " (by " + c.operator() + ")");
        Grant g = newGrant(GrantKind.MANUAL, c.credits(), now, c.expiresAt().orElse(null), Cause.MANUAL_GRANT, reason);
        event("grant.created", now, Map.of("credits", c.credits(), "reason", c.reason(),
                "operator", c.operator() == null ? "" : c.operator()));
        return new Done(new Answer.Granted(id, g.seq, c.credits(), g.expiresAt, available()));
    }

    // ---------------------------------------------------------------- checks

    /**
     * The checks that need nothing but the command itself. They come first of all refusals
     * (RULES.md decision 15), so the shell may also make them before it finds the account.
     */
    public static Optional<Refused> invalid(Command command) {
        String why = switch (command) {
            case Use c when c.times() < 1 || c.times() > TIMES_MAX ->
                    "times must be between 1 and " + TIMES_MAX + ": " + c.times();
            case Reserve c when c.feature().isPresent() == c.credits().isPresent() ->
                    "a hold takes either feature or credits, not both or neither";
            case Reserve c when c.credits().filter(n -> n < 1).isPresent() ->
                    "credits must be at least 1: " + c.credits().get();
            case Reserve c when c.ttl().isNegative() || c.ttl().isZero() || c.ttl().compareTo(HOLD_TTL_MAX) > 0 ->
                    "ttl must be positive and at most " + HOLD_TTL_MAX.toSeconds() + " seconds: " + c.ttl();
            case Capture c when c.credits().filter(n -> n < 0).isPresent() ->
                    "credits must not be negative: " + c.credits().get();
            case ManualGrant c when c.credits() < 1 -> "credits must be at least 1: " + c.credits();
            case ManualGrant c when c.reason() == null || c.reason().isBlank() -> "reason is required";
            default -> null;
        };
        return why == null ? Optional.empty() : Optional.of(refuse(INVALID_REQUEST, why));
    }

    private Optional<Refused> checkActor(Actor actor) {
        if (actor.projectId().isEmpty()) return Optional.empty();
        Project p = projects.get(actor.projectId().get());
        if (p == null || !p.account().equals(id))
            return Optional.of(refuse(NOT_FOUND, "no project '" + actor.projectId().get() + "'"));
        if (!p.maySpend(actor.userId()))
            return Optional.of(refuse(FORBIDDEN, "user '" + actor.userId() + "' is not the owner or an editor of project '"
                    + p.id() + "'" + p.role(actor.userId()).map(r -> " (" + r.code() + ")").orElse("")));
        return Optional.empty();
    }

    private Optional<Refused> checkIncluded(Feature feature) {
        String aiPlan = ai == null ? Catalog.FREE : ai.plan();
        if (catalog.includes(feature, aiPlan, Optional.ofNullable(main).map(MainPlan::plan))) return Optional.empty();
        String why = feature.needsAiPlan()
                ? "the AI plan " + aiPlan + " does not include " + feature.name()
                : feature.name() + " needs a main plan of " + feature.minMainPlan().orElse("any rank") + " or higher";
        return Optional.of(refuse(FEATURE_NOT_IN_PLAN, why));
    }

    private Refused insufficient(Actor actor, long needed, long available, Instant now) {
        boolean editor = !actor.userId().equals(id);
        event("credits.exhausted", now, Map.of("needed", needed, "available", available));
        if (editor) {
            event("editor.refused", now, Map.of("project", actor.projectId().orElse(""), "user", actor.userId(),
                    "needed", needed, "available", available));
            return refuse(INSUFFICIENT_CREDITS, EDITOR_NOTICE + " (" + needed + " needed, " + available + " available)");
        }
        return refuse(INSUFFICIENT_CREDITS, needed + " credits needed, " + available + " available");
    }

    private void noticeLow(long before, Instant now) {
        long threshold = lowThreshold();
        long after = available();
        if (threshold > 0 && before >= threshold && after < threshold)
            event("credits.low", now, Map.of("available", after, "threshold", threshold));
    }

    /** Credits below which the owner is told: the account's own setting, or 10% of the allowance. */
    public long lowThreshold() {
        if (lowThreshold != null) return lowThreshold;
        if (ai == null) return 0;
        return defaultLowThreshold(catalog, ai.plan());
    }

    /** The threshold of an account on this AI plan that set none: 10% of the plan's allowance. */
    public static long defaultLowThreshold(Catalog catalog, String aiPlan) {
        return catalog.aiPlan(aiPlan).map(p -> p.credits() / 10).orElse(0L);
    }

    // ---------------------------------------------------------------- time

    /**
     * Applies everything due up to and including {@code t}, instant by instant: at each instant,
     * hold expiries, then grant expiries, then the period boundary (RULES.md decision 5).
     */
    public void advanceTo(Instant t) {
        for (Instant next = nextDue(); next != null && !next.isAfter(t); next = nextDue()) {
            expireHolds(next);
            expireGrants(next);
            if (ai != null && ai.period().end().equals(next)) boundary(next);
        }
        if (t.isAfter(caughtUpTo)) caughtUpTo = t;
    }

    /** The next instant at which something falls due, or null. */
    public Instant nextDue() {
        Instant next = ai == null ? null : ai.period().end();
        for (Hold h : holds.values())
            if (h.isOpen()) next = min(next, h.expiresAt());
        for (Grant g : grants.values())
            if (g.isLive() && g.expiresAt != null && !(ai != null && g.kind.isPeriodOwn())) next = min(next, g.expiresAt);
        return next;
    }

    private void expireHolds(Instant t) {
        for (Hold h : sortedHolds()) {
            if (!h.isOpen() || h.expiresAt().isAfter(t)) continue;
            giveBack(h.portions(), EntryType.RELEASE, Cause.HOLD_EXPIRY, h.expiresAt(), h.id());
            putHold(h.close(HoldStatus.EXPIRED, 0, h.expiresAt()), false);
            event("hold.expired", h.expiresAt(), Map.of("hold", h.id(), "credits", h.credits()));
        }
    }

    /** Ends grants whose expiry has come; a period's own grants end with their period instead. */
    private void expireGrants(Instant t) {
        for (Grant g : liveGrants()) {
            if (g.expiresAt == null || g.expiresAt.isAfter(t)) continue;
            if (ai != null && g.kind.isPeriodOwn()) continue;
            expire(g, Cause.EXPIRY, g.expiresAt);
        }
    }

    /** The end of a period: carry-over and a new period, or the cancellation taking effect. */
    private void boundary(Instant t) {
        if (ai.cancellationDue()) {
            endAiPlan(t);
            return;
        }
        AiPlan next = catalog.aiPlan(ai.nextPlan()).filter(p -> !p.isFree()).orElse(null);
        if (next == null) { // the plan left the catalog: nothing can renew
            endAiPlan(t);
            return;
        }
        List<Grant> own = liveGrants().stream().filter(g -> g.kind.isPeriodOwn()).toList();
        long unused = own.stream().mapToLong(Grant::remaining).sum();
        long carry = Math.min(unused, next.credits());
        Period aligned = Periods.aligned(ai.anchor(), zone, t);
        Period period = new Period(t, aligned.end(), aligned.daysInPeriod());
        long toCarry = carry;
        for (Grant g : own) {
            long k = Math.min(toCarry, g.remaining());
            if (k > 0) {
                g.apply(EntryType.CARRY_OUT, k);
                changes.entries.add(Entry.of(g.seq, EntryType.CARRY_OUT, Cause.CARRY_OVER, k, t));
                toCarry -= k;
            }
            expire(g, Cause.EXPIRY, t);
        }
        newGrant(GrantKind.CARRY_OVER, carry, t, period.end(), Cause.CARRY_OVER, null);
        // A period that starts on the anchor's own boundary is full; a bridge to a new anchor is prorated.
        long daysLeft = Periods.daysLeft(t, period.end(), zone);
        boolean full = aligned.start().equals(t);
        long credits = full ? next.credits() : Proration.credits(next.credits(), daysLeft, period.daysInPeriod());
        long cents = full ? next.priceCents() : Proration.cents(next.priceCents(), daysLeft, period.daysInPeriod());
        ai = ai.renewed(next.name(), period);
        usedThisPeriod = 0;
        usageFromSeq = lastSeq;
        newGrant(GrantKind.ALLOWANCE, credits, t, period.end(), Cause.RENEWAL, null);
        charge(cents, "renewal", next.name(), t, period);
        event("period.renewed", t, Map.of("plan", next.name(), "carriedOver", carry, "credits", credits,
                "cents", cents, "periodStart", period.start().toString(), "periodEnd", period.end().toString()));
    }

    /** A cancellation takes effect: holds released, every credit expires, no further periods. */
    private void endAiPlan(Instant t) {
        for (Hold h : sortedHolds()) {
            if (!h.isOpen()) continue;
            giveBack(h.portions(), EntryType.RELEASE, Cause.CANCELLATION, t, h.id());
            putHold(h.close(HoldStatus.CANCELLED, 0, t), false);
        }
        for (Grant g : liveGrants()) expire(g, Cause.CANCELLATION, t);
        ai = null;
        usedThisPeriod = 0;
        usageFromSeq = lastSeq;
    }

    // ---------------------------------------------------------------- credits

    public long available() {
        long sum = 0;
        for (Grant g : grants.values()) if (g.isLive()) sum += g.remaining();
        return sum;
    }

    /** Takes n credits from the live grants in burn order; the caller has checked they suffice. */
    private List<Portion> take(long n, EntryType type, Cause cause, Instant now, String ref, Actor actor, String feature) {
        List<Portion> portions = new ArrayList<>();
        long left = n;
        for (Grant g : liveGrants()) {
            if (left == 0) break;
            long k = Math.min(left, g.remaining());
            if (k == 0) continue;
            g.apply(type, k);
            changedGrant(g);
            changes.entries.add(new Entry(g.seq, type, cause, k, now, ref, actor.userId(),
                    actor.projectId().orElse(null), feature));
            portions.add(new Portion(g.seq, k));
            left -= k;
        }
        if (left != 0) throw new IllegalStateException("took " + (n - left) + " of " + n + " credits: caller must check");
        return portions;
    }

    /** Returns credits to the grants they came from; where a grant has ended they expire at once. */
    private void giveBack(List<Portion> portions, EntryType type, Cause cause, Instant at, String ref) {
        for (Portion p : portions) {
            Grant g = grants.get(p.grantSeq());
            if (g == null) throw new IllegalStateException("grant " + p.grantSeq() + " of " + ref + " was not loaded");
            g.apply(type, p.credits());
            changes.entries.add(new Entry(g.seq, type, cause, p.credits(), at, ref, null, null, null));
            if (g.closed()) {
                g.apply(EntryType.EXPIRE, p.credits());
                changes.entries.add(new Entry(g.seq, EntryType.EXPIRE, Cause.EXPIRY, p.credits(), at, ref, null, null, null));
            }
            changedGrant(g);
        }
    }

    private void expire(Grant g, Cause cause, Instant at) {
        long left = g.remaining();
        if (left > 0) {
            g.apply(EntryType.EXPIRE, left);
            changes.entries.add(Entry.of(g.seq, EntryType.EXPIRE, cause, left, at));
        }
        g.close();
        changedGrant(g);
    }

    private Grant newGrant(GrantKind kind, long credits, Instant at, Instant expiresAt, Cause cause, String reason) {
        if (credits <= 0) return null;
        Grant g = new Grant(++lastSeq, kind, 0, at, expiresAt, reason);
        g.apply(EntryType.GRANT, credits);
        grants.put(g.seq, g);
        changes.newGrants.add(g.seq);
        changes.entries.add(Entry.of(g.seq, EntryType.GRANT, cause, credits, at));
        return g;
    }

    private void charge(long cents, String reason, String plan, Instant at, Period period) {
        chargedCents = Math.addExact(chargedCents, cents);
        changes.charges.add(new Charge(cents, catalog.currency(), reason, plan, at, period.start(), period.end()));
    }

    private void event(String type, Instant at, Map<String, Object> data) {
        changes.events.add(new Event(type, at, data));
    }

    private void changedGrant(Grant g) {
        if (!changes.newGrants.contains(g.seq)) changes.changedGrants.add(g.seq);
    }

    private void putHold(Hold h, boolean isNew) {
        holds.put(h.id(), h);
        changes.holds.put(h.id(), h);
        if (isNew) changes.newHolds.add(h.id());
    }

    private void putUse(UseRecord u, boolean isNew) {
        uses.put(u.id(), u);
        changes.uses.put(u.id(), u);
        if (isNew) changes.newUses.add(u.id());
    }

    private List<Grant> liveGrants() {
        return grants.values().stream().filter(Grant::isLive).sorted(Grant.BURN_ORDER).toList();
    }

    private List<Hold> sortedHolds() {
        return holds.values().stream()
                .sorted(java.util.Comparator.comparing(Hold::expiresAt).thenComparing(Hold::id)).toList();
    }

    /** Splits portions into the first n credits and the rest. */
    private static void split(List<Portion> portions, long n, List<Portion> first, List<Portion> rest) {
        long left = n;
        for (Portion p : portions) {
            long k = Math.min(left, p.credits());
            if (k > 0) first.add(new Portion(p.grantSeq(), k));
            if (p.credits() - k > 0) rest.add(new Portion(p.grantSeq(), p.credits() - k));
            left -= k;
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private Outcome ok() {
        return new Done(new Answer.Ok(id, snapshot()));
    }

    /** Settings and plans as they are now. */
    public AccountSnapshot snapshot() {
        return new AccountSnapshot(id, name, zone, createdAt, main, ai, lowThreshold());
    }

    private static Refused refuse(RefusalCode code, String detail) {
        return Outcome.refuse(code, detail);
    }

    // ---------------------------------------------------------------- reading

    /** The account's credits now; call {@link #advanceTo} first. */
    public Balance balance() {
        long carried = 0, current = 0, other = 0, otherEndingByPeriodEnd = 0, held = 0;
        Instant carriedExpiry = null;
        Instant periodStart = null, periodEnd = null;
        if (ai != null) {
            periodStart = ai.period().start();
            periodEnd = ai.period().end();
        } else if (main != null) {
            Period p = Periods.aligned(main.anchor(), zone, caughtUpTo);
            periodStart = p.start();
            periodEnd = p.end();
        }
        for (Grant g : grants.values()) {
            if (!g.isLive()) continue;
            switch (g.kind) {
                case CARRY_OVER -> { carried += g.remaining(); carriedExpiry = g.remaining() > 0 ? min(carriedExpiry, g.expiresAt) : carriedExpiry; }
                case ALLOWANCE, TOP_UP -> current += g.remaining();
                case MANUAL -> {
                    other += g.remaining();
                    if (g.expiresAt != null && periodEnd != null && !g.expiresAt.isAfter(periodEnd))
                        otherEndingByPeriodEnd += g.remaining();
                }
            }
        }
        for (Hold h : holds.values()) if (h.isOpen()) held += h.credits();
        long available = carried + current + other;
        long willCarry = 0, willExpire;
        if (ai != null && !ai.cancellationDue()) {
            long cap = catalog.aiPlan(ai.nextPlan()).map(AiPlan::credits).orElse(0L);
            willCarry = Math.min(current, cap);
            willExpire = carried + (current - willCarry) + otherEndingByPeriodEnd;
        } else if (ai != null) {
            willExpire = available;
        } else {
            willExpire = otherEndingByPeriodEnd;
        }
        return new Balance(id, available, held, carried, current, usedThisPeriod, willCarry, willExpire,
                ai == null ? Catalog.FREE : ai.plan(), ai == null ? AiSubscription.CANCELLED : ai.nextPlan(),
                periodStart, periodEnd, chargedCents, catalog.currency(), carriedExpiry);
    }

    public Optional<MainPlan> mainPlan() {
        return Optional.ofNullable(main);
    }

    public Optional<AiSubscription> aiPlan() {
        return Optional.ofNullable(ai);
    }

    public Collection<Grant> grants() {
        return grants.values();
    }

    public Collection<Hold> holds() {
        return holds.values();
    }
}
