package io.credits.http;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Objects;

/**
 * An error body, {@code application/problem+json} (RFC 9457), with our {@code code}.
 *
 * @param type   a URI naming the kind of problem: {@value #TYPE_BASE} and the code
 * @param title  the status's short phrase
 * @param status the HTTP status code, 400 to 599
 * @param detail what was wrong in this request, and how to fix it
 * @param code   our error code (API.md), stable for programs to match on
 * @param errors for {@code invalid_request}: every bad field or parameter; absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, List<FieldError> errors) {

    public static final String CONTENT_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://credits.dev/problems/";

    /**
     * One bad input.
     *
     * @param field  where: a body field ({@code credits}), a path parameter ({@code path.account}),
     *               a query parameter ({@code query.limit}) or a header ({@code header.Idempotency-Key})
     * @param reason what is wrong and what is expected
     */
    public record FieldError(String field, String reason) {
        public FieldError {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(code, "code");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem's status must be 400 to 599, was " + status);
        }
        errors = errors == null ? null : List.copyOf(errors);
    }

    public static Problem of(int status, String title, String code, String detail) {
        return new Problem(TYPE_BASE + code, title, status, detail, code, null);
    }

    /** 400 {@code invalid_request} naming every bad input. */
    public static Problem invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().reason()
                : errors.size() + " inputs are invalid: see errors";
        return new Problem(TYPE_BASE + "invalid_request", "Bad Request", 400, detail, "invalid_request", errors);
    }

    public static Problem invalid(String field, String reason) {
        return invalid(List.of(new FieldError(field, reason)));
    }
}
