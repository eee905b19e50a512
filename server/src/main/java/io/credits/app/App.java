package io.credits.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.credits.http.HttpServer;
import io.credits.store.Database;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running service, wired by hand: the database, then the HTTP server on it.
 * Closing stops them in the other order: HTTP first (no new requests), then the pool and the
 * embedded PostgreSQL.
 */
public final class App implements AutoCloseable {

    private final Database database;
    private final HttpServer http;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private App(Database database, HttpServer http) {
        this.database = database;
        this.http = http;
    }

    /** Opens the database (migrating it) and starts listening; returns once requests are served. */
    public static App start(ServeConfig config) {
        Database database = config.databaseUrl()
                .map(Database::external)
                .orElseGet(() -> Database.embedded(config.dataDir()).withoutExitHook());
        try {
            ObjectMapper json = new ObjectMapper();
            HttpServer http = HttpServer.start(config.host(), config.port(),
                    new HttpServer.Dependencies(database, json));
            return new App(database, http);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
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
                database.close();
            } finally {
                stopped.countDown();
            }
        }
    }
}
