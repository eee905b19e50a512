package io.credits.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A migrated PostgreSQL database and a connection pool (HikariCP) on it.
 *
 * <p>Three ways to get one: {@link #embedded(Path)} runs PostgreSQL itself on a data directory that
 * is kept across restarts; {@link #external(String)} uses a server someone else runs; and
 * {@link EmbeddedServer#freshDatabase()} hands out empty copies of a migrated template for tests.
 * The first two run the Flyway migrations in {@code classpath:db/migration} before returning.
 * Closing closes the pool, then stops the embedded server or drops the fresh copy; an embedded
 * database left open is closed by a JVM shutdown hook (see {@link #withoutExitHook()}).
 */
public final class Database implements AutoCloseable {

    /** Where the schema's migrations live (V1__schema.sql, ...). */
    public static final String MIGRATIONS = "classpath:db/migration";

    /**
     * How to open a database; checked when made.
     *
     * @param poolSize connections the pool keeps, 1 to {@value #POOL_SIZE_MAX}
     * @param fsync for an embedded server: whether commits are flushed to disk (and survive a power
     *              cut). Keep it on for anything that holds real data; tests and the simulator may
     *              turn it off for speed. Ignored for an external server.
     * @param connectionTimeout how long a caller waits for a pooled connection before failing,
     *              {@value #CONNECTION_TIMEOUT_MILLIS_MIN} ms to {@value #CONNECTION_TIMEOUT_MILLIS_MAX} ms
     */
    public record Options(int poolSize, boolean fsync, Duration connectionTimeout) {
        public static final int POOL_SIZE_MAX = 200;
        public static final long CONNECTION_TIMEOUT_MILLIS_MIN = 250;
        public static final long CONNECTION_TIMEOUT_MILLIS_MAX = 60_000;

        public Options {
            if (poolSize < 1 || poolSize > POOL_SIZE_MAX) {
                throw new IllegalArgumentException("poolSize must be 1 to " + POOL_SIZE_MAX + " connections, was "
                        + poolSize);
            }
            Objects.requireNonNull(connectionTimeout, "connectionTimeout");
            long millis = connectionTimeout.toMillis();
            if (millis < CONNECTION_TIMEOUT_MILLIS_MIN || millis > CONNECTION_TIMEOUT_MILLIS_MAX) {
                throw new IllegalArgumentException("connectionTimeout must be " + CONNECTION_TIMEOUT_MILLIS_MIN
                        + " ms to " + CONNECTION_TIMEOUT_MILLIS_MAX + " ms, was " + millis + " ms");
            }
        }

        /** 10 connections, fsync on, 5 s to get a connection. */
        public static Options defaults() {
            return new Options(10, true, Duration.ofSeconds(5));
        }

        public Options withPoolSize(int poolSize) {
            return new Options(poolSize, fsync, connectionTimeout);
        }

        public Options withFsync(boolean fsync) {
            return new Options(poolSize, fsync, connectionTimeout);
        }

        public Options withConnectionTimeout(Duration connectionTimeout) {
            return new Options(poolSize, fsync, connectionTimeout);
        }
    }

    private final HikariDataSource pool;
    private final String jdbcUrl;
    private final AutoCloseable afterPool;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The URL with its credentials, for other processes; set by {@link #embedded} and {@link #external}. */
    private String connectionUrl;
    /** Set for embedded databases: stops PostgreSQL when the JVM exits without closing this. */
    private Thread exitHook;
    /** One health check at a time; callers that come while it runs share its answer. */
    private final ExecutorService pinger;
    private CompletableFuture<Boolean> ping;

    Database(HikariDataSource pool, String jdbcUrl, AutoCloseable afterPool) {
        this.pool = pool;
        this.jdbcUrl = jdbcUrl;
        this.afterPool = afterPool;
        this.pinger = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "credits-db-ping");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts embedded PostgreSQL on {@code dataDir} (created and initialised on the first start,
     * reused after), migrates, and pools: fsync on, 10 connections.
     */
    public static Database embedded(Path dataDir) {
        return embedded(dataDir, Options.defaults());
    }

    public static Database embedded(Path dataDir, Options options) {
        EmbeddedCluster cluster = EmbeddedCluster.open(dataDir, options.fsync());
        Database db;
        try {
            String url = cluster.jdbcUrl("postgres");
            HikariDataSource pool = pool(url, cluster.user(), cluster.password(), options, "credits", options.poolSize());
            db = open(pool, url, cluster);
            db.connectionUrl = url + "?user=" + URLEncoder.encode(cluster.user(), StandardCharsets.UTF_8)
                    + "&password=" + URLEncoder.encode(cluster.password(), StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        db.installExitHook();
        return db;
    }

    /** PostgreSQL runs detached from the JVM: without this hook, Ctrl-C would leave it running. */
    private synchronized void installExitHook() {
        exitHook = new Thread(this::close, "credits-embedded-pg-stop");
        Runtime.getRuntime().addShutdownHook(exitHook);
    }

    /**
     * For a caller that closes this database itself at JVM exit, after what uses it (the server
     * stops HTTP first): removes the shutdown hook that {@link #embedded} registers, which would
     * otherwise race with the caller's. Returns this.
     */
    public Database withoutExitHook() {
        removeExitHook();
        return this;
    }

    private synchronized void removeExitHook() {
        if (exitHook != null && Thread.currentThread() != exitHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting and the hook runs (or ran): it only closes this, idempotently.
            }
        }
        exitHook = null;
    }

    /**
     * Uses an external PostgreSQL: {@code jdbc:postgresql://host:port/db?user=...&password=...}.
     * Migrates, then pools.
     */
    public static Database external(String jdbcUrl) {
        return external(jdbcUrl, Options.defaults());
    }

    public static Database external(String jdbcUrl, Options options) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("database URL must start with jdbc:postgresql:, e.g."
                    + " jdbc:postgresql://localhost:5432/credits?user=credits&password=secret; was "
                    + (jdbcUrl == null ? null : withoutQuery(jdbcUrl)));
        }
        HikariDataSource pool = pool(jdbcUrl, null, null, options, "credits", options.poolSize());
        Database db = open(pool, withoutQuery(jdbcUrl), () -> { });
        db.connectionUrl = jdbcUrl;
        return db;
    }

    private static Database open(HikariDataSource pool, String url, AutoCloseable afterPool) {
        try {
            migrate(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool, url, afterPool);
    }

    static HikariDataSource pool(String url, String user, String password, Options options, String name,
                                 int minimumIdle) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
            config.setPassword(password);
        }
        config.setMaximumPoolSize(options.poolSize());
        config.setMinimumIdle(minimumIdle);
        config.setConnectionTimeout(options.connectionTimeout().toMillis());
        config.setValidationTimeout(Math.min(1000, options.connectionTimeout().toMillis()));
        config.addDataSourceProperty("ApplicationName", "credits");
        // One multi-row INSERT per batch instead of one statement per row: the ledger is written in batches.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not connect to " + withoutQuery(url) + ": " + rootMessage(e), e);
        }
    }

    static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .cleanDisabled(true)
                .load()
                .migrate();
    }

    /** The pool. Borrow a connection in try-with-resources; the pool is this object's to close. */
    public DataSource dataSource() {
        return pool;
    }

    /** The JDBC URL without credentials, for messages. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * A JDBC URL with its credentials, for handing this database to another process (the
     * scale-out benchmark starts servers on it). It holds a password: never print it.
     */
    public String connectionUrl() {
        if (connectionUrl == null) throw new IllegalStateException("this database has no URL for other processes");
        return connectionUrl;
    }

    /**
     * Whether {@code SELECT 1} answers within {@code timeout}. Never waits longer, even when the
     * pool is exhausted or the server hangs; concurrent callers share one check in flight.
     */
    public boolean ping(Duration timeout) {
        CompletableFuture<Boolean> check;
        synchronized (this) {
            if (closed.get()) {
                return false;
            }
            if (ping == null || ping.isDone()) {
                int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
                ping = CompletableFuture.supplyAsync(() -> selectOne(seconds), pinger);
            }
            check = ping;
        }
        try {
            return check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean selectOne(int queryTimeoutSeconds) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(queryTimeoutSeconds);
            s.execute("SELECT 1");
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Closes the pool, then stops the embedded server or drops the fresh copy. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        removeExitHook();
        pinger.shutdownNow();
        try {
            pool.close();
        } finally {
            try {
                afterPool.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("could not close " + jdbcUrl + ": " + e.getMessage(), e);
            }
        }
    }

    static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
