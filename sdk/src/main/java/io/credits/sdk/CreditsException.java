package io.credits.sdk;

import java.util.List;

/**
 * A refusal or an error answered by Credits as problem+json, typed by its stable {@code code}.
 * Catch the subclass you handle ({@link InsufficientCredits} to show "out of credits"), or this
 * class and switch on {@link #code()}.
 */
public class CreditsException extends RuntimeException {
    /** One bad field of a request, as the server names it. */
    public record FieldError(String field, String reason) {}

    private final int status;
    private final String code;
    private final String title;
    private final String detail;
    private final List<FieldError> errors;

    public CreditsException(int status, String code, String title, String detail, List<FieldError> errors) {
        super(code + " (" + status + "): " + (detail == null ? title : detail));
        this.status = status;
        this.code = code;
        this.title = title;
        this.detail = detail;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** The HTTP status: 400, 401, 402, 403, 404, 409, 410, 422, or 5xx. */
    public int status() { return status; }

    /** The stable code, e.g. {@code insufficient_credits}. */
    public String code() { return code; }

    public String title() { return title; }

    /** Written for a person: for an editor refused for lack of credits, the notice to show them. */
    public String detail() { return detail; }

    /** For {@code invalid_request}: every bad field with its reason. */
    public List<FieldError> errors() { return errors; }

    /** Whether the same request may succeed later (credits may come; the server may come back). */
    public boolean retryable() {
        return "insufficient_credits".equals(code) || status >= 500;
    }

    public static final class InvalidRequest extends CreditsException {
        public InvalidRequest(int s, String c, String t, String d, List<FieldError> e) { super(s, c, t, d, e); }
    }

    public static final class Unauthenticated extends CreditsException {
        public Unauthenticated(int s, String c, String t, String d, List<FieldError> e) { super(s, c, t, d, e); }
    }

    public static final class InsufficientCredits extends CreditsException {
        public InsufficientCredits(int s, String c, String t, String d, List<FieldError> e) { super(s, c, t, d, e); }
    }

    public static final class FeatureNotInPlan extends CreditsException {
        public FeatureNotInPlan(int s, String c, String t, String d, List<FieldError> e) { super(s, c, t, d, e); }
    }

    public static final class Forbidden extends CreditsException {
        public Forbidden(int s, String c, String t, String d, List<FieldError> e) { super(s, c, t, d, e); }
    }

    public static final class NotFound extends CreditsException {
        public NotFound(int s, String c, String t, String d, List<FieldError> e) { super(s, c, t, d, e); }
    }

    public static final class Conflict extends CreditsException {
        public Conflict(int s, String c, String t, String d, List<FieldError> e) { super(s, c, t, d, e); }
    }

    public static final class HoldExpired extends CreditsException {
        public HoldExpired(int s, String c, String t, String d, List<FieldError> e) { super(s, c, t, d, e); }
    }

    public static final class IdempotencyConflict extends CreditsException {
        public IdempotencyConflict(int s, String c, String t, String d, List<FieldError> e) { super(s, c, t, d, e); }
    }

    /** The typed exception for a problem; unknown codes stay a plain {@link CreditsException}. */
    static CreditsException of(int status, String code, String title, String detail, List<FieldError> errors) {
        String c = code == null ? "http_" + status : code;
        return switch (c) {
            case "invalid_request" -> new InvalidRequest(status, c, title, detail, errors);
            case "unauthenticated" -> new Unauthenticated(status, c, title, detail, errors);
            case "insufficient_credits" -> new InsufficientCredits(status, c, title, detail, errors);
            case "feature_not_in_plan" -> new FeatureNotInPlan(status, c, title, detail, errors);
            case "forbidden" -> new Forbidden(status, c, title, detail, errors);
            case "not_found" -> new NotFound(status, c, title, detail, errors);
            case "conflict" -> new Conflict(status, c, title, detail, errors);
            case "hold_expired" -> new HoldExpired(status, c, title, detail, errors);
            case "idempotency_conflict" -> new IdempotencyConflict(status, c, title, detail, errors);
            default -> new CreditsException(status, c, title, detail, errors);
        };
    }
}
