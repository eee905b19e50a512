package io.credits.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Raw HTTP with java.net.http and one API key. Every answer is checked against the OpenAPI
 * document ({@link Contract}) before the test sees it, so the tests of every route also test the
 * document.
 */
final class TestClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** An answer. {@code json} is null for an empty or non-JSON body. */
    record Resp(int status, String body, String contentType, JsonNode json, HttpResponse<String> raw) {
        String text(String field) {
            return json.path(field).isNull() ? null : json.path(field).asText();
        }

        long num(String field) {
            return json.path(field).asLong();
        }

        String code() {
            return json.path("code").asText();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    final String base;
    final String key;

    TestClient(String base, String key) {
        this.base = base;
        this.key = key;
    }

    TestClient withKey(String otherKey) {
        return new TestClient(base, otherKey);
    }

    Resp get(String path) {
        return send("GET", path, null, Map.of());
    }

    Resp post(String path, Object body) {
        return send("POST", path, body, Map.of());
    }

    Resp put(String path, Object body) {
        return send("PUT", path, body, Map.of());
    }

    Resp patch(String path, Object body) {
        return send("PATCH", path, body, Map.of());
    }

    Resp delete(String path) {
        return send("DELETE", path, null, Map.of());
    }

    /** A POST with an Idempotency-Key. */
    Resp post(String path, Object body, String idempotencyKey) {
        return send("POST", path, body, Map.of("Idempotency-Key", idempotencyKey));
    }

    /** {@code body}: null, a String sent as is, or an object written as JSON. */
    Resp send(String method, String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (key != null) b.header("Authorization", "Bearer " + key);
        headers.forEach(b::header);
        String text = body == null ? null : body instanceof String s ? s : write(body);
        if (text != null) b.header("Content-Type", "application/json");
        b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
        try {
            return check(method, path, HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        }
    }

    static Resp check(String method, String path, HttpResponse<String> r) {
        String type = r.headers().firstValue("Content-Type").orElse(null);
        JsonNode json = null;
        if (type != null && type.contains("json") && !r.body().isEmpty()) {
            try {
                json = JSON.readTree(r.body());
            } catch (JsonProcessingException e) {
                throw new AssertionError(method + " " + path + ": body is not JSON: " + r.body());
            }
        }
        String rawPath = URI.create(r.uri().toString()).getRawPath();
        List<String> errors = Contract.check(method, rawPath, r.statusCode(), type, json);
        if (!errors.isEmpty()) throw new AssertionError("answer does not match /openapi.json: " + errors + "\nbody: " + r.body());
        return new Resp(r.statusCode(), r.body(), type, json, r);
    }

    static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A JSON object from alternating names and values (values may be null). */
    static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
