package io.credits.project;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A website owned by one account; its owner is the user with the account's id. */
public record Project(String id, String account, Map<String, Role> members) {
    public Project {
        Objects.requireNonNull(id);
        Objects.requireNonNull(account);
        members = Map.copyOf(members);
    }

    /** Whether the user may start AI actions here: the owner and the editors may, nobody else. */
    public boolean maySpend(String user) {
        return account.equals(user) || role(user).filter(r -> r == Role.EDITOR).isPresent();
    }

    public Optional<Role> role(String user) {
        return Optional.ofNullable(members.get(user));
    }

    public Project withMember(String user, Optional<Role> role) {
        var copy = new java.util.HashMap<>(members);
        role.ifPresentOrElse(r -> copy.put(user, r), () -> copy.remove(user));
        return new Project(id, account, copy);
    }
}
