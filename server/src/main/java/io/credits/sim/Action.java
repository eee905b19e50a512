package io.credits.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The action of a step, one case per action key of SCENARIOS.md. Amounts are kept as written, even
 * negative or zero: the engine, not the file format, refuses them ({@code invalid_request}), so that
 * a scenario can show the refusal.
 */
public sealed interface Action {

    /** {@code main_plan}: start or change the main plan; {@code term} is {@code monthly} or {@code yearly}. */
    record MainPlan(String account, String plan, String term, Optional<Instant> anchor) implements Action {
        public MainPlan {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(term, "term");
            Objects.requireNonNull(anchor, "anchor");
        }
    }

    /** {@code cancel_main_plan}: end the main plan now. */
    record CancelMainPlan(String account) implements Action {
        public CancelMainPlan {
            Objects.requireNonNull(account, "account");
        }
    }

    /** {@code book_ai_plan}: book an AI plan. */
    record BookAiPlan(String account, String plan) implements Action {
        public BookAiPlan {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(plan, "plan");
        }
    }

    /** {@code change_ai_plan}: upgrade at once or downgrade at the next boundary. */
    record ChangeAiPlan(String account, String plan) implements Action {
        public ChangeAiPlan {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(plan, "plan");
        }
    }

    /** {@code cancel_ai_plan}: cancel at the period's end, or now when {@code immediately}. */
    record CancelAiPlan(String account, boolean immediately) implements Action {
        public CancelAiPlan {
            Objects.requireNonNull(account, "account");
        }
    }

    /** {@code project}: create a project owned by the account. */
    record CreateProject(String id, String account) implements Action {
        public CreateProject {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(account, "account");
        }
    }

    /** {@code member}: add, change or remove ({@code role: none}) a member. */
    record Member(String project, String user, String role) implements Action {
        public Member {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(role, "role");
        }
    }

    /** {@code use}: charge the feature {@code times} times; {@code name} lets a later refund find it. */
    record Use(Actor actor, String feature, long times, Optional<String> name) implements Action {
        public Use {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(feature, "feature");
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code reserve}: place a hold named {@code hold}, by feature or by credits (exactly one is present). */
    record Reserve(Actor actor, Optional<String> feature, Optional<Long> credits, String hold, Duration ttl)
            implements Action {
        public Reserve {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(feature, "feature");
            Objects.requireNonNull(credits, "credits");
            Objects.requireNonNull(hold, "hold");
            Objects.requireNonNull(ttl, "ttl");
            if (feature.isPresent() == credits.isPresent()) {
                throw new IllegalArgumentException("a reserve names exactly one of feature and credits");
            }
        }
    }

    /** {@code capture}: capture a hold, all of it when {@code credits} is empty. */
    record Capture(String hold, Optional<Long> credits) implements Action {
        public Capture {
            Objects.requireNonNull(hold, "hold");
            Objects.requireNonNull(credits, "credits");
        }
    }

    /** {@code release}: release a hold. */
    record Release(String hold) implements Action {
        public Release {
            Objects.requireNonNull(hold, "hold");
        }
    }

    /** {@code refund}: refund the earlier {@code use} step named {@code use}. */
    record Refund(String use) implements Action {
        public Refund {
            Objects.requireNonNull(use, "use");
        }
    }

    /** {@code grant}: an operator's manual grant, expiring at {@code expires} or never. */
    record Grant(String account, long credits, Optional<Instant> expires, String reason) implements Action {
        public Grant {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(expires, "expires");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** {@code expect}: compare the account's state at the step's instant. */
    record Expect(String account, Expectation expectation) implements Action {
        public Expect {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(expectation, "expectation");
        }
    }
}
