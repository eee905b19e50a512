package io.credits.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.credits.http.HttpServer;
import io.credits.catalog.Catalog;
import io.credits.catalog.CatalogLoader;
import io.credits.store.Database;
import io.credits.store.Engine;

import java.time.Clock;
import java.time.ZoneOffset;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running service, wired by hand: the database, then the HTTP server on it.
 * Closing stops them in the other order: HTTP first (no new requests), then the pool and the
 * embedded PostgreSQL.
 */
public final class App implements AutoCloseable {
    /** Engine lanes: each runs one transaction at a time, batching what waits for it. */
    static final int LANES = 4;

    private final Database database;
    private final Engine engine;
    private final CatchUpJob catchUp;
    private final HttpServer http;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private App(Database database, Engine engine, CatchUpJob catchUp, HttpServer http) {
        this.database = database;
        this.engine = engine;
        this.catchUp = catchUp;
        this.http = http;
    }

    /** Opens the database (migrating it) and starts listening; returns once requests are served. */
    public static App start(ServeConfig config) {
        // The catalog first: a bad catalog file stops the start before anything else is opened.
        Catalog catalog = config.catalog().map(CatalogLoader::load).orElseGet(CatalogLoader::defaultCatalog);
        Database database = config.databaseUrl()
                .map(Database::external)
                .orElseGet(() -> Database.embedded(config.dataDir()));
        Engine engine = null;
        CatchUpJob catchUp = null;
        try {
            engine = new Engine(database.dataSource(), catalog, Clock.systemUTC(), ZoneOffset.UTC, LANES);
            catchUp = new CatchUpJob(engine);
            ObjectMapper json = new ObjectMapper();
            HttpServer http = HttpServer.start(config.host(), config.port(),
                    new HttpServer.Dependencies(database, json));
            return new App(database, engine, catchUp, http);
        } catch (RuntimeException e) {
            if (catchUp != null) catchUp.close();
            if (engine != null) engine.close();
            database.close();
            throw e;
        }
    }

    public Engine engine() {
        return engine;
    }

    public Database database() {
        return database;
    }

    public int port() {
        return http.port();
    }

    /** {@code http://HOST:PORT}, as printed in the listening line. */
    public String url() {
        return http.url();
    }

    /** Blocks until {@link #close()} has finished (from another thread or a shutdown hook). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** Stops HTTP, then closes the pool and stops the embedded database. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            http.close();
        } finally {
            try {
                catchUp.close();
                engine.close(); // finishes the requests already queued before the pool goes
                database.close();
            } finally {
                stopped.countDown();
            }
        }
    }
}
