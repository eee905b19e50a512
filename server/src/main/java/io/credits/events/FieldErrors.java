package io.credits.events;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Bad input, with each bad field named: the HTTP layer answers 400 {@code invalid_request} and
 * can list {@link #errors()}. An {@link IllegalArgumentException}, so a generic mapping works too.
 */
public final class FieldErrors extends IllegalArgumentException {

    /** @param field the field as the client wrote it: {@code url}, {@code events[2]}, {@code limit} */
    public record FieldError(String field, String message) {}

    private final transient List<FieldError> errors;

    public FieldErrors(List<FieldError> errors) {
        super(errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")));
        if (errors.isEmpty()) throw new IllegalArgumentException("FieldErrors needs at least one error");
        this.errors = List.copyOf(errors);
    }

    public static FieldErrors of(String field, String message) {
        return new FieldErrors(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
