package io.credits.events;

import io.credits.catalog.CatalogLoader;
import io.credits.store.Database;
import io.credits.store.EmbeddedServer;
import io.credits.store.Engine;
import io.credits.store.Verifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event log hands out the engine's events oldest first, filtered, paged, and never skips a late commit. */
class EventLogTest {
    Database db;
    Engine engine;
    EventLog log;

    @BeforeEach
    void open() {
        db = EmbeddedServer.shared().freshDatabase();
        engine = Events.engine(db.dataSource());
        log = new EventLog(db.dataSource());
    }

    @AfterEach
    void close() {
        engine.close();
        assertThat(Verifier.verify(db.dataSource(), CatalogLoader.defaultCatalog()).violations()).isEmpty();
        db.close();
    }

    @Test
    void engineEvents_comeOldestFirst_withTheirAccountTimeAndData() {
        Events.book(engine, "acme");
        Events.book(engine, "globex");
        Events.spendToLow(engine, "acme");
        Events.exhaust(engine, "acme");

        Page<EventLog.Event> page = log.page(EventLog.Query.all());

        assertThat(page.data()).extracting(EventLog.Event::type, EventLog.Event::account).containsExactly(
                org.assertj.core.groups.Tuple.tuple("plan.booked", "acme"),
                org.assertj.core.groups.Tuple.tuple("plan.booked", "globex"),
                org.assertj.core.groups.Tuple.tuple("credits.low", "acme"),
                org.assertj.core.groups.Tuple.tuple("credits.exhausted", "acme"));
        EventLog.Event low = page.data().get(2);
        assertThat(low.id()).startsWith(EventLog.ID_PREFIX);
        assertThat(low.createdAt()).isEqualTo(Events.NOW);
        assertThat(low.data().get("available").asLong()).isEqualTo(50);
        assertThat(low.data().get("threshold").asLong()).isEqualTo(100);
        assertThat(page.data().getFirst().data().get("plan").asText()).isEqualTo("T1000");
        assertThat(page.data()).extracting(EventLog.Event::id).doesNotHaveDuplicates();
        assertThat(page.nextCursor()).isNotNull();
    }

    @Test
    void filters_byTypeAndByAccount_andBoth() {
        Events.book(engine, "acme");
        Events.book(engine, "globex");
        Events.spendToLow(engine, "acme");
        Events.spendToLow(engine, "globex");

        assertThat(log.page(EventLog.Query.parse(null, "credits.low", null, null)).data())
                .extracting(EventLog.Event::account).containsExactly("acme", "globex");
        assertThat(log.page(EventLog.Query.parse(null, null, "globex", null)).data())
                .extracting(EventLog.Event::type).containsExactly("plan.booked", "credits.low");
        assertThat(log.page(EventLog.Query.parse(null, "plan.booked", "globex", null)).data())
                .extracting(EventLog.Event::account).containsExactly("globex");
        assertThat(log.page(EventLog.Query.parse(null, "hold.expired", null, null)).data()).isEmpty();
    }

    @Test
    void cursorPaging_visitsEveryEventOnce_andAnEmptyPageKeepsThePosition() {
        for (int i = 0; i < 12; i++) Events.grant(engine, "acct-" + (i % 3), 10 + i);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        List<Integer> sizes = new ArrayList<>();
        while (true) {
            Page<EventLog.Event> page = log.page(EventLog.Query.parse(cursor, null, null, "5"));
            if (page.data().isEmpty()) {
                assertThat(page.nextCursor()).isEqualTo(cursor);
                break;
            }
            sizes.add(page.data().size());
            page.data().forEach(e -> seen.add(e.id()));
            cursor = page.nextCursor();
        }
        assertThat(sizes).containsExactly(5, 5, 2);
        assertThat(seen).hasSize(12).doesNotHaveDuplicates();

        Events.grant(engine, "acct-0", 99);
        Page<EventLog.Event> later = log.page(EventLog.Query.parse(cursor, null, null, "5"));
        assertThat(later.data()).extracting(e -> e.data().get("credits").asLong()).containsExactly(99L);
    }

    @Test
    void anEventWhoseTransactionCommitsLate_withASmallerId_isNotSkipped() throws SQLException {
        try (Connection slow = db.dataSource().getConnection(); Connection quick = db.dataSource().getConnection()) {
            slow.setAutoCommit(false);
            long slowId = insertEvent(slow, "slow");
            long quickId = insertEvent(quick, "quick"); // autocommit: committed now
            assertThat(slowId).isLessThan(quickId);

            // A poller that remembered the last event_id would now be past "slow" for good.
            Page<EventLog.Event> during = log.page(EventLog.Query.all());
            assertThat(during.data()).extracting(EventLog.Event::account).containsExactly("quick");

            slow.commit();
            Page<EventLog.Event> after = log.page(EventLog.Query.parse(during.nextCursor(), null, null, null));
            assertThat(after.data()).extracting(EventLog.Event::account).containsExactly("slow");
        }
    }

    @Test
    void aPollerRacingConcurrentWriters_seesEveryEventExactlyOnce() throws Exception {
        int writers = 3;
        int eachEvents = 40;
        Set<String> written = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(Thread.ofPlatform().start(() -> {
                try (Connection c = db.dataSource().getConnection()) {
                    c.setAutoCommit(false);
                    for (int i = 0; i < eachEvents; i++) {
                        String account = "w" + writer + "-" + i;
                        insertEvent(c, account);
                        // Hold the transaction a little, so commits overtake each other's ids.
                        TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextInt(2_000));
                        c.commit();
                        written.add(account);
                    }
                } catch (SQLException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        List<String> polled = new ArrayList<>();
        String cursor = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (polled.size() < writers * eachEvents && System.nanoTime() < deadline) {
            Page<EventLog.Event> page = log.page(EventLog.Query.parse(cursor, null, null, "7"));
            page.data().forEach(e -> polled.add(e.account()));
            cursor = page.nextCursor();
        }
        for (Thread t : threads) t.join();
        assertThat(polled).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(written).hasSize(writers * eachEvents);
    }

    @Test
    void aRolledBackEvent_neverAppears_andDoesNotHoldOthersBack() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            insertEvent(c, "ghost");
            c.rollback();
        }
        Events.grant(engine, "real", 5);
        assertThat(log.page(EventLog.Query.all()).data()).extracting(EventLog.Event::account).containsExactly("real");
    }

    @Test
    void badQueries_nameEachBadField() {
        assertThatThrownBy(() -> EventLog.Query.parse("not-a-cursor!", null, null, null))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(fields(e)).containsExactly("after"))
                .hasMessageContaining("nextCursor");
        assertThatThrownBy(() -> EventLog.Query.parse(null, null, null, "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit").hasMessageContaining("500");
        assertThatThrownBy(() -> EventLog.Query.parse(null, null, null, "501"))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(fields(e)).containsExactly("limit"));
        assertThatThrownBy(() -> EventLog.Query.parse(null, null, null, "ten"))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(fields(e)).containsExactly("limit"));
        assertThatThrownBy(() -> EventLog.Query.parse(null, "credits.gone", "", null))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(fields(e)).containsExactly("type", "account"))
                .hasMessageContaining("credits.low");
        assertThatThrownBy(() -> EventLog.Query.parse("%%", "x", null, "-1"))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(fields(e))
                        .containsExactly("after", "type", "limit"));
        // a cursor that decodes but is not ours
        String forged = java.util.Base64.getUrlEncoder().encodeToString("e:-5".getBytes());
        assertThatThrownBy(() -> EventLog.Query.parse(forged, null, null, null)).isInstanceOf(FieldErrors.class);
    }

    @Test
    void limit_defaultsTo100_andTakesUpTo500() {
        assertThat(EventLog.Query.parse(null, null, null, null).limit()).isEqualTo(EventLog.LIMIT_DEFAULT).isEqualTo(100);
        assertThat(EventLog.Query.parse(null, null, null, "500").limit()).isEqualTo(EventLog.LIMIT_MAX);
    }

    static List<String> fields(FieldErrors e) {
        return e.errors().stream().map(FieldErrors.FieldError::field).toList();
    }

    private static long insertEvent(Connection c, String account) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO outbox_events (account_id, type, data, effective_at, recorded_at)
                VALUES (?, 'grant.created', '{"credits": 1}'::jsonb, ?, ?) RETURNING event_id""")) {
            ps.setString(1, account);
            ps.setTimestamp(2, Timestamp.from(Events.NOW));
            ps.setTimestamp(3, Timestamp.from(Events.NOW));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
