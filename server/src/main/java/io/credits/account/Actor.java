package io.credits.account;

import java.util.Objects;
import java.util.Optional;

/**
 * Who starts an AI action: a user, acting for the account directly (the owner) or in a project.
 * A charge in a project records both the account charged and the user who acted.
 */
public record Actor(String userId, Optional<String> projectId) {
    public Actor {
        Objects.requireNonNull(userId);
        Objects.requireNonNull(projectId);
    }

    public static Actor owner(String account) {
        return new Actor(account, Optional.empty());
    }

    public static Actor inProject(String project, String user) {
        return new Actor(user, Optional.of(project));
    }
}
