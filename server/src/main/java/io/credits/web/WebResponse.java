package io.credits.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP answer of the billing page, free of any web framework: the route copies status, content
 * type, headers and body onto its response.
 *
 * @param headers headers to set besides {@code Content-Type} (security headers, {@code Location})
 */
public record WebResponse(int status, String contentType, String body, Map<String, String> headers) {
    public static final String HTML = "text/html; charset=utf-8";

    public WebResponse {
        if (status < 100 || status > 599) throw new IllegalArgumentException("status must be 100..599: " + status);
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public String header(String name) {
        for (var e : headers.entrySet()) if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
        return null;
    }
}
