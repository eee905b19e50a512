package io.credits.events;

import com.fasterxml.jackson.annotation.JsonValue;
import io.credits.store.StoreException;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The delivery log of an endpoint, for {@code GET /v1/webhook-endpoints/{id}/deliveries}: one
 * delivery per event sent to it, newest first, each with its attempts.
 */
public final class Deliveries {
    public static final int LIMIT_DEFAULT = 50;
    public static final int LIMIT_MAX = 200;
    public static final String ID_PREFIX = "dlv_";

    /** Where a delivery stands; in JSON and in the {@code state} column as the lower-case word. */
    public enum State {
        /** Not yet answered with a 2xx: an attempt is due at {@code nextRetryAt}, or in flight until then. */
        PENDING,
        /** The receiver answered 2xx. */
        SUCCEEDED,
        /** Every attempt failed, or the endpoint was disabled while it was pending. */
        FAILED;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        static State of(String word) {
            return valueOf(word.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * One attempt: the receiver's status and the start of its answer, or the error (refused
     * connection, timeout...).
     *
     * @param statusCode null when there was no answer
     * @param error      null when there was an answer
     * @param response   the first characters of the answer's body, up to {@link WebhookDispatcher#RESPONSE_EXCERPT_MAX}
     */
    public record Attempt(int attempt, Instant attemptedAt, long durationMillis, Integer statusCode, String error,
                          String response) {}

    /**
     * @param nextRetryAt while pending: when the next attempt is due (or, while one is in flight,
     *                    when it is taken again if its outcome is never recorded); null when finished
     * @param attempts    the attempts recorded, oldest first (an attempt cut short by a crash has
     *                    none, and is counted by the attempt numbers that follow)
     */
    public record Delivery(String id, String eventId, String eventType, String account, State state,
                           Instant createdAt, Instant nextRetryAt, Instant finishedAt, List<Attempt> attempts) {
        public Delivery {
            attempts = List.copyOf(attempts);
        }
    }

    /** Deliveries by state, for metrics. */
    public record Counts(long pending, long succeeded, long failed) {}

    private final DataSource dataSource;

    public Deliveries(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * A page of the endpoint's deliveries, newest first; empty if there is no such endpoint.
     *
     * @param cursor the {@code nextCursor} of the previous page, or null for the newest
     * @param limit  1 to {@value #LIMIT_MAX} deliveries, or null for {@value #LIMIT_DEFAULT}
     * @throws FieldErrors naming {@code cursor} or {@code limit}
     */
    public Optional<Page<Delivery>> list(String endpointId, String cursor, String limit) {
        List<FieldErrors.FieldError> errors = new ArrayList<>();
        long before = cursor == null ? Long.MAX_VALUE : decode(cursor, errors);
        int n = limit == null ? LIMIT_DEFAULT : EventLog.parseLimit(limit, LIMIT_MAX, errors);
        if (!errors.isEmpty()) throw new FieldErrors(errors);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM webhook_endpoints WHERE endpoint_id = ?")) {
                ps.setString(1, endpointId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                }
            }
            Map<Long, Row> rows = deliveries(c, endpointId, before, n + 1);
            boolean more = rows.size() > n;
            List<Long> ids = new ArrayList<>(rows.keySet()).subList(0, Math.min(n, rows.size()));
            Map<Long, List<Attempt>> attempts = attempts(c, ids);
            List<Delivery> page = ids.stream().map(id -> rows.get(id).delivery(attempts.getOrDefault(id, List.of())))
                    .toList();
            return Optional.of(new Page<>(page, more ? encode(ids.getLast()) : null));
        } catch (SQLException e) {
            throw new StoreException("could not read the deliveries of webhook endpoint " + endpointId, e);
        }
    }

    public Counts counts() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'succeeded'),
                            count(*) FILTER (WHERE state = 'failed') FROM webhook_deliveries""");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3));
        } catch (SQLException e) {
            throw new StoreException("could not count webhook deliveries", e);
        }
    }

    private record Row(long id, long eventId, String eventType, String account, State state, Instant createdAt,
                       Instant nextRetryAt, Instant finishedAt) {
        Delivery delivery(List<Attempt> attempts) {
            return new Delivery(ID_PREFIX + id, EventLog.ID_PREFIX + eventId, eventType, account, state, createdAt,
                    nextRetryAt, finishedAt, attempts);
        }
    }

    private static Map<Long, Row> deliveries(Connection c, String endpointId, long before, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT delivery_id, event_id, event_type, account_id, state, created_at, next_attempt_at, finished_at
                FROM webhook_deliveries WHERE endpoint_id = ? AND delivery_id < ?
                ORDER BY delivery_id DESC LIMIT ?""")) {
            ps.setString(1, endpointId);
            ps.setLong(2, before);
            ps.setInt(3, limit);
            Map<Long, Row> out = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            State.of(rs.getString(5)), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)),
                            instant(rs.getTimestamp(8))));
                }
            }
            return out;
        }
    }

    private static Map<Long, List<Attempt>> attempts(Connection c, List<Long> deliveryIds) throws SQLException {
        Map<Long, List<Attempt>> out = new LinkedHashMap<>();
        if (deliveryIds.isEmpty()) return out;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT delivery_id, attempt, attempted_at, duration_millis, status_code, error, response_excerpt
                FROM webhook_attempts WHERE delivery_id = ANY(?) ORDER BY delivery_id, attempt""")) {
            ps.setArray(1, c.createArrayOf("bigint", deliveryIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int status = rs.getInt(5);
                    Integer statusCode = rs.wasNull() ? null : status;
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Attempt(rs.getInt(2),
                            instant(rs.getTimestamp(3)), rs.getLong(4), statusCode, rs.getString(6), rs.getString(7)));
                }
            }
        }
        return out;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String encode(long deliveryId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("d:" + deliveryId).getBytes(StandardCharsets.US_ASCII));
    }

    private static long decode(String cursor, List<FieldErrors.FieldError> errors) {
        try {
            if (cursor.length() <= EventLog.CURSOR_LENGTH_MAX) {
                String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
                if (plain.startsWith("d:")) {
                    long id = Long.parseLong(plain.substring(2));
                    if (id > 0) return id;
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        errors.add(new FieldErrors.FieldError("cursor", "not a cursor from nextCursor; pass the nextCursor of a"
                + " previous page unchanged, or omit cursor for the newest deliveries"));
        return 0;
    }
}
