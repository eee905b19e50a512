package io.credits.app;

import io.credits.catalog.Catalog;
import io.credits.catalog.CatalogLoader;
import io.credits.events.WebhookDispatcher;
import io.credits.http.HttpServer;
import io.credits.http.Metrics;
import io.credits.store.ApiKeys;
import io.credits.store.Database;
import io.credits.store.Engine;
import io.credits.store.Reports;
import io.credits.web.BillingPage;
import io.credits.web.PortalLinks;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running service, wired by hand: the database, the engine, the webhook dispatcher, then the
 * HTTP server on them. Closing stops them in the other order: HTTP first (no new requests; those in
 * flight finish), then the webhook dispatcher, then the engine (what is queued commits), then the pool and the embedded PostgreSQL.
 */
public final class App implements AutoCloseable {
    /** Engine lanes: each runs one transaction at a time, batching what waits for it. */
    static final int LANES = 4;
    /**
     * The pool of a served database: a request waits at most a second for a connection, so while
     * the database is down requests fail fast with 503 instead of each waiting the 5 s of the defaults.
     */
    static final Database.Options DATABASE = Database.Options.defaults().withConnectionTimeout(Duration.ofSeconds(1));
    /** The environment variable whose value becomes the first admin key of an empty database. */
    public static final String ADMIN_KEY_ENV = "CREDITS_ADMIN_KEY";

    private final Database database;
    private final boolean ownsDatabase;
    private final Engine engine;
    private final CatchUpJob catchUp;
    private final WebhookDispatcher webhooks;
    private final HttpServer http;
    private final Optional<String> newAdminKey;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private App(Database database, boolean ownsDatabase, Engine engine, CatchUpJob catchUp,
                WebhookDispatcher webhooks, HttpServer http, Optional<String> newAdminKey) {
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        this.engine = engine;
        this.catchUp = catchUp;
        this.webhooks = webhooks;
        this.http = http;
        this.newAdminKey = newAdminKey;
    }

    /** Opens the database (migrating it) and starts listening; returns once requests are served. */
    public static App start(ServeConfig config) {
        // The catalog first: a bad catalog file stops the start before anything else is opened.
        Catalog catalog = config.catalog().map(CatalogLoader::load).orElseGet(CatalogLoader::defaultCatalog);
        Database database = config.databaseUrl()
                .map(url -> Database.external(url, DATABASE))
                // The app closes the database itself, after HTTP and the engine: no hook of its own.
                .orElseGet(() -> Database.embedded(config.dataDir(), DATABASE).withoutExitHook());
        try {
            return start(config, catalog, database, true, Clock.systemUTC(),
                    Optional.ofNullable(System.getenv(ADMIN_KEY_ENV)).filter(s -> !s.isEmpty()));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * Serves on a database someone else opened and will close (tests, embedding), with this clock;
     * {@code adminKey} plays the part of {@value #ADMIN_KEY_ENV}.
     */
    public static App start(ServeConfig config, Database database, Clock clock, Optional<String> adminKey) {
        Catalog catalog = config.catalog().map(CatalogLoader::load).orElseGet(CatalogLoader::defaultCatalog);
        return start(config, catalog, database, false, clock, adminKey);
    }

    private static App start(ServeConfig config, Catalog catalog, Database database, boolean owns, Clock clock,
                             Optional<String> adminKey) {
        Optional<String> made = ApiKeys.bootstrap(database.dataSource(), adminKey, clock.instant());
        Engine engine = new Engine(database.dataSource(), catalog, clock, ZoneOffset.UTC, LANES);
        CatchUpJob catchUp = null;
        WebhookDispatcher webhooks = null;
        try {
            catchUp = new CatchUpJob(engine);
            webhooks = new WebhookDispatcher(database.dataSource(), clock, WebhookDispatcher.Options.defaults()).start();
            Metrics metrics = new Metrics().pool(database.dataSource())
                    .outbox(() -> Reports.outboxSize(database.dataSource()));
            PortalLinks links = PortalLinks.fromDatabase(database.dataSource(), clock.instant());
            BillingPage billing = new BillingPage(engine, links);
            HttpServer http = HttpServer.start(config.host(), config.port(),
                    new HttpServer.Dependencies(database, engine, metrics, billing));
            return new App(database, owns, engine, catchUp, webhooks, http, made);
        } catch (RuntimeException e) {
            if (webhooks != null) webhooks.close();
            if (catchUp != null) catchUp.close();
            engine.close();
            throw e;
        }
    }

    /**
     * The admin key this start made for an empty database, to be shown once; empty when the
     * database had keys or {@value #ADMIN_KEY_ENV} gave the key.
     */
    public Optional<String> newAdminKey() {
        return newAdminKey;
    }

    public Engine engine() {
        return engine;
    }

    public Database database() {
        return database;
    }

    public HttpServer http() {
        return http;
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

    /** Stops HTTP (letting requests in flight finish), the webhook dispatcher, the engine, then the database if it is ours. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            http.close();
        } finally {
            try {
                webhooks.close(); // an attempt in flight is dropped; its lease ends and it is retried
            } finally {
                try {
                    catchUp.close();
                    engine.close(); // finishes the requests already queued before the pool goes
                    if (ownsDatabase) database.close();
                } finally {
                    stopped.countDown();
                }
            }
        }
    }
}
