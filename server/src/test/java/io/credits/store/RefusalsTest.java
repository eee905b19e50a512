package io.credits.store;

import io.credits.account.Account;
import io.credits.account.Actor;
import io.credits.account.Answer;
import io.credits.account.Command;
import io.credits.account.Ids;
import io.credits.account.Outcome;
import io.credits.account.RefusalCode;
import io.credits.catalog.Catalog;
import io.credits.catalog.CatalogLoader;
import io.credits.plan.Term;
import io.credits.project.Role;
import io.credits.store.Engine.Request;
import io.credits.store.Engine.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.credits.account.RefusalCode.CONFLICT;
import static io.credits.account.RefusalCode.FEATURE_NOT_IN_PLAN;
import static io.credits.account.RefusalCode.FORBIDDEN;
import static io.credits.account.RefusalCode.HOLD_EXPIRED;
import static io.credits.account.RefusalCode.IDEMPOTENCY_CONFLICT;
import static io.credits.account.RefusalCode.INSUFFICIENT_CREDITS;
import static io.credits.account.RefusalCode.INVALID_REQUEST;
import static io.credits.account.RefusalCode.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every refusal of RULES.md, in each of its situations, comes out of the engine on PostgreSQL with
 * its code and leaves every row (ledger, grants and their buckets, holds, uses, charges, the account)
 * and the balance exactly as they were; where several apply, decision 15 decides which one wins.
 */
class RefusalsTest {
    static final Catalog CATALOG = CatalogLoader.defaultCatalog();
    static final Instant T0 = Instant.parse("2026-03-10T09:00:00Z");
    private static final AtomicInteger TESTS = new AtomicInteger();
    /** Everything a refusal must leave alone; outbox_events is left out: a refusal may tell the owner. */
    static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("accounts", "account_id");
        TABLES.put("grants", "account_id, grant_seq");
        TABLES.put("ledger_entries", "account_id, entry_id");
        TABLES.put("holds", "account_id, hold_id");
        TABLES.put("uses", "account_id, use_id");
        TABLES.put("charges", "account_id, charge_id");
        TABLES.put("projects", "account_id, project_id");
        TABLES.put("project_members", "account_id, project_id, user_id");
        TABLES.put("subscriptions", "account_id, change_id");
        TABLES.put("idempotency_keys", "account_id, idem_key");
    }

    /** One database for the class (a fresh one per test costs more than the tests); each test has its own ids. */
    static Database db;
    EnginePropertiesTest.MutableClock clock;
    Engine engine;
    String acc, other, project, ghost;
    int keys;

    @BeforeAll
    static void openDatabase() {
        db = EmbeddedServer.shared().freshDatabase(2);
    }

    @AfterAll
    static void closeDatabase() {
        try {
            assertThat(Verifier.verify(db.dataSource(), CATALOG).violations()).isEmpty();
        } finally {
            db.close();
        }
    }

    @BeforeEach
    void open() {
        int n = TESTS.incrementAndGet();
        acc = "acme-" + n;
        other = "globex-" + n;
        project = "site-" + n;
        ghost = "ghost-" + n;
        clock = new EnginePropertiesTest.MutableClock(T0);
        engine = new Engine(db.dataSource(), CATALOG, clock, ZoneOffset.UTC, 1);
    }

    @AfterEach
    void close() {
        try {
            assertThat(Verifier.verify(db.dataSource(), CATALOG).violations()).isEmpty();
        } finally {
            engine.close();
        }
    }

    // ---------------------------------------------------------------- insufficient_credits

    @Test
    void use_costingMoreThanAvailable_isInsufficientCredits() {
        book(acc, "T1000");
        refusedAndNothingChanged(INSUFFICIENT_CREDITS, account(acc), use(acc, "vibe_coding", 101));
    }

    @Test
    void reserve_ofMoreCreditsThanAvailable_isInsufficientCredits() {
        book(acc, "T1000");
        refusedAndNothingChanged(INSUFFICIENT_CREDITS, account(acc), reserveCredits(Actor.owner(acc), 1001));
    }

    @Test
    void editorUse_whenTheOwnerHasNoCreditsLeft_isInsufficientCredits_toldToTheEditorAndTheOwner() {
        book(acc, "T1000");
        project(acc, project, "alice", Role.EDITOR);
        done(account(acc), use(acc, "vibe_coding", 100));
        Outcome.Refused r = refusedAndNothingChanged(INSUFFICIENT_CREDITS, new Target.OfProject(project),
                new Command.Use(Actor.inProject(project, "alice"), "ai_image", 1));
        assertThat(r.detail()).contains(Account.EDITOR_NOTICE);
        assertThat(events(acc, "editor.refused")).isEqualTo(1);
        assertThat(events(acc, "credits.exhausted")).isEqualTo(1);
    }

    // ---------------------------------------------------------------- feature_not_in_plan

    @Test
    void use_ofAnAiFeatureWithoutAnAiPlan_isFeatureNotInPlan() {
        done(account(acc), new Command.SetMainPlan("BUSINESS", Optional.of(Term.MONTHLY), Optional.empty()));
        done(account(acc), new Command.ManualGrant(500, Optional.empty(), "goodwill", "ops"));
        refusedAndNothingChanged(FEATURE_NOT_IN_PLAN, account(acc), use(acc, "vibe_coding", 1));
        refusedAndNothingChanged(FEATURE_NOT_IN_PLAN, account(acc),
                new Command.Reserve(Actor.owner(acc), Optional.of("generate_page"), Optional.empty(), Duration.ofMinutes(10)));
    }

    @Test
    void aiWriter_belowTheEssentialMainPlan_isFeatureNotInPlan() {
        book(acc, "T10000"); // an AI plan does not open the AI Writer: the main plan does
        refusedAndNothingChanged(FEATURE_NOT_IN_PLAN, account(acc), use(acc, "ai_writer", 1));
        done(account(acc), new Command.SetMainPlan("FREE", Optional.of(Term.YEARLY), Optional.empty()));
        refusedAndNothingChanged(FEATURE_NOT_IN_PLAN, account(acc), use(acc, "ai_writer", 1));
    }

    // ---------------------------------------------------------------- forbidden

    @Test
    void use_byAViewer_isForbidden() {
        book(acc, "T1000");
        project(acc, project, "bob", Role.VIEWER);
        refusedAndNothingChanged(FORBIDDEN, new Target.OfProject(project), new Command.Use(Actor.inProject(project, "bob"), "vibe_coding", 1));
        refusedAndNothingChanged(FORBIDDEN, new Target.OfProject(project),
                new Command.Reserve(Actor.inProject(project, "bob"), Optional.empty(), Optional.of(10L), Duration.ofMinutes(5)));
    }

    @Test
    void use_byAStrangerOrTheOwnerOfAnotherAccount_isForbidden() {
        book(acc, "T1000");
        book(other, "T1000");
        project(acc, project, "alice", Role.EDITOR);
        refusedAndNothingChanged(FORBIDDEN, new Target.OfProject(project), new Command.Use(Actor.inProject(project, "mallory"), "vibe_coding", 1));
        refusedAndNothingChanged(FORBIDDEN, new Target.OfProject(project), new Command.Use(Actor.inProject(project, other), "vibe_coding", 1));
    }

    @Test
    void use_byARemovedEditor_isForbiddenAtOnce() {
        book(acc, "T1000");
        project(acc, project, "alice", Role.EDITOR);
        done(new Target.OfProject(project), new Command.Use(Actor.inProject(project, "alice"), "vibe_coding", 1));
        done(account(acc), new Command.SetMember(project, "alice", Optional.empty()));
        refusedAndNothingChanged(FORBIDDEN, new Target.OfProject(project), new Command.Use(Actor.inProject(project, "alice"), "vibe_coding", 1));
    }

    // ---------------------------------------------------------------- not_found

    @Test
    void anyRequest_forAnUnknownAccount_isNotFound_andCreatesNoAccount() {
        book(acc, "T1000");
        refusedAndNothingChanged(NOT_FOUND, new Target.OfAccount(ghost, false), use(ghost, "vibe_coding", 1));
        refusedAndNothingChanged(NOT_FOUND, new Target.OfAccount(ghost, false), new Command.CancelAiPlan(true));
        assertThat(engine.read(ghost)).isEmpty();
    }

    @Test
    void use_inAnUnknownProject_isNotFound() {
        book(acc, "T1000");
        refusedAndNothingChanged(NOT_FOUND, new Target.OfProject("nowhere"), new Command.Use(Actor.inProject("nowhere", acc), "vibe_coding", 1));
        // named by the account itself, a project it does not own is unknown to it
        book(other, "T1000");
        project(other, project, "alice", Role.EDITOR);
        refusedAndNothingChanged(NOT_FOUND, account(acc), new Command.Use(Actor.inProject(project, "alice"), "vibe_coding", 1));
        refusedAndNothingChanged(NOT_FOUND, account(acc), new Command.SetMember("nowhere", "alice", Optional.of(Role.EDITOR)));
    }

    @Test
    void captureOrRelease_ofAnUnknownHold_isNotFound() {
        book(acc, "T1000");
        String unknown = Ids.of("hold", acc, 4242);
        refusedAndNothingChanged(NOT_FOUND, new Target.OfHold(unknown), new Command.Capture(unknown, Optional.empty()));
        refusedAndNothingChanged(NOT_FOUND, new Target.OfHold(unknown), new Command.Release(unknown));
        refusedAndNothingChanged(NOT_FOUND, new Target.OfHold("hold_garbage"), new Command.Capture("hold_garbage", Optional.of(1L)));
        String ofGhost = Ids.of("hold", ghost, 1);
        refusedAndNothingChanged(NOT_FOUND, new Target.OfHold(ofGhost), new Command.Release(ofGhost));
    }

    @Test
    void refund_ofAnUnknownUse_isNotFound() {
        book(acc, "T1000");
        String unknown = Ids.of("use", acc, 4242);
        refusedAndNothingChanged(NOT_FOUND, new Target.OfUse(unknown), new Command.Refund(unknown));
        String hold = holdId(done(account(acc), reserveCredits(Actor.owner(acc), 10)));
        // a hold's id names no use
        refusedAndNothingChanged(NOT_FOUND, new Target.OfUse(hold), new Command.Refund(hold));
    }

    @Test
    void unknownPlans_areNotFound() {
        done(account(acc), new Command.SetMainPlan("PRO", Optional.of(Term.MONTHLY), Optional.empty()));
        refusedAndNothingChanged(NOT_FOUND, account(acc), new Command.BookAiPlan("T999"));
        refusedAndNothingChanged(NOT_FOUND, account(acc), new Command.SetMainPlan("GOLD", Optional.of(Term.YEARLY), Optional.empty()));
        book(acc, "T1000");
        refusedAndNothingChanged(NOT_FOUND, account(acc), new Command.ChangeAiPlan("t2000"));
    }

    @Test
    void use_ofAnUnknownFeature_isNotFound() {
        book(acc, "T1000");
        refusedAndNothingChanged(NOT_FOUND, account(acc), use(acc, "teleport", 1));
        refusedAndNothingChanged(NOT_FOUND, account(acc),
                new Command.Reserve(Actor.owner(acc), Optional.of("teleport"), Optional.empty(), Duration.ofMinutes(5)));
    }

    // ---------------------------------------------------------------- conflict

    @Test
    void booking_whileAnAiPlanIsActive_orBookingFree_isConflict() {
        book(acc, "T1000");
        refusedAndNothingChanged(CONFLICT, account(acc), new Command.BookAiPlan("T2000"));
        refusedAndNothingChanged(CONFLICT, account(acc), new Command.BookAiPlan("T1000"));
        done(account(other), new Command.SetMainPlan("PRO", Optional.of(Term.MONTHLY), Optional.empty()));
        refusedAndNothingChanged(CONFLICT, account(other), new Command.BookAiPlan("FREE"));
    }

    @Test
    void changing_toThePlanInForceWithNothingPending_orWithoutAnAiPlan_isConflict() {
        done(account(other), new Command.SetMainPlan("PRO", Optional.of(Term.MONTHLY), Optional.empty()));
        refusedAndNothingChanged(CONFLICT, account(other), new Command.ChangeAiPlan("T2000"));
        book(acc, "T2000");
        refusedAndNothingChanged(CONFLICT, account(acc), new Command.ChangeAiPlan("T2000"));
        done(account(acc), new Command.ChangeAiPlan("T1000")); // a pending downgrade ...
        done(account(acc), new Command.ChangeAiPlan("T2000")); // ... undone
        refusedAndNothingChanged(CONFLICT, account(acc), new Command.ChangeAiPlan("T2000"));
    }

    @Test
    void cancelling_twiceAtPeriodEnd_orWithoutAnAiPlan_orChangingToFreeWhenDue_isConflict() {
        done(account(other), new Command.SetMainPlan("PRO", Optional.of(Term.MONTHLY), Optional.empty()));
        refusedAndNothingChanged(CONFLICT, account(other), new Command.CancelAiPlan(false));
        refusedAndNothingChanged(CONFLICT, account(other), new Command.CancelAiPlan(true));
        book(acc, "T1000");
        done(account(acc), new Command.CancelAiPlan(false));
        refusedAndNothingChanged(CONFLICT, account(acc), new Command.CancelAiPlan(false));
        refusedAndNothingChanged(CONFLICT, account(acc), new Command.ChangeAiPlan("FREE"));
    }

    @Test
    void capturingOrReleasing_aHoldTwice_isConflict() {
        book(acc, "T1000");
        String captured = holdId(done(account(acc), reserveCredits(Actor.owner(acc), 30)));
        done(new Target.OfHold(captured), new Command.Capture(captured, Optional.of(20L)));
        refusedAndNothingChanged(CONFLICT, new Target.OfHold(captured), new Command.Capture(captured, Optional.of(10L)));
        refusedAndNothingChanged(CONFLICT, new Target.OfHold(captured), new Command.Release(captured));
        String released = holdId(done(account(acc), reserveCredits(Actor.owner(acc), 30)));
        done(new Target.OfHold(released), new Command.Release(released));
        refusedAndNothingChanged(CONFLICT, new Target.OfHold(released), new Command.Release(released));
        refusedAndNothingChanged(CONFLICT, new Target.OfHold(released), new Command.Capture(released, Optional.empty()));
        String zero = holdId(done(account(acc), reserveCredits(Actor.owner(acc), 30)));
        done(new Target.OfHold(zero), new Command.Capture(zero, Optional.of(0L))); // 0 acts as a release
        refusedAndNothingChanged(CONFLICT, new Target.OfHold(zero), new Command.Capture(zero, Optional.empty()));
    }

    @Test
    void releasing_aHoldThatExpiredByItself_isConflict() {
        book(acc, "T1000");
        String hold = holdId(done(account(acc), reserveCredits(Actor.owner(acc), 30)));
        moveTo(T0.plus(Duration.ofMinutes(11)));
        refusedAndNothingChanged(CONFLICT, new Target.OfHold(hold), new Command.Release(hold));
    }

    @Test
    void capturingOrReleasing_aHoldReleasedByACancellation_isConflict() {
        book(acc, "T1000");
        String hold = holdId(done(account(acc), reserveCredits(Actor.owner(acc), 30)));
        done(account(acc), new Command.CancelAiPlan(true));
        refusedAndNothingChanged(CONFLICT, new Target.OfHold(hold), new Command.Release(hold));
        refusedAndNothingChanged(CONFLICT, new Target.OfHold(hold), new Command.Capture(hold, Optional.empty()));
    }

    @Test
    void refunding_aUseTwice_isConflict() {
        book(acc, "T1000");
        String use = useId(done(account(acc), use(acc, "vibe_coding", 1)));
        done(new Target.OfUse(use), new Command.Refund(use));
        refusedAndNothingChanged(CONFLICT, new Target.OfUse(use), new Command.Refund(use));
    }

    @Test
    void endingTheMainPlan_withoutOne_isConflict() {
        book(acc, "T1000");
        refusedAndNothingChanged(CONFLICT, account(acc), new Command.EndMainPlan());
    }

    @Test
    void creatingAProject_ownedByAnotherAccount_isConflict() {
        book(acc, "T1000");
        book(other, "T1000");
        project(other, project, "alice", Role.EDITOR);
        refusedAndNothingChanged(CONFLICT, account(acc), new Command.CreateProject(project));
    }

    // ---------------------------------------------------------------- hold_expired

    @Test
    void capturing_afterTheHoldsExpiry_isHoldExpired() {
        book(acc, "T1000");
        String hold = holdId(done(account(acc), reserveCredits(Actor.owner(acc), 30)));
        moveTo(T0.plus(Duration.ofMinutes(10))); // exactly at the expiry: [created, expires) is over
        refusedAndNothingChanged(HOLD_EXPIRED, new Target.OfHold(hold), new Command.Capture(hold, Optional.empty()));
        moveTo(T0.plus(Duration.ofDays(3)));
        refusedAndNothingChanged(HOLD_EXPIRED, new Target.OfHold(hold), new Command.Capture(hold, Optional.of(5L)));
    }

    // ---------------------------------------------------------------- invalid_request

    static Stream<Arguments> malformed() {
        Duration ttl = Duration.ofMinutes(10);
        return Stream.<Arguments>of(
                Arguments.of("use, times 0", (Function<String, Command>) acc -> new Command.Use(Actor.owner(acc), "vibe_coding", 0)),
                Arguments.of("use, negative times", (Function<String, Command>) acc -> new Command.Use(Actor.owner(acc), "vibe_coding", -3)),
                Arguments.of("use, times above the maximum", (Function<String, Command>) acc -> new Command.Use(Actor.owner(acc), "vibe_coding", Account.TIMES_MAX + 1)),
                Arguments.of("hold, feature and credits", (Function<String, Command>) acc -> new Command.Reserve(Actor.owner(acc), Optional.of("vibe_coding"), Optional.of(10L), ttl)),
                Arguments.of("hold, neither feature nor credits", (Function<String, Command>) acc -> new Command.Reserve(Actor.owner(acc), Optional.empty(), Optional.empty(), ttl)),
                Arguments.of("hold, 0 credits", (Function<String, Command>) acc -> new Command.Reserve(Actor.owner(acc), Optional.empty(), Optional.of(0L), ttl)),
                Arguments.of("hold, negative credits", (Function<String, Command>) acc -> new Command.Reserve(Actor.owner(acc), Optional.empty(), Optional.of(-10L), ttl)),
                Arguments.of("hold, ttl 0", (Function<String, Command>) acc -> new Command.Reserve(Actor.owner(acc), Optional.empty(), Optional.of(10L), Duration.ZERO)),
                Arguments.of("hold, negative ttl", (Function<String, Command>) acc -> new Command.Reserve(Actor.owner(acc), Optional.empty(), Optional.of(10L), Duration.ofSeconds(-1))),
                Arguments.of("hold, ttl above the maximum", (Function<String, Command>) acc -> new Command.Reserve(Actor.owner(acc), Optional.empty(), Optional.of(10L),
                        Account.HOLD_TTL_MAX.plusSeconds(1))),
                Arguments.of("grant, 0 credits", (Function<String, Command>) acc -> new Command.ManualGrant(0, Optional.empty(), "goodwill", "ops")),
                Arguments.of("grant, negative credits", (Function<String, Command>) acc -> new Command.ManualGrant(-5, Optional.empty(), "goodwill", "ops")),
                Arguments.of("grant, no reason", (Function<String, Command>) acc -> new Command.ManualGrant(5, Optional.empty(), null, "ops")),
                Arguments.of("grant, blank reason", (Function<String, Command>) acc -> new Command.ManualGrant(5, Optional.empty(), "  ", "ops")),
                Arguments.of("grant, expiring now", (Function<String, Command>) acc -> new Command.ManualGrant(5, Optional.of(T0), "goodwill", "ops")),
                Arguments.of("grant, expired", (Function<String, Command>) acc -> new Command.ManualGrant(5, Optional.of(T0.minusSeconds(1)), "goodwill", "ops")),
                Arguments.of("main plan, anchor in the future", (Function<String, Command>) acc -> new Command.SetMainPlan("PRO", Optional.of(Term.MONTHLY),
                        Optional.of(T0.plusSeconds(1)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedRequests_areInvalidRequest(String what, Function<String, Command> command) {
        book(acc, "T1000");
        refusedAndNothingChanged(INVALID_REQUEST, account(acc), command.apply(acc));
    }

    @Test
    void startingAMainPlan_withoutATerm_isInvalidRequest() {
        book(acc, "T1000");
        refusedAndNothingChanged(INVALID_REQUEST, account(acc), new Command.SetMainPlan("PRO", Optional.empty(), Optional.empty()));
    }

    @Test
    void capturing_aNegativeAmountOrMoreThanHeld_isInvalidRequest() {
        book(acc, "T1000");
        String hold = holdId(done(account(acc), reserveCredits(Actor.owner(acc), 30)));
        refusedAndNothingChanged(INVALID_REQUEST, new Target.OfHold(hold), new Command.Capture(hold, Optional.of(-1L)));
        refusedAndNothingChanged(INVALID_REQUEST, new Target.OfHold(hold), new Command.Capture(hold, Optional.of(31L)));
    }

    // ---------------------------------------------------------------- idempotency_conflict

    @Test
    void aKeyReused_withAnotherRequest_isIdempotencyConflict_andTheFirstAnswerStands() {
        book(acc, "T1000");
        Request first = new Request(account(acc), use(acc, "vibe_coding", 1), "once");
        Outcome answer = engine.execute(first);
        assertThat(answer).isInstanceOf(Outcome.Done.class);
        refusedAndNothingChanged(IDEMPOTENCY_CONFLICT, new Request(account(acc), use(acc, "vibe_coding", 2), "once"));
        refusedAndNothingChanged(IDEMPOTENCY_CONFLICT, new Request(account(acc), use(acc, "ai_image", 1), "once"));
        Map<String, List<String>> before = rows();
        assertThat(engine.execute(first)).isEqualTo(answer);
        assertThat(rows()).isEqualTo(before);
    }

    // ---------------------------------------------------------------- which refusal wins (decision 15)

    @Test
    void aViewer_usingAnUnknownFeature_isForbidden() {
        book(acc, "T1000");
        project(acc, project, "bob", Role.VIEWER);
        refusedAndNothingChanged(FORBIDDEN, new Target.OfProject(project), new Command.Use(Actor.inProject(project, "bob"), "teleport", 1));
    }

    @Test
    void timesZero_onAnUnknownProject_isInvalidRequest() {
        book(acc, "T1000");
        refusedAndNothingChanged(INVALID_REQUEST, new Target.OfProject("nowhere"), new Command.Use(Actor.inProject("nowhere", "bob"), "vibe_coding", 0));
        refusedAndNothingChanged(INVALID_REQUEST, new Target.OfAccount(ghost, false), use(ghost, "vibe_coding", 0));
    }

    @Test
    void anUnknownPlan_whileAnAiPlanIsActive_isNotFound() {
        book(acc, "T1000");
        refusedAndNothingChanged(NOT_FOUND, account(acc), new Command.BookAiPlan("T999"));
    }

    @Test
    void anUnknownProject_winsOverAnUnknownFeature_andAViewer_winsOverMissingPlansAndCredits() {
        done(account(acc), new Command.SetMainPlan("PRO", Optional.of(Term.MONTHLY), Optional.empty()));
        project(acc, project, "bob", Role.VIEWER);
        refusedAndNothingChanged(NOT_FOUND, new Target.OfProject("nowhere"), new Command.Use(Actor.inProject("nowhere", "bob"), "teleport", 1));
        // no AI plan and no credits: the viewer is told forbidden first
        refusedAndNothingChanged(FORBIDDEN, new Target.OfProject(project), new Command.Use(Actor.inProject(project, "bob"), "vibe_coding", 1));
    }

    @Test
    void anUnknownFeature_winsOverFeatureNotInPlan_whichWinsOverInsufficientCredits() {
        done(account(acc), new Command.SetMainPlan("PRO", Optional.of(Term.MONTHLY), Optional.empty()));
        refusedAndNothingChanged(NOT_FOUND, account(acc), use(acc, "teleport", 1));
        refusedAndNothingChanged(FEATURE_NOT_IN_PLAN, account(acc), use(acc, "vibe_coding", 1));
    }

    @Test
    void capturingMoreThanHeld_winsOverConflictAndHoldExpired() {
        book(acc, "T1000");
        String captured = holdId(done(account(acc), reserveCredits(Actor.owner(acc), 30)));
        done(new Target.OfHold(captured), new Command.Capture(captured, Optional.empty()));
        refusedAndNothingChanged(INVALID_REQUEST, new Target.OfHold(captured), new Command.Capture(captured, Optional.of(31L)));
        String expiring = holdId(done(account(acc), reserveCredits(Actor.owner(acc), 30)));
        moveTo(T0.plus(Duration.ofHours(1)));
        refusedAndNothingChanged(INVALID_REQUEST, new Target.OfHold(expiring), new Command.Capture(expiring, Optional.of(31L)));
        refusedAndNothingChanged(INVALID_REQUEST, new Target.OfHold(expiring), new Command.Capture(expiring, Optional.of(-1L)));
    }

    @Test
    void aMalformedRequest_winsOverAReusedKey() {
        book(acc, "T1000");
        done(new Request(account(acc), use(acc, "vibe_coding", 1), "once"));
        refusedAndNothingChanged(INVALID_REQUEST, new Request(account(acc), use(acc, "vibe_coding", 0), "once"));
    }

    // ---------------------------------------------------------------- found while writing these

    @Test
    void settingAMember_ofAProjectOwnedByAnotherAccount_isNotFound_andChangesNoMember() {
        book(acc, "T1000");
        book(other, "T1000");
        project(other, project, "alice", Role.EDITOR);
        refusedAndNothingChanged(NOT_FOUND, account(acc), new Command.SetMember(project, "alice", Optional.empty()));
        refusedAndNothingChanged(NOT_FOUND, account(acc), new Command.SetMember(project, "mallory", Optional.of(Role.EDITOR)));
    }

    @Test
    void aRefusedFirstRequest_leavesNoAccountBehind() {
        book(acc, "T1000");
        refusedAndNothingChanged(CONFLICT, account(ghost), new Command.BookAiPlan("FREE"));
        refusedAndNothingChanged(FEATURE_NOT_IN_PLAN, account(ghost), use(ghost, "vibe_coding", 1));
        assertThat(engine.read(ghost)).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    static Target account(String id) {
        return new Target.OfAccount(id, true);
    }

    static Command use(String account, String feature, long times) {
        return new Command.Use(Actor.owner(account), feature, times);
    }

    static Command reserveCredits(Actor actor, long credits) {
        return new Command.Reserve(actor, Optional.empty(), Optional.of(credits), Duration.ofMinutes(10));
    }

    void book(String account, String plan) {
        done(account(account), new Command.BookAiPlan(plan));
    }

    void project(String owner, String project, String user, Role role) {
        done(account(owner), new Command.CreateProject(project));
        done(account(owner), new Command.SetMember(project, user, Optional.of(role)));
    }

    Outcome.Done done(Target target, Command command) {
        return done(new Request(target, command, "setup-" + (++keys)));
    }

    Outcome.Done done(Request request) {
        Outcome o = engine.execute(request);
        assertThat(o).as("setting up with %s", request).isInstanceOf(Outcome.Done.class);
        return (Outcome.Done) o;
    }

    static String holdId(Outcome.Done d) {
        return ((Answer.Held) d.answer()).holdId();
    }

    static String useId(Outcome.Done d) {
        return ((Answer.Used) d.answer()).useIds().getFirst();
    }

    /** Moves the clock and brings every account up to it, so that what falls due is not the refusal's doing. */
    void moveTo(Instant t) {
        clock.set(t);
        for (String id : List.of(acc, other)) if (engine.read(id).isPresent()) engine.execute(Request.catchUp(id));
    }

    Outcome.Refused refusedAndNothingChanged(RefusalCode code, Target target, Command command) {
        return refusedAndNothingChanged(code, new Request(target, command, "refused-" + (++keys)));
    }

    Outcome.Refused refusedAndNothingChanged(RefusalCode code, Request request) {
        Map<String, List<String>> rows = rows();
        Map<String, Object> balances = balances();
        Outcome o = engine.execute(request);
        assertThat(o).as("%s", request).isInstanceOfSatisfying(Outcome.Refused.class,
                r -> assertThat(r.code()).as("%s: %s", request, r.detail()).isEqualTo(code));
        assertThat(rows()).as("rows after the refused %s", request).isEqualTo(rows);
        assertThat(balances()).as("balances after the refused %s", request).isEqualTo(balances);
        return (Outcome.Refused) o;
    }

    Map<String, Object> balances() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String id : List.of(acc, other, ghost))
            out.put(id, engine.read(id).map(a -> List.of(a.balance(), a.state())).orElse(null));
        return out;
    }

    /** Every row of every table a refusal must not touch, column by column. */
    Map<String, List<String>> rows() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (var t : TABLES.entrySet()) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + t.getKey() + " ORDER BY " + t.getValue())) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= md.getColumnCount(); i++)
                            row.append(md.getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
                        rows.add(row.toString());
                    }
                }
                out.put(t.getKey(), rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    long events(String account, String type) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM outbox_events WHERE account_id = ? AND type = ?")) {
            ps.setString(1, account);
            ps.setString(2, type);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
