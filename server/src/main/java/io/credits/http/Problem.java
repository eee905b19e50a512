package io.credits.http;

import java.util.Objects;

/**
 * An error body, {@code application/problem+json} (RFC 9457), with our {@code code}.
 *
 * @param type   a URI naming the kind of problem; {@code about:blank} when the status says it all
 * @param title  the status's short phrase
 * @param status the HTTP status code, 400 to 599
 * @param detail what was wrong in this request, and how to fix it
 * @param code   our error code (API.md), stable for programs to match on
 */
public record Problem(String type, String title, int status, String detail, String code) {

    public static final String CONTENT_TYPE = "application/problem+json";

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(code, "code");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem's status must be 400 to 599, was " + status);
        }
    }

    public static Problem of(int status, String title, String code, String detail) {
        return new Problem("about:blank", title, status, detail, code);
    }
}
