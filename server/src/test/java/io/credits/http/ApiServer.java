package io.credits.http;

import io.credits.testing.MutableClock;
import io.credits.app.App;
import io.credits.app.ServeConfig;
import io.credits.store.ApiKeys;
import io.credits.store.Database;
import io.credits.store.EmbeddedServer;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The whole service in-process for a test class: a fresh PostgreSQL database, the app on a random
 * loopback port with a clock the test moves, and one key of each scope.
 */
final class ApiServer implements AutoCloseable {
    static final String ADMIN_KEY = "ck_test_admin_0123456789abcdef";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final Database db;
    final MutableClock clock;
    final App app;
    final TestClient admin;
    final TestClient spend;
    final TestClient read;
    final TestClient anonymous;

    private ApiServer(Database db, MutableClock clock, App app, String spendKey, String readKey) {
        this.db = db;
        this.clock = clock;
        this.app = app;
        this.admin = new TestClient(app.url(), ADMIN_KEY);
        this.spend = admin.withKey(spendKey);
        this.read = admin.withKey(readKey);
        this.anonymous = admin.withKey(null);
    }

    static ApiServer start() {
        return start(T0);
    }

    static ApiServer start(Instant now) {
        Database db = EmbeddedServer.shared().freshDatabase(12);
        try {
            MutableClock clock = new MutableClock(now);
            ServeConfig config = new ServeConfig("127.0.0.1", 0, Path.of("unused"), Optional.empty(), Optional.empty());
            App app = App.start(config, db, clock, Optional.of(ADMIN_KEY));
            String spendKey = ApiKeys.create(db.dataSource(), ApiKeys.Scope.SPEND, "test spend", now).secret();
            String readKey = ApiKeys.create(db.dataSource(), ApiKeys.Scope.READ, "test read", now).secret();
            return new ApiServer(db, clock, app, spendKey, readKey);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    String url() {
        return app.url();
    }

    /** An account with a main plan and T1000 booked on the period's first instant: 1,000 credits. */
    void accountWithCredits(String account) {
        check(admin.put("/v1/accounts/" + account + "/main-plan", TestClient.obj("plan", "PRO", "term", "monthly",
                "anchor", clock.instant().toString())), 200);
        check(admin.post("/v1/accounts/" + account + "/ai-plan", TestClient.obj("plan", "T1000")), 201);
    }

    static TestClient.Resp check(TestClient.Resp r, int status) {
        if (r.status() != status) throw new AssertionError("expected " + status + ", got " + r);
        return r;
    }

    @Override
    public void close() {
        try {
            app.close();
        } finally {
            db.close();
        }
    }
}
