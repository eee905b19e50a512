package io.credits.project;

/** A member's permission in a project. Editors spend the owner's credits; viewers cannot start AI actions. */
public enum Role {
    EDITOR, VIEWER;

    public static java.util.Optional<Role> parse(String s) {
        if (s == null) return java.util.Optional.empty();
        return switch (s) {
            case "editor" -> java.util.Optional.of(EDITOR);
            case "viewer" -> java.util.Optional.of(VIEWER);
            default -> java.util.Optional.empty();
        };
    }

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
