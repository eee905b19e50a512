package io.credits.events;

import io.credits.store.StoreException;
import io.credits.store.Transactions;

import javax.sql.DataSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The webhook endpoints (admin): register, list, get, disable, delete. The dispatcher sends each
 * enabled endpoint the events of its types that are fanned out after it was registered.
 *
 * <p>The signing secret is stored as it is, not hashed like an API key: every delivery is signed
 * with it, and an HMAC needs the key itself. Only {@link #create} returns it; the database is the
 * place to protect it.
 */
public final class WebhookEndpoints {
    public static final int URL_LENGTH_MAX = 2048;
    /** Types per endpoint: there are nine, and {@code "*"}. */
    public static final int EVENTS_MAX = 20;
    /** Endpoints in all, disabled ones included: each event costs one delivery row per endpoint. */
    public static final int ENDPOINTS_MAX = 100;
    public static final String ID_PREFIX = "we_";
    /** Serialises {@link #create} across processes, so the count stays under {@link #ENDPOINTS_MAX}. */
    private static final long CREATE_LOCK = 0x77656268_6f6f6b73L;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The body of {@code POST /v1/webhook-endpoints}, as received; {@link #create} checks it. */
    public record Registration(String url, List<String> events) {}

    /** {@code 201} of {@code POST /v1/webhook-endpoints}: the only answer that shows the secret. */
    public record Created(String id, String url, List<String> events, String secret) {}

    /**
     * An endpoint as lists show it: never the secret.
     *
     * @param disabledAt when it was disabled; null while enabled
     */
    public record Endpoint(String id, String url, List<String> events, Instant createdAt, Instant disabledAt) {
        public Endpoint {
            events = List.copyOf(events);
        }

        public boolean enabled() {
            return disabledAt == null;
        }

        /** Whether an event of this type goes to this endpoint. */
        public boolean wants(String type) {
            return events.contains(type) || events.contains(EventTypes.ALL_TYPES);
        }
    }

    /** {@link #ENDPOINTS_MAX} endpoints exist already: the HTTP layer answers 409 {@code conflict}. */
    public static final class TooManyEndpoints extends RuntimeException {
        TooManyEndpoints() {
            super("there are already " + ENDPOINTS_MAX + " webhook endpoints, the most allowed;"
                    + " delete one that is no longer used first");
        }
    }

    private final DataSource dataSource;
    private final Clock clock;

    public WebhookEndpoints(DataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Registers an endpoint with a new secret.
     *
     * @throws FieldErrors naming {@code url} and each bad {@code events[i]}
     * @throws TooManyEndpoints when {@link #ENDPOINTS_MAX} exist
     */
    public Created create(Registration registration) {
        check(registration);
        String id = ID_PREFIX + randomId();
        String secret = WebhookSignature.newSecret();
        List<String> events = List.copyOf(registration.events());
        Transactions.inTransaction(dataSource, "could not register a webhook endpoint", c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, CREATE_LOCK);
                lock.execute();
            }
            try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM webhook_endpoints");
                 ResultSet rs = count.executeQuery()) {
                rs.next();
                if (rs.getLong(1) >= ENDPOINTS_MAX) throw new TooManyEndpoints();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO webhook_endpoints (endpoint_id, url, event_types, secret, created_at)
                    VALUES (?, ?, ?, ?, ?)""")) {
                ps.setString(1, id);
                ps.setString(2, registration.url());
                ps.setArray(3, c.createArrayOf("text", events.toArray()));
                ps.setString(4, secret);
                ps.setTimestamp(5, Timestamp.from(clock.instant()));
                ps.executeUpdate();
            }
            return null;
        });
        return new Created(id, registration.url(), events, secret);
    }

    /** All endpoints, oldest first; at most {@link #ENDPOINTS_MAX}. */
    public List<Endpoint> list() {
        return query("SELECT endpoint_id, url, event_types, created_at, disabled_at FROM webhook_endpoints"
                + " ORDER BY created_at, endpoint_id", null);
    }

    public Optional<Endpoint> get(String id) {
        return query("SELECT endpoint_id, url, event_types, created_at, disabled_at FROM webhook_endpoints"
                + " WHERE endpoint_id = ?", id).stream().findFirst();
    }

    /**
     * Stops deliveries to the endpoint and keeps its log. Its pending deliveries fail now: an
     * endpoint disabled is one the operator no longer wants called. False if there is no such
     * endpoint; disabling twice is accepted and changes nothing.
     */
    public boolean disable(String id) {
        return Transactions.inTransaction(dataSource, "could not disable webhook endpoint " + id, c -> {
            try (PreparedStatement endpoint = c.prepareStatement(
                    "UPDATE webhook_endpoints SET disabled_at = coalesce(disabled_at, ?) WHERE endpoint_id = ?");
                 PreparedStatement pending = c.prepareStatement("""
                         UPDATE webhook_deliveries SET state = 'failed', next_attempt_at = NULL, finished_at = ?
                         WHERE endpoint_id = ? AND state = 'pending'""")) {
                Timestamp now = Timestamp.from(clock.instant());
                endpoint.setTimestamp(1, now);
                endpoint.setString(2, id);
                boolean found = endpoint.executeUpdate() == 1;
                pending.setTimestamp(1, now);
                pending.setString(2, id);
                pending.executeUpdate();
                return found;
            }
        });
    }

    /** Deletes the endpoint with its deliveries and their log. False if there is no such endpoint. */
    public boolean delete(String id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM webhook_endpoints WHERE endpoint_id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("could not delete webhook endpoint " + id, e);
        }
    }

    /** Checks a registration; every bad field is named. */
    static void check(Registration r) {
        List<FieldErrors.FieldError> errors = new ArrayList<>();
        checkUrl(r.url()).ifPresent(m -> errors.add(new FieldErrors.FieldError("url", m)));
        checkEvents(r.events(), errors);
        if (!errors.isEmpty()) throw new FieldErrors(errors);
    }

    private static Optional<String> checkUrl(String url) {
        String expected = "; give an absolute http or https URL such as https://example.com/webhooks/credits";
        if (url == null || url.isBlank()) return Optional.of("is required" + expected);
        if (url.length() > URL_LENGTH_MAX) {
            return Optional.of("must be at most " + URL_LENGTH_MAX + " characters, was " + url.length());
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")" + expected);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            return Optional.of("must use http or https, was '" + EventLog.clip(url) + "'" + expected);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) return Optional.of("has no host" + expected);
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry a user or password: receivers authenticate a delivery by its"
                    + " webhook-signature");
        }
        return Optional.empty();
    }

    private static void checkEvents(List<String> events, List<FieldErrors.FieldError> errors) {
        String known = "known types: " + EventTypes.knownList() + ", or \"" + EventTypes.ALL_TYPES + "\" for all";
        if (events == null || events.isEmpty()) {
            errors.add(new FieldErrors.FieldError("events", "name at least one event type; " + known));
            return;
        }
        if (events.size() > EVENTS_MAX) {
            errors.add(new FieldErrors.FieldError("events", "must name at most " + EVENTS_MAX + " types, named "
                    + events.size()));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            String type = events.get(i);
            String field = "events[" + i + "]";
            if (type == null || !(EventTypes.isKnown(type) || type.equals(EventTypes.ALL_TYPES))) {
                errors.add(new FieldErrors.FieldError(field, "unknown event type "
                        + (type == null ? "null" : "'" + EventLog.clip(type) + "'") + "; " + known));
            } else if (!seen.add(type)) {
                errors.add(new FieldErrors.FieldError(field, "'" + type + "' is listed twice; list each type once"));
            } else if (type.equals(EventTypes.ALL_TYPES) && events.size() > 1) {
                errors.add(new FieldErrors.FieldError(field, "\"*\" already means every type; list it alone"));
            }
        }
    }

    private List<Endpoint> query(String sql, String id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (id != null) ps.setString(1, id);
            List<Endpoint> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(endpoint(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not read webhook endpoints", e);
        }
    }

    static Endpoint endpoint(ResultSet rs) throws SQLException {
        Array types = rs.getArray(3);
        Timestamp disabled = rs.getTimestamp(5);
        return new Endpoint(rs.getString(1), rs.getString(2), List.of((String[]) types.getArray()),
                rs.getTimestamp(4).toInstant(), disabled == null ? null : disabled.toInstant());
    }

    private static String randomId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
