package io.credits.sim;

import java.util.Objects;

/** Who spends: the account's owner, or a user acting in a project (whose owner's credits are spent). */
public sealed interface Actor {

    /** The account's owner, acting on the account (a user with the account's id). */
    record OfAccount(String account) implements Actor {
        public OfAccount {
            Objects.requireNonNull(account, "account");
        }
    }

    /** A user acting in a project: the project's owner, an editor, or someone to be refused. */
    record InProject(String project, String user) implements Actor {
        public InProject {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(user, "user");
        }
    }
}
