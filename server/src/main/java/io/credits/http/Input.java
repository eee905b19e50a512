package io.credits.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checked inputs of one request: path parameters, query parameters, the Idempotency-Key
 * header and the JSON body. Each accessor records what is wrong and returns a placeholder, so one
 * answer names every bad input; {@link #check()} then throws {@code invalid_request} if anything
 * was. Nothing is changed before {@code check()} passes.
 */
final class Input {
    /** The largest body read; a larger one is {@code invalid_request} (API.md has no 413). */
    static final int BODY_BYTES_MAX = 64 * 1024;
    /** Ids of accounts, users, projects (the database's limit). */
    static final int ID_LENGTH_MAX = 200;
    /** Hold and use ids carry their account's id in base64url, so they are longer. */
    static final int REF_LENGTH_MAX = 400;
    static final int TEXT_LENGTH_MAX = 500;
    static final int IDEMPOTENCY_KEY_LENGTH_MAX = 255;
    /** Instants outside these years are refused: the database's range is wider, the rules' narrower. */
    static final Instant INSTANT_MIN = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant INSTANT_MAX = Instant.parse("9999-12-31T23:59:59Z");

    /** Reads bodies strictly: duplicate keys and anything after the value are errors. */
    static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Context ctx;
    private final List<Problem.FieldError> errors = new ArrayList<>();
    private Map<String, List<String>> query;
    private ObjectNode body;

    Input(Context ctx) {
        this.ctx = ctx;
    }

    void error(String field, String reason) {
        errors.add(new Problem.FieldError(field, reason));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Throws {@code invalid_request} naming every bad input, if there was one. */
    void check() {
        if (!errors.isEmpty()) throw new ApiException(Problem.invalid(errors));
    }

    // ---------------------------------------------------------------- path

    /** A path parameter naming an account, project or user: 1 to 200 characters, no control characters. */
    String pathId(String name) {
        return text("path." + name, rawPath(name), ID_LENGTH_MAX);
    }

    /** A path parameter naming a hold or a use. */
    String pathRef(String name) {
        return text("path." + name, rawPath(name), REF_LENGTH_MAX);
    }

    private String rawPath(String name) {
        try {
            return ctx.pathParam(name);
        } catch (RuntimeException e) { // a malformed %-escape
            return null;
        }
    }

    // ---------------------------------------------------------------- query

    /** Refuses query parameters other than these, and any given twice. */
    Input allowQuery(String... names) {
        Set<String> allowed = Set.of(names);
        for (var e : query().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                error("query." + clip(e.getKey()), "unknown query parameter" + (names.length == 0 ? "" : "; known: "
                        + String.join(", ", names)));
            } else if (e.getValue().size() > 1) {
                error("query." + e.getKey(), "given " + e.getValue().size() + " times; give it once");
            }
        }
        return this;
    }

    Optional<String> query(String name) {
        List<String> values = query().get(name);
        if (values == null || values.isEmpty()) return Optional.empty();
        return Optional.of(values.getFirst());
    }

    Optional<String> queryText(String name, int lengthMax) {
        return query(name).map(v -> text("query." + name, v, lengthMax));
    }

    Optional<Long> queryLong(String name, long min, long max) {
        return query(name).map(v -> {
            try {
                long n = Long.parseLong(v);
                if (n >= min && n <= max) return n;
            } catch (NumberFormatException e) {
                // reported below
            }
            error("query." + name, "must be an integer from " + min + " to " + max);
            return min;
        });
    }

    Optional<Instant> queryInstant(String name) {
        return query(name).map(v -> instant("query." + name, v));
    }

    private Map<String, List<String>> query() {
        if (query != null) return query;
        query = new LinkedHashMap<>();
        String qs = ctx.queryString();
        if (qs == null || qs.isEmpty()) return query;
        for (String pair : qs.split("&", -1)) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                k = URLDecoder.decode(k, StandardCharsets.UTF_8);
                v = URLDecoder.decode(v, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                error("query", "malformed %-escape in the query string");
                continue;
            }
            query.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return query;
    }

    // ---------------------------------------------------------------- header

    /** The Idempotency-Key header, or null when absent: at most 255 visible ASCII characters. */
    String idempotencyKey() {
        String key = ctx.header("Idempotency-Key");
        if (key == null) return null;
        if (key.isEmpty() || key.length() > IDEMPOTENCY_KEY_LENGTH_MAX
                || key.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            error("header.Idempotency-Key", "must be 1 to " + IDEMPOTENCY_KEY_LENGTH_MAX
                    + " visible ASCII characters, e.g. a UUID");
            return null;
        }
        return key;
    }

    // ---------------------------------------------------------------- body

    /**
     * Reads the body as a JSON object with no fields but {@code allowed}. An empty body counts as
     * {@code {}} unless {@code required}.
     */
    Input body(boolean required, String... allowed) {
        body = STRICT.createObjectNode();
        byte[] bytes;
        try {
            bytes = readLimited(ctx.req().getInputStream());
        } catch (IOException e) {
            error("body", "could not be read: " + e.getMessage());
            return this;
        }
        if (bytes == null) {
            error("body", "larger than " + BODY_BYTES_MAX + " bytes");
            return this;
        }
        if (isBlank(bytes)) {
            if (required) error("body", "a JSON object is required, with " + describe(allowed));
            return this;
        }
        JsonNode node;
        try {
            node = STRICT.readTree(bytes);
        } catch (JacksonException e) {
            error("body", "is not valid JSON: " + firstLine(e.getOriginalMessage()));
            return this;
        } catch (IllegalArgumentException e) {
            error("body", "is not valid JSON: " + firstLine(e.getMessage()));
            return this;
        } catch (IOException e) {
            error("body", "could not be read: " + e.getMessage());
            return this;
        }
        if (!(node instanceof ObjectNode object)) {
            error("body", "must be a JSON object, with " + describe(allowed));
            return this;
        }
        Set<String> known = Set.of(allowed);
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) error(clip(f), "unknown field; known: " + describe(allowed));
        }
        body = object;
        return this;
    }

    boolean has(String field) {
        JsonNode n = body.get(field);
        return n != null && !n.isNull();
    }

    /**
     * A body field that must be an array of strings (each at most {@code lengthMax} characters);
     * null when absent. The caller checks the values further.
     */
    List<String> optionalTextList(String field, int lengthMax) {
        if (!has(field)) return null;
        JsonNode n = body.get(field);
        if (!n.isArray()) {
            error(field, "must be an array of strings");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isTextual()) error(field + "[" + i + "]", "must be a string");
            else out.add(text(field + "[" + i + "]", e.textValue(), lengthMax));
        }
        return out;
    }

    String requiredText(String field, int lengthMax) {
        if (!has(field)) {
            error(field, "is required");
            return "";
        }
        return bodyText(field, lengthMax);
    }

    Optional<String> optionalText(String field, int lengthMax) {
        return has(field) ? Optional.of(bodyText(field, lengthMax)) : Optional.empty();
    }

    private String bodyText(String field, int lengthMax) {
        JsonNode n = body.get(field);
        if (!n.isTextual()) {
            error(field, "must be a string");
            return "";
        }
        return text(field, n.textValue(), lengthMax);
    }

    long requiredLong(String field, long min, long max) {
        if (!has(field)) {
            error(field, "is required: an integer from " + min + " to " + max);
            return min;
        }
        return bodyLong(field, min, max);
    }

    Optional<Long> optionalLong(String field, long min, long max) {
        return has(field) ? Optional.of(bodyLong(field, min, max)) : Optional.empty();
    }

    private long bodyLong(String field, long min, long max) {
        JsonNode n = body.get(field);
        if (n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= min && n.longValue() <= max) {
            return n.longValue();
        }
        error(field, "must be an integer from " + min + " to " + max);
        return min;
    }

    Optional<Instant> optionalInstant(String field) {
        if (!has(field)) return Optional.empty();
        JsonNode n = body.get(field);
        if (!n.isTextual()) {
            error(field, "must be an ISO-8601 instant string, e.g. 2026-10-01T00:00:00Z");
            return Optional.of(INSTANT_MIN);
        }
        return Optional.of(instant(field, n.textValue()));
    }

    // ---------------------------------------------------------------- values

    /** A string of 1 to lengthMax characters without control characters or broken surrogates. */
    String text(String field, String value, int lengthMax) {
        if (value == null) {
            error(field, "is malformed");
            return "";
        }
        if (value.isEmpty() || value.length() > lengthMax) {
            error(field, "must be 1 to " + lengthMax + " characters, was " + value.length());
            return "";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                error(field, "must not contain control characters");
                return "";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                error(field, "is not valid Unicode (a lone surrogate)");
                return "";
            }
        }
        return value;
    }

    Instant instant(String field, String value) {
        try {
            Instant t = Instant.parse(value);
            if (!t.isBefore(INSTANT_MIN) && !t.isAfter(INSTANT_MAX)) return t;
            error(field, "must lie between " + INSTANT_MIN + " and " + INSTANT_MAX);
        } catch (DateTimeException e) {
            error(field, "must be an ISO-8601 instant, e.g. 2026-10-01T00:00:00Z");
        }
        return INSTANT_MIN;
    }

    private static byte[] readLimited(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int total = 0;
        for (int n; (n = in.read(chunk)) != -1; ) {
            total += n;
            if (total > BODY_BYTES_MAX) return null;
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) if (b != ' ' && b != '\n' && b != '\r' && b != '\t') return false;
        return true;
    }

    private static String describe(String[] allowed) {
        return allowed.length == 0 ? "no fields" : String.join(", ", allowed);
    }

    /** A field name from the request, cut short and cleaned, to name it in an error. */
    private static String clip(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(100).forEach(cp -> b.appendCodePoint(Character.isISOControl(cp)
                || (cp >= 0xD800 && cp <= 0xDFFF) ? '?' : cp));
        return b.isEmpty() ? "(empty)" : b.toString();
    }

    private static String firstLine(String s) {
        if (s == null) return "malformed";
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
