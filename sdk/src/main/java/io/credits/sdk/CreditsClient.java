package io.credits.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A client of the Credits HTTP API v1. Thread-safe; make one and share it.
 *
 * <p>Every mutation carries an {@code Idempotency-Key}: one you give, or a random one. A request
 * that fails on the network (no answer, or a 502/503/504) is sent again with the same key, so it
 * takes effect once whatever happened to the first attempt. Refusals come back as typed
 * {@link CreditsException}s.
 *
 * <pre>{@code
 * CreditsClient credits = CreditsClient.builder(URI.create("http://127.0.0.1:8080"), apiKey).build();
 * credits.bookAiPlan("acme", "T1000");
 * Models.Use use = credits.use(CreditsClient.Spender.account("acme"), "generate_page");
 * }</pre>
 */
public final class CreditsClient {
    /** The most attempts of one request, the first included. */
    public static final int ATTEMPTS_MAX = 10;

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final URI base;
    private final String apiKey;
    private final HttpClient http;
    private final int attempts;
    private final Duration backoff;
    private final Duration timeout;

    private CreditsClient(Builder b) {
        this.base = b.base;
        this.apiKey = b.apiKey;
        this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(b.timeout).build();
        this.attempts = b.attempts;
        this.backoff = b.backoff;
        this.timeout = b.timeout;
    }

    public static Builder builder(URI baseUrl, String apiKey) {
        return new Builder(baseUrl, apiKey);
    }

    /** Settings of a client; each checked when set. */
    public static final class Builder {
        private final URI base;
        private final String apiKey;
        private HttpClient http;
        private int attempts = 4;
        private Duration backoff = Duration.ofMillis(200);
        private Duration timeout = Duration.ofSeconds(10);

        private Builder(URI base, String apiKey) {
            this.base = Objects.requireNonNull(base, "baseUrl");
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        }

        /** How many times a request is sent at most when the network fails: 1 to {@value #ATTEMPTS_MAX}. */
        public Builder attempts(int n) {
            if (n < 1 || n > ATTEMPTS_MAX) throw new IllegalArgumentException("attempts must be 1 to " + ATTEMPTS_MAX + ": " + n);
            this.attempts = n;
            return this;
        }

        /** The first wait before a retry; it doubles with each retry. */
        public Builder backoff(Duration d) {
            if (d.isNegative()) throw new IllegalArgumentException("backoff must not be negative: " + d);
            this.backoff = d;
            return this;
        }

        /** How long one attempt may take. */
        public Builder timeout(Duration d) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeout must be positive: " + d);
            this.timeout = d;
            return this;
        }

        public Builder httpClient(HttpClient client) {
            this.http = Objects.requireNonNull(client);
            return this;
        }

        public CreditsClient build() {
            return new CreditsClient(this);
        }
    }

    /** Who spends: the account itself (its owner), or a user in a project (charged to the project's owner). */
    public sealed interface Spender {
        record OfAccount(String account) implements Spender {}

        record InProject(String project, String user) implements Spender {}

        static Spender account(String account) {
            return new OfAccount(account);
        }

        static Spender inProject(String project, String user) {
            return new InProject(project, user);
        }
    }

    // ---------------------------------------------------------------- accounts and plans

    public JsonNode putAccount(String account, String name, String timeZone) {
        ObjectNode body = JSON.createObjectNode();
        if (name != null) body.put("name", name);
        if (timeZone != null) body.put("timeZone", timeZone);
        return send("PUT", "/v1/accounts/" + seg(account), body, null, JsonNode.class);
    }

    public JsonNode account(String account) {
        return send("GET", "/v1/accounts/" + seg(account), null, null, JsonNode.class);
    }

    /** Starts or changes the main plan; {@code anchor} may be null. */
    public JsonNode setMainPlan(String account, String plan, String term, Instant anchor) {
        ObjectNode body = JSON.createObjectNode().put("plan", plan).put("term", term);
        if (anchor != null) body.put("anchor", anchor.toString());
        return send("PUT", "/v1/accounts/" + seg(account) + "/main-plan", body, null, JsonNode.class);
    }

    public JsonNode endMainPlan(String account) {
        return send("DELETE", "/v1/accounts/" + seg(account) + "/main-plan", null, null, JsonNode.class);
    }

    public JsonNode bookAiPlan(String account, String plan) {
        return send("POST", "/v1/accounts/" + seg(account) + "/ai-plan", JSON.createObjectNode().put("plan", plan), null, JsonNode.class);
    }

    public JsonNode changeAiPlan(String account, String plan) {
        return send("PATCH", "/v1/accounts/" + seg(account) + "/ai-plan", JSON.createObjectNode().put("plan", plan), null, JsonNode.class);
    }

    /** Cancels the AI plan at the period's end, or at once. */
    public JsonNode cancelAiPlan(String account, boolean now) {
        return send("DELETE", "/v1/accounts/" + seg(account) + "/ai-plan?when=" + (now ? "now" : "period_end"), null, null, JsonNode.class);
    }

    public Models.Balance balance(String account) {
        return send("GET", "/v1/accounts/" + seg(account) + "/balance", null, null, Models.Balance.class);
    }

    /** One page of ledger entries, newest first; {@code cursor} null for the first page. */
    public JsonNode ledger(String account, String cursor, Integer limit) {
        return send("GET", "/v1/accounts/" + seg(account) + "/ledger" + query("after", cursor, "limit", limit), null, null, JsonNode.class);
    }

    public JsonNode usage(String account, Instant from, Instant to, String groupBy) {
        return send("GET", "/v1/accounts/" + seg(account) + "/usage" + query("from", from, "to", to, "groupBy", groupBy),
                null, null, JsonNode.class);
    }

    public JsonNode charges(String account) {
        return send("GET", "/v1/accounts/" + seg(account) + "/charges", null, null, JsonNode.class);
    }

    /** An operator's grant (admin key); {@code expiresAt} may be null. */
    public JsonNode grant(String account, long credits, Instant expiresAt, String reason) {
        ObjectNode body = JSON.createObjectNode().put("credits", credits).put("reason", reason);
        if (expiresAt != null) body.put("expiresAt", expiresAt.toString());
        return send("POST", "/v1/accounts/" + seg(account) + "/grants", body, null, JsonNode.class);
    }

    public JsonNode catalog() {
        return send("GET", "/v1/catalog", null, null, JsonNode.class);
    }

    // ---------------------------------------------------------------- projects

    public JsonNode putProject(String project, String account) {
        return send("PUT", "/v1/projects/" + seg(project), JSON.createObjectNode().put("account", account), null, JsonNode.class);
    }

    /** Adds or changes a member: role {@code editor} or {@code viewer}. */
    public JsonNode putMember(String project, String user, String role) {
        return send("PUT", "/v1/projects/" + seg(project) + "/members/" + seg(user), JSON.createObjectNode().put("role", role),
                null, JsonNode.class);
    }

    public JsonNode removeMember(String project, String user) {
        return send("DELETE", "/v1/projects/" + seg(project) + "/members/" + seg(user), null, null, JsonNode.class);
    }

    /** Before showing an AI button: may this user start AI actions here, and whose credits are spent. */
    public Models.AiAccess aiAccess(String project, String user) {
        return send("GET", "/v1/projects/" + seg(project) + "/ai-access" + query("user", user), null, null, Models.AiAccess.class);
    }

    // ---------------------------------------------------------------- spending

    public Models.Use use(Spender spender, String feature) {
        return use(spender, feature, null);
    }

    /** Charges a feature at once; a given idempotency key makes a retry of yours charge once too. */
    public Models.Use use(Spender spender, String feature, String idempotencyKey) {
        ObjectNode body = spenderBody(spender).put("feature", feature);
        return send("POST", "/v1/uses", body, idempotencyKey, Models.Use.class);
    }

    public JsonNode refund(String useId) {
        return send("POST", "/v1/uses/" + seg(useId) + "/refund", null, null, JsonNode.class);
    }

    /** Holds a feature's cost for a generation that takes time; {@code ttl} null for the server's default. */
    public Models.Hold reserve(Spender spender, String feature, Duration ttl, String idempotencyKey) {
        ObjectNode body = spenderBody(spender).put("feature", feature);
        if (ttl != null) body.put("ttlSeconds", ttl.toSeconds());
        return send("POST", "/v1/holds", body, idempotencyKey, Models.Hold.class);
    }

    /** Holds a number of credits. */
    public Models.Hold reserveCredits(Spender spender, long credits, Duration ttl, String idempotencyKey) {
        ObjectNode body = spenderBody(spender).put("credits", credits);
        if (ttl != null) body.put("ttlSeconds", ttl.toSeconds());
        return send("POST", "/v1/holds", body, idempotencyKey, Models.Hold.class);
    }

    /** Captures all of a hold ({@code credits} null) or part of it; the rest goes back. */
    public JsonNode capture(String holdId, Long credits) {
        ObjectNode body = JSON.createObjectNode();
        if (credits != null) body.put("credits", credits);
        return send("POST", "/v1/holds/" + seg(holdId) + "/capture", body, null, JsonNode.class);
    }

    public JsonNode release(String holdId) {
        return send("POST", "/v1/holds/" + seg(holdId) + "/release", null, null, JsonNode.class);
    }

    // ---------------------------------------------------------------- events and webhooks

    public Models.Page<Models.Event> events(String after, String type, String account) {
        return send("GET", "/v1/events" + query("after", after, "type", type, "account", account), null, null,
                new TypeReference<Models.Page<Models.Event>>() {});
    }

    public Models.WebhookEndpoint createWebhookEndpoint(String url, List<String> events) {
        ObjectNode body = JSON.createObjectNode().put("url", url);
        body.putArray("events").addAll(events.stream().map(JSON.getNodeFactory()::textNode).toList());
        return send("POST", "/v1/webhook-endpoints", body, null, Models.WebhookEndpoint.class);
    }

    public JsonNode webhookDeliveries(String endpointId) {
        return send("GET", "/v1/webhook-endpoints/" + seg(endpointId) + "/deliveries", null, null, JsonNode.class);
    }

    // ---------------------------------------------------------------- the billing page

    /** A signed link to the account's billing page (admin key); {@code ttl} null for the server's default (an hour). */
    public Models.PortalSession portalSession(String account, Duration ttl) {
        ObjectNode body = JSON.createObjectNode().put("account", account);
        if (ttl != null) body.put("ttlSeconds", ttl.toSeconds());
        return send("POST", "/v1/portal-sessions", body, null, Models.PortalSession.class);
    }

    // ---------------------------------------------------------------- the wire

    private <T> T send(String method, String path, JsonNode body, String key, Class<T> type) {
        return JSON.convertValue(exchange(method, path, body, key), type);
    }

    private <T> T send(String method, String path, JsonNode body, String key, TypeReference<T> type) {
        return JSON.convertValue(exchange(method, path, body, key), type);
    }

    /** Sends with retries on network failures, always with the same idempotency key. */
    private JsonNode exchange(String method, String path, JsonNode body, String key) {
        boolean mutation = !method.equals("GET");
        String idempotencyKey = mutation ? (key != null ? key : UUID.randomUUID().toString()) : null;
        HttpRequest request = request(method, path, body, idempotencyKey);
        IOException lastFailure = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if ((status == 502 || status == 503 || status == 504) && attempt < attempts) {
                    pause(attempt);
                    continue;
                }
                return answer(response);
            } catch (IOException e) {
                lastFailure = e;
                if (attempt < attempts) pause(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while calling Credits", e);
            }
        }
        throw new CreditsException(0, "network_error", "no answer from Credits",
                method + " " + path + " failed " + attempts + " times: " + lastFailure, List.of());
    }

    private HttpRequest request(String method, String path, JsonNode body, String idempotencyKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json");
        if (idempotencyKey != null) b.header("Idempotency-Key", idempotencyKey);
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(write(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    private static JsonNode answer(HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode json = read(response.body());
        if (status >= 200 && status < 300) return json;
        List<CreditsException.FieldError> errors = new ArrayList<>();
        JsonNode es = json.path("errors");
        if (es.isArray()) es.forEach(e -> errors.add(new CreditsException.FieldError(e.path("field").asText(null),
                e.path("reason").asText(null))));
        throw CreditsException.of(status, json.path("code").asText(null), json.path("title").asText(null),
                json.path("detail").asText(null), errors);
    }

    private void pause(int attempt) {
        try {
            Thread.sleep(backoff.multipliedBy(1L << Math.min(attempt - 1, 10)).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }

    private static ObjectNode spenderBody(Spender spender) {
        return switch (spender) {
            case Spender.OfAccount a -> JSON.createObjectNode().put("account", a.account());
            case Spender.InProject p -> JSON.createObjectNode().put("project", p.project()).put("user", p.user());
        };
    }

    private static String seg(String s) {
        return URLEncoder.encode(Objects.requireNonNull(s, "a path segment"), StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String query(Object... pairs) {
        Map<String, Object> q = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) if (pairs[i + 1] != null) q.put((String) pairs[i], pairs[i + 1]);
        if (q.isEmpty()) return "";
        StringBuilder sb = new StringBuilder("?");
        q.forEach((k, v) -> {
            if (sb.length() > 1) sb.append('&');
            sb.append(k).append('=').append(URLEncoder.encode(v.toString(), StandardCharsets.UTF_8));
        });
        return sb.toString();
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String body) {
        if (body == null || body.isBlank()) return JSON.createObjectNode();
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode().put("detail", body.length() > 500 ? body.substring(0, 500) : body);
        }
    }
}
