package io.credits.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.credits.store.Json;
import io.credits.store.StoreException;
import io.credits.store.Transactions;

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
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The events of the outbox, oldest first, for {@code GET /v1/events} and for the webhook fan-out.
 *
 * <p>Order and cursor follow commit order, not identity order. An event_id is taken when a row is
 * inserted, so under concurrency a transaction holding event 7 can commit after one holding event
 * 8; a poller that kept "after 8" would never see 7. So events are numbered after they commit
 * ({@link #sequence}, one sequencer at a time under a lock held until its commit: each committed
 * event without a number gets the next one) and pages go by that number, {@code seq}. An event
 * appears in the log once sequenced: every {@link #page} sequences first, and so does every round
 * of the {@link WebhookDispatcher}.
 *
 * <p>Rejected alternatives: a safety lag (hand out only events older than a few seconds) fails
 * for any transaction slower than the lag; the transaction-id horizon
 * ({@code pg_snapshot_xmin(pg_current_snapshot())}) is exact, but cluster-wide, so any long
 * transaction in any database of the PostgreSQL server holds every event back.
 */
public final class EventLog {
    public static final int LIMIT_DEFAULT = 100;
    public static final int LIMIT_MAX = 500;
    public static final int ACCOUNT_LENGTH_MAX = 200;
    public static final int CURSOR_LENGTH_MAX = 100;
    /** Prefix of an event's id on the wire; the number is the outbox's event_id. */
    public static final String ID_PREFIX = "evt_";

    /**
     * An event as the API and webhooks show it: {@code {id, type, account, createdAt, data}}, and
     * {@code occurredAt}, the instant in the account's history it belongs to (a renewal's boundary,
     * a hold's expiry), which may be earlier than when it was recorded ({@code createdAt}).
     */
    public record Event(String id, String type, String account, Instant createdAt, Instant occurredAt, JsonNode data) {
        public Event {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(occurredAt, "occurredAt");
            Objects.requireNonNull(data, "data");
        }
    }

    /** A position in commit order: after the event numbered {@code seq} (0: before the first). */
    public record Cursor(long seq) {
        public static final Cursor START = new Cursor(0);

        public Cursor {
            if (seq < 0) throw new IllegalArgumentException("a cursor's seq must be >= 0, was " + seq);
        }

        /** Opaque on the wire: base64url of {@code "e:seq"}. */
        public String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(("e:" + seq).getBytes(StandardCharsets.US_ASCII));
        }

        /** @throws FieldErrors naming {@code field} when the text is not a cursor this log made */
        public static Cursor decode(String text, String field) {
            try {
                if (!text.isEmpty() && text.length() <= CURSOR_LENGTH_MAX) {
                    String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
                    if (plain.startsWith("e:")) return new Cursor(Long.parseLong(plain.substring(2)));
                }
            } catch (IllegalArgumentException e) {
                // bad base64, not a number, negative: all reported below
            }
            throw FieldErrors.of(field, "not a cursor from nextCursor; pass the nextCursor of a previous page"
                    + " unchanged, or omit " + field + " to start from the oldest event");
        }
    }

    /**
     * What {@code GET /v1/events} asks; checked when made.
     *
     * @param after   start after this position; empty for the oldest event
     * @param type    only this event type
     * @param account only this account's events
     * @param limit   1 to {@value #LIMIT_MAX} events
     */
    public record Query(Optional<Cursor> after, Optional<String> type, Optional<String> account, int limit) {
        public Query {
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(account, "account");
            List<FieldErrors.FieldError> errors = new ArrayList<>();
            check(type, account, errors);
            if (limit < 1 || limit > LIMIT_MAX) errors.add(new FieldErrors.FieldError("limit",
                    "must be 1 to " + LIMIT_MAX + " events, was " + limit));
            if (!errors.isEmpty()) throw new FieldErrors(errors);
        }

        private static void check(Optional<String> type, Optional<String> account, List<FieldErrors.FieldError> errors) {
            type.filter(t -> !EventTypes.isKnown(t)).ifPresent(t -> errors.add(new FieldErrors.FieldError("type",
                    "unknown event type '" + clip(t) + "'; known types: " + EventTypes.knownList())));
            account.filter(a -> a.isEmpty() || a.length() > ACCOUNT_LENGTH_MAX).ifPresent(a -> errors.add(
                    new FieldErrors.FieldError("account", "must be 1 to " + ACCOUNT_LENGTH_MAX + " characters, was "
                            + a.length())));
        }

        /** The first {@value #LIMIT_DEFAULT} events of all types and accounts. */
        public static Query all() {
            return new Query(Optional.empty(), Optional.empty(), Optional.empty(), LIMIT_DEFAULT);
        }

        /**
         * From the raw query parameters of {@code GET /v1/events?after&type&account&limit}, each null
         * when absent; every bad one is named in the {@link FieldErrors} thrown.
         */
        public static Query parse(String after, String type, String account, String limit) {
            List<FieldErrors.FieldError> errors = new ArrayList<>();
            Optional<Cursor> cursor = Optional.empty();
            if (after != null) {
                try {
                    cursor = Optional.of(Cursor.decode(after, "after"));
                } catch (FieldErrors e) {
                    errors.addAll(e.errors());
                }
            }
            check(Optional.ofNullable(type), Optional.ofNullable(account), errors);
            int n = limit == null ? LIMIT_DEFAULT : parseLimit(limit, LIMIT_MAX, errors);
            if (!errors.isEmpty()) throw new FieldErrors(errors);
            return new Query(cursor, Optional.ofNullable(type), Optional.ofNullable(account), n);
        }

        public Query after(Cursor cursor) {
            return new Query(Optional.of(cursor), type, account, limit);
        }
    }

    /** An event with its position, for the fan-out. */
    record Positioned(Cursor position, long eventId, Event event) {}

    /** Events numbered per {@link #sequence} call; a burst larger than this takes several calls. */
    public static final int SEQUENCE_BATCH_MAX = 1_000;
    /** Held by the sequencer until its commit, so numbers commit in increasing order. */
    private static final long SEQUENCER_LOCK = 0x6f7574626f785f71L;

    private final DataSource dataSource;

    public EventLog(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * One page, oldest first. {@code nextCursor} is the position after the page's last event, or
     * {@code after} again when the page is empty (null if no cursor was given): poll with it.
     */
    public Page<Event> page(Query query) {
        sequence(dataSource);
        try (Connection c = dataSource.getConnection()) {
            List<Positioned> rows = read(c, query.after().orElse(Cursor.START), query.type(), query.account(),
                    query.limit());
            String next = rows.isEmpty()
                    ? query.after().map(Cursor::encode).orElse(null)
                    : rows.getLast().position().encode();
            return new Page<>(rows.stream().map(Positioned::event).toList(), next);
        } catch (SQLException e) {
            throw new StoreException("could not read events", e);
        }
    }

    /**
     * Numbers up to {@link #SEQUENCE_BATCH_MAX} committed events that have no number yet, in
     * event_id order, after the highest number so far; returns how many. If another process is
     * sequencing right now, returns 0 at once: its commit brings the same events.
     *
     * <p>Why this is safe: the numbers are given under an advisory lock held until commit, so a
     * transaction that numbers starts after the previous one has committed and numbers from its
     * highest. Whoever sees a number therefore sees every smaller one. Events of transactions not
     * yet committed are not seen, and get a larger number later.
     */
    public static int sequence(DataSource dataSource) {
        return Transactions.inTransaction(dataSource, "could not sequence events", c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
                lock.setLong(1, SEQUENCER_LOCK);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1) ? number(c) : 0;
                }
            }
        });
    }

    private static int number(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE outbox_events o SET seq = n.seq
                FROM (SELECT u.account_id, u.event_id,
                             (SELECT coalesce(max(seq), 0) FROM outbox_events WHERE seq IS NOT NULL)
                               + row_number() OVER (ORDER BY u.event_id) AS seq
                      FROM (SELECT account_id, event_id FROM outbox_events WHERE seq IS NULL
                            ORDER BY event_id LIMIT ?) u) n
                WHERE o.account_id = n.account_id AND o.event_id = n.event_id""")) {
            ps.setInt(1, SEQUENCE_BATCH_MAX);
            return ps.executeUpdate();
        }
    }

    /** Up to {@code limit} sequenced events after {@code after}, in commit order. */
    static List<Positioned> read(Connection c, Cursor after, Optional<String> type, Optional<String> account,
                                 int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("""
                SELECT seq, event_id, account_id, type, data::text, effective_at, recorded_at
                FROM outbox_events WHERE seq > ?""");
        if (type.isPresent()) sql.append(" AND type = ?");
        if (account.isPresent()) sql.append(" AND account_id = ?");
        sql.append(" ORDER BY seq LIMIT ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setLong(i++, after.seq());
            if (type.isPresent()) ps.setString(i++, type.get());
            if (account.isPresent()) ps.setString(i++, account.get());
            ps.setInt(i, limit);
            List<Positioned> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Positioned(new Cursor(rs.getLong(1)), rs.getLong(2), event(rs.getLong(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getTimestamp(6), rs.getTimestamp(7))));
                }
            }
            return out;
        }
    }

    static Event event(long eventId, String account, String type, String dataJson, Timestamp effectiveAt,
                       Timestamp recordedAt) {
        return new Event(ID_PREFIX + eventId, type, account, recordedAt.toInstant(), effectiveAt.toInstant(),
                parse(dataJson));
    }

    /** Parses a limit in {@code 1..max}; on error adds it to {@code errors} and returns -1. */
    static int parseLimit(String text, int max, List<FieldErrors.FieldError> errors) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1 && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        errors.add(new FieldErrors.FieldError("limit", "must be a whole number from 1 to " + max + ", was '"
                + clip(text) + "'"));
        return -1;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbox_events.data is not JSON: " + clip(json), e);
        }
    }

    /** Echoes at most 50 characters of what a client sent. */
    static String clip(String s) {
        return s.length() <= 50 ? s : s.substring(0, 50) + "...";
    }
}
