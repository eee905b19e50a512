package io.credits.account;

import io.credits.plan.Term;
import io.credits.project.Role;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** Everything that can be asked of an account. Each is all or nothing. */
public sealed interface Command {
    record UpdateAccount(Optional<String> name, Optional<ZoneId> timeZone) implements Command {}

    record SetMainPlan(String plan, Optional<Term> term, Optional<Instant> anchor) implements Command {}

    record EndMainPlan() implements Command {}

    record BookAiPlan(String plan) implements Command {}

    record ChangeAiPlan(String plan) implements Command {}

    record CancelAiPlan(boolean immediately) implements Command {}

    record CreateProject(String projectId) implements Command {}

    /** Adds, changes or (with an empty role) removes a member. */
    record SetMember(String projectId, String userId, Optional<Role> role) implements Command {}

    /** {@code times} charges of the feature, one use each, all or none. */
    record Use(Actor actor, String feature, long times) implements Command {}

    record Reserve(Actor actor, Optional<String> feature, Optional<Long> credits, Duration ttl) implements Command {}

    record Capture(String holdId, Optional<Long> credits) implements Command {}

    record Release(String holdId) implements Command {}

    record Refund(String useId) implements Command {}

    record ManualGrant(long credits, Optional<Instant> expiresAt, String reason, String operator) implements Command {}

    /** Whether the command can change credits or plans (and so needs an idempotency key). */
    default boolean mutates() {
        return true;
    }
}
