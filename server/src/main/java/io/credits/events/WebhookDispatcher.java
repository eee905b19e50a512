package io.credits.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.credits.events.Deliveries.State;
import io.credits.store.Json;
import io.credits.store.StoreException;
import io.credits.store.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers the outbox's events to the webhook endpoints, at least once, signed as the Standard
 * Webhooks specification says.
 *
 * <p>Each round: <b>fan out</b> (in one transaction: take the next events in commit order from
 * {@link EventLog}, after numbering new ones, add one {@code webhook_deliveries} row per matching enabled endpoint, move the
 * stored position; the position row is locked FOR UPDATE SKIP LOCKED, so one process fans out at a
 * time and none twice); then <b>claim</b> due pending deliveries (FOR UPDATE SKIP LOCKED, so
 * several processes never take the same one), counting the attempt and leasing the row until
 * {@link Options#lease()}; <b>send</b> outside any transaction; <b>record</b> the answer and the
 * next attempt (backoff) or the end. A process that dies mid-attempt leaves a leased row, attempted
 * again when the lease ends: so a receiver may see an event twice and deduplicates by
 * {@code webhook-id}; everything lives in the database, so a restart loses nothing.
 *
 * <p>Redirects are not followed (a 3xx is a failed attempt): the signed body goes only to the URL
 * the operator registered.
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

    /** The most of a receiver's answer read; the rest is never read. */
    public static final int RESPONSE_READ_MAX_BYTES = 4_096;
    /** The most of a receiver's answer (or of an error) kept in the delivery log. */
    public static final int RESPONSE_EXCERPT_MAX = 500;
    /** Finished deliveries removed per round once older than {@link Options#retention()}. */
    public static final int PURGE_BATCH_MAX = 1_000;
    public static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
    public static final String USER_AGENT = "credits-webhooks/1";

    /**
     * When to try again: after failed attempt n (1-based), wait {@code first * factor^(n-1)},
     * at most {@code max}; after attempt {@code attemptsMax}, give up (the delivery fails).
     */
    public record Backoff(Duration first, int factor, Duration max, int attemptsMax) {
        public static final int FACTOR_MAX = 10;
        public static final int ATTEMPTS_MAX = 20;
        public static final Duration DELAY_MAX = Duration.ofDays(1);

        public Backoff {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(max, "max");
            if (first.toMillis() < 1 || first.compareTo(max) > 0 || max.compareTo(DELAY_MAX) > 0) {
                throw new IllegalArgumentException("backoff first must be 1 ms to max, and max at most "
                        + DELAY_MAX.toHours() + " h; were " + first.toMillis() + " ms and " + max.toMillis() + " ms");
            }
            if (factor < 1 || factor > FACTOR_MAX) {
                throw new IllegalArgumentException("backoff factor must be 1 to " + FACTOR_MAX + ", was " + factor);
            }
            if (attemptsMax < 1 || attemptsMax > ATTEMPTS_MAX) {
                throw new IllegalArgumentException("backoff attemptsMax must be 1 to " + ATTEMPTS_MAX + " attempts, was "
                        + attemptsMax);
            }
        }

        /** 5 s, 25 s, 2 min 5 s, 10 min 25 s, 52 min, 4 h 20 min, then 6 h: 10 attempts over about 23 h. */
        public static Backoff defaults() {
            return new Backoff(Duration.ofSeconds(5), 5, Duration.ofHours(6), 10);
        }

        /** The wait after failed attempt {@code attempt}, or empty when it was the last one allowed. */
        public Optional<Duration> delayAfter(int attempt) {
            if (attempt >= attemptsMax) return Optional.empty();
            Duration delay = first;
            for (int i = 1; i < attempt && delay.compareTo(max) < 0; i++) delay = delay.multipliedBy(factor);
            return Optional.of(delay.compareTo(max) > 0 ? max : delay);
        }
    }

    /**
     * How the dispatcher runs; checked when made.
     *
     * @param pollInterval   the pause between rounds when there was nothing to do
     * @param batchMax       events fanned out, and deliveries claimed, per round
     * @param inFlightMax    attempts waiting for an answer at once (per process)
     * @param requestTimeout the longest one attempt may take, connection to last byte read
     * @param lease          how long a claimed attempt is kept from other processes; after it, an
     *                       attempt whose outcome was never recorded is taken again. At least twice
     *                       {@code requestTimeout}, so a slow but live attempt is not sent twice.
     * @param retention      how long finished deliveries stay in the log
     */
    public record Options(Duration pollInterval, int batchMax, int inFlightMax, Duration requestTimeout, Duration lease,
                          Backoff backoff, Duration retention) {
        public static final int BATCH_MAX = 1_000;
        public static final int IN_FLIGHT_MAX = 256;

        public Options {
            Objects.requireNonNull(backoff, "backoff");
            range("pollInterval", pollInterval, Duration.ofMillis(10), Duration.ofMinutes(1));
            range("requestTimeout", requestTimeout, Duration.ofMillis(100), Duration.ofMinutes(1));
            range("lease", lease, requestTimeout.multipliedBy(2), Duration.ofHours(1));
            range("retention", retention, Duration.ofHours(1), Duration.ofDays(366));
            if (batchMax < 1 || batchMax > BATCH_MAX) {
                throw new IllegalArgumentException("batchMax must be 1 to " + BATCH_MAX + ", was " + batchMax);
            }
            if (inFlightMax < 1 || inFlightMax > IN_FLIGHT_MAX) {
                throw new IllegalArgumentException("inFlightMax must be 1 to " + IN_FLIGHT_MAX + ", was " + inFlightMax);
            }
        }

        /** A round a second, 100 per batch, 32 in flight, 10 s per attempt, 60 s lease, 30 days of log. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(1), 100, 32, Duration.ofSeconds(10), Duration.ofSeconds(60),
                    Backoff.defaults(), Duration.ofDays(30));
        }

        public Options withBackoff(Backoff backoff) {
            return new Options(pollInterval, batchMax, inFlightMax, requestTimeout, lease, backoff, retention);
        }

        public Options withPollInterval(Duration pollInterval) {
            return new Options(pollInterval, batchMax, inFlightMax, requestTimeout, lease, backoff, retention);
        }

        public Options withRequestTimeout(Duration requestTimeout, Duration lease) {
            return new Options(pollInterval, batchMax, inFlightMax, requestTimeout, lease, backoff, retention);
        }

        public Options withBatchMax(int batchMax) {
            return new Options(pollInterval, batchMax, inFlightMax, requestTimeout, lease, backoff, retention);
        }

        private static void range(String name, Duration value, Duration min, Duration max) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be " + min.toMillis() + " ms to " + max.toMillis()
                        + " ms, was " + value.toMillis() + " ms");
            }
        }
    }

    /** What one {@link #runOnce()} did. */
    public record Round(int eventsFannedOut, int attempted, int succeeded) {}

    /** A claimed attempt; {@code event} is null if the event left the outbox. */
    record Claimed(long deliveryId, int attempt, String url, String secret, EventLog.Event event) {}

    /** What an attempt got: a status and the start of the answer, or an error. */
    record Outcome(Instant attemptedAt, long durationMillis, Integer statusCode, String error, String response) {
        boolean succeeded() {
            return statusCode != null && statusCode >= 200 && statusCode <= 299;
        }
    }

    private record Pumped(int eventsFannedOut, List<CompletableFuture<Boolean>> attempts, boolean busy) {}

    private final DataSource dataSource;
    private final Clock clock;
    private final Options options;
    private final ExecutorService httpExecutor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;
    private final Semaphore inFlight;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object wake = new Object();
    private Thread worker;
    private Instant lastPurge = Instant.MIN;

    /**
     * @param clock the time of attempts, of {@code webhook-timestamp} and of retries; tests pass a
     *              clock they move
     */
    public WebhookDispatcher(DataSource dataSource, Clock clock, Options options) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        this.inFlight = new Semaphore(options.inFlightMax());
        this.http = HttpClient.newBuilder()
                // HTTP/1.1: every receiver speaks it, and plain-http receivers are spared an h2c upgrade.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(httpExecutor)
                .build();
    }

    /** Starts the background worker (one daemon thread); returns this. */
    public synchronized WebhookDispatcher start() {
        if (closed.get()) throw new IllegalStateException("this webhook dispatcher is closed");
        if (running.getAndSet(true)) return this;
        worker = Thread.ofPlatform().daemon().name("credits-webhooks").start(this::work);
        return this;
    }

    /**
     * One round, without the worker: fan out, attempt what is due, and wait for those attempts'
     * answers to be recorded. For tests and for a command that drains by hand.
     */
    public Round runOnce() {
        Pumped p = pump();
        int succeeded = 0;
        for (CompletableFuture<Boolean> attempt : p.attempts()) {
            if (attempt.join()) succeeded++;
        }
        return new Round(p.eventsFannedOut(), p.attempts().size(), succeeded);
    }

    /**
     * Stops the worker, waits up to the request timeout for attempts in flight to be recorded,
     * then drops the rest (their leases end and another round attempts them again). Idempotent.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) return;
        running.set(false);
        Thread w;
        synchronized (this) {
            w = worker;
        }
        try {
            if (w != null) {
                w.interrupt();
                w.join(options.requestTimeout().toMillis() + 1_000);
            }
            if (inFlight.tryAcquire(options.inFlightMax(), options.requestTimeout().toMillis() + 1_000,
                    TimeUnit.MILLISECONDS)) {
                inFlight.release(options.inFlightMax());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            http.shutdownNow();
            httpExecutor.shutdownNow();
        }
    }

    private void work() {
        while (running.get()) {
            boolean busy = false;
            try {
                busy = pump().busy();
            } catch (RuntimeException e) {
                // The database may be away for a while: the next round tries again, nothing is lost.
                LOG.warn("webhook round failed, trying again in {} ms: {}", options.pollInterval().toMillis(), e.toString());
            }
            if (!busy) {
                try {
                    synchronized (wake) {
                        wake.wait(options.pollInterval().toMillis());
                    }
                } catch (InterruptedException e) {
                    return; // close() stops the worker
                }
            }
        }
    }

    /** One round; synchronized so the permits counted are the permits taken. */
    private synchronized Pumped pump() {
        Instant now = clock.instant();
        int fanned = fanOut(now);
        if (!now.isBefore(lastPurge.plus(PURGE_INTERVAL))) {
            purge(now);
            lastPurge = now;
        }
        int free = Math.min(inFlight.availablePermits(), options.batchMax());
        List<CompletableFuture<Boolean>> attempts = new ArrayList<>();
        if (free > 0) {
            for (Claimed d : claim(now, free)) {
                inFlight.acquireUninterruptibly(); // only this synchronized method takes permits
                attempts.add(attempt(d).whenComplete((ok, e) -> inFlight.release()));
            }
        }
        boolean busy = fanned == options.batchMax() || (free > 0 && attempts.size() == free);
        return new Pumped(fanned, attempts, busy);
    }

    // ---------------------------------------------------------------- fan-out

    /** Numbers new events, then adds the deliveries of the next ones; returns how many events it took. */
    int fanOut(Instant now) {
        EventLog.sequence(dataSource);
        return Transactions.inTransaction(dataSource, "could not fan out webhook events", c -> fanOut(c, now));
    }

    private int fanOut(Connection c, Instant now) throws SQLException {
        EventLog.Cursor cursor;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT after_seq FROM webhook_fanout WHERE id = 1 FOR UPDATE SKIP LOCKED");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return 0; // another process is fanning out right now
            cursor = new EventLog.Cursor(rs.getLong(1));
        }
        List<EventLog.Positioned> events = EventLog.read(c, cursor, Optional.empty(), Optional.empty(),
                options.batchMax());
        if (events.isEmpty()) return 0;
        // FOR SHARE: a disable or delete waits for this transaction, so it also sees (and fails or
        // deletes) the deliveries added here.
        List<WebhookEndpoints.Endpoint> endpoints = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT endpoint_id, url, event_types, created_at, disabled_at FROM webhook_endpoints
                WHERE disabled_at IS NULL ORDER BY endpoint_id FOR SHARE""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) endpoints.add(WebhookEndpoints.endpoint(rs));
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO webhook_deliveries (endpoint_id, account_id, event_id, event_type, state, attempts,
                                                next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (endpoint_id, event_id) DO NOTHING""")) {
            Timestamp at = Timestamp.from(now);
            for (EventLog.Positioned p : events) {
                for (WebhookEndpoints.Endpoint e : endpoints) {
                    if (!e.wants(p.event().type())) continue;
                    ps.setString(1, e.id());
                    ps.setString(2, p.event().account());
                    ps.setLong(3, p.eventId());
                    ps.setString(4, p.event().type());
                    ps.setTimestamp(5, at);
                    ps.setTimestamp(6, at);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        EventLog.Cursor last = events.getLast().position();
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE webhook_fanout SET after_seq = ?, updated_at = ? WHERE id = 1")) {
            ps.setLong(1, last.seq());
            ps.setTimestamp(2, Timestamp.from(now));
            ps.executeUpdate();
        }
        return events.size();
    }

    // ---------------------------------------------------------------- claim, send, record

    /** Takes up to {@code limit} due deliveries, counts their attempt and leases them. */
    List<Claimed> claim(Instant now, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     WITH due AS (
                       SELECT w.delivery_id FROM webhook_deliveries w
                       WHERE w.state = 'pending' AND w.next_attempt_at <= ?
                         AND EXISTS (SELECT 1 FROM webhook_endpoints e
                                     WHERE e.endpoint_id = w.endpoint_id AND e.disabled_at IS NULL)
                       ORDER BY w.next_attempt_at LIMIT ? FOR UPDATE OF w SKIP LOCKED),
                     claimed AS (
                       UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = ?
                       FROM due WHERE d.delivery_id = due.delivery_id
                       RETURNING d.delivery_id, d.attempts, d.endpoint_id, d.account_id, d.event_id)
                     SELECT c.delivery_id, c.attempts, e.url, e.secret, c.event_id, c.account_id, o.type,
                            o.data::text, o.effective_at, o.recorded_at
                     FROM claimed c JOIN webhook_endpoints e ON e.endpoint_id = c.endpoint_id
                     LEFT JOIN outbox_events o ON o.account_id = c.account_id AND o.event_id = c.event_id
                     ORDER BY c.delivery_id""")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setInt(2, limit);
            ps.setTimestamp(3, Timestamp.from(now.plus(options.lease())));
            List<Claimed> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    EventLog.Event event = rs.getString(7) == null ? null : EventLog.event(rs.getLong(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getTimestamp(9), rs.getTimestamp(10));
                    out.add(new Claimed(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), event));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not claim webhook deliveries", e);
        }
    }

    /**
     * Sends one attempt and records it; completes (never exceptionally) with whether the receiver
     * took it.
     */
    private CompletableFuture<Boolean> attempt(Claimed d) {
        try {
            return sendAndRecord(d);
        } catch (RuntimeException e) {
            LOG.warn("webhook attempt {} of delivery {} failed before sending: {}", d.attempt(), d.deliveryId(),
                    e.toString());
            return CompletableFuture.completedFuture(false);
        }
    }

    private CompletableFuture<Boolean> sendAndRecord(Claimed d) {
        CompletableFuture<Outcome> outcome = d.event() == null
                ? CompletableFuture.completedFuture(new Outcome(clock.instant(), 0, null,
                        "the event is no longer in the outbox", null))
                : send(d);
        return outcome.thenApply(o -> {
            try {
                record(d, o, d.event() == null);
            } catch (RuntimeException e) {
                // The lease ends and another round attempts it again: at least once still holds.
                LOG.warn("could not record webhook attempt {} of delivery {}: {}", d.attempt(), d.deliveryId(), e.toString());
            }
            return o.succeeded();
        });
    }

    private CompletableFuture<Outcome> send(Claimed d) {
        Instant at = clock.instant();
        long started = System.nanoTime();
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(d.event());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event " + d.event().id() + " as JSON", e);
        }
        long timestamp = at.getEpochSecond();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(d.url()))
                    .timeout(options.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", USER_AGENT)
                    .header("webhook-id", d.event().id())
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", WebhookSignature.sign(d.secret(), d.event().id(), timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Outcome(at, 0, null, clip("cannot send to this URL: "
                    + e.getMessage()), null));
        }
        CompletableFuture<HttpResponse<String>> exchange =
                http.sendAsync(request, info -> new Excerpt(RESPONSE_READ_MAX_BYTES));
        // The request timeout ends when the answer's headers arrive; this bounds the body as well.
        CompletableFuture.delayedExecutor(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> exchange.cancel(true));
        return exchange.handle((response, error) -> {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (response != null) {
                return new Outcome(at, millis, response.statusCode(), null, clip(response.body()));
            }
            return new Outcome(at, millis, null, describe(error), null);
        });
    }

    /** Writes the attempt to the log and the delivery's next step, unless a later claim took it over. */
    void record(Claimed d, Outcome o, boolean giveUp) {
        Instant now = clock.instant();
        Optional<Duration> delay = o.succeeded() || giveUp ? Optional.empty() : options.backoff().delayAfter(d.attempt());
        State state = o.succeeded() ? State.SUCCEEDED : delay.isPresent() ? State.PENDING : State.FAILED;
        Instant next = delay.map(now::plus).orElse(null);
        String failure = "could not record webhook attempt " + d.attempt() + " of delivery " + d.deliveryId();
        Transactions.inTransaction(dataSource, failure, c -> {
            try (PreparedStatement log = c.prepareStatement("""
                    INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, duration_millis, status_code,
                                                  error, response_excerpt)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""");
                 PreparedStatement delivery = c.prepareStatement("""
                    UPDATE webhook_deliveries SET state = ?, next_attempt_at = ?, finished_at = ?
                    WHERE delivery_id = ? AND attempts = ? AND state = 'pending'""")) {
                log.setLong(1, d.deliveryId());
                log.setInt(2, d.attempt());
                log.setTimestamp(3, Timestamp.from(o.attemptedAt()));
                log.setLong(4, o.durationMillis());
                log.setObject(5, o.statusCode(), java.sql.Types.INTEGER);
                log.setString(6, o.error());
                log.setString(7, o.response());
                log.executeUpdate();
                delivery.setString(1, state.word());
                delivery.setTimestamp(2, next == null ? null : Timestamp.from(next));
                delivery.setTimestamp(3, state == State.PENDING ? null : Timestamp.from(now));
                delivery.setLong(4, d.deliveryId());
                delivery.setInt(5, d.attempt());
                delivery.executeUpdate();
                return null;
            }
        });
    }

    /** Removes finished deliveries older than the retention, a bounded batch at a time. */
    private void purge(Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     DELETE FROM webhook_deliveries WHERE delivery_id IN (
                       SELECT delivery_id FROM webhook_deliveries
                       WHERE state <> 'pending' AND finished_at < ? LIMIT ?)""")) {
            ps.setTimestamp(1, Timestamp.from(now.minus(options.retention())));
            ps.setInt(2, PURGE_BATCH_MAX);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not purge old webhook deliveries", e);
        }
    }

    private String describe(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof HttpTimeoutException || e instanceof CancellationException) {
            return "no complete answer within " + options.requestTimeout().toMillis() + " ms";
        }
        if (e instanceof ConnectException) {
            return clip("could not connect" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        return clip(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    /** At most {@link #RESPONSE_EXCERPT_MAX} characters, without the NUL that a text column refuses. */
    private static String clip(String s) {
        if (s == null) return null;
        String text = s.replace('\u0000', '\uFFFD');
        return text.length() <= RESPONSE_EXCERPT_MAX ? text : text.substring(0, RESPONSE_EXCERPT_MAX);
    }

    /** Reads at most {@code max} bytes of an answer, then stops reading (and lets the connection go). */
    private static final class Excerpt implements HttpResponse.BodySubscriber<String> {
        private final CompletableFuture<String> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int max;
        private Flow.Subscription subscription;

        Excerpt(int max) {
            this.max = max;
        }

        @Override
        public CompletableFuture<String> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                int n = Math.min(b.remaining(), max - bytes.size());
                byte[] chunk = new byte[n];
                b.get(chunk);
                bytes.write(chunk, 0, n);
            }
            if (bytes.size() >= max) {
                subscription.cancel();
                finish();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable t) {
            body.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            finish();
        }

        private void finish() {
            body.complete(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
        }
    }
}
