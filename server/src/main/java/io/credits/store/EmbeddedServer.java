package io.credits.store;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One throw-away embedded PostgreSQL for tests and the simulator, handing out many fresh databases.
 *
 * <p>It starts once in a temporary directory (deleted on close), migrates a template database once,
 * and {@link #freshDatabase()} copies that template with {@code CREATE DATABASE ... TEMPLATE}: an
 * empty, migrated database. One copy is kept made ahead, in the background, so the next call
 * usually only opens its pool. Each copy is dropped, in the background, when its {@link Database}
 * is closed.
 *
 * <pre>{@code
 * try (EmbeddedServer server = EmbeddedServer.start();
 *      Database db = server.freshDatabase()) {
 *     ... db.dataSource() ...
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class EmbeddedServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);

    static final String TEMPLATE = "credits_template";
    /** Small: a test holds few connections at once, and copies share max_connections (300). */
    public static final int FRESH_POOL_SIZE_DEFAULT = 4;

    private static EmbeddedServer shared;

    private final EmbeddedCluster cluster;
    private final AtomicLong copies = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    /** Makes the copy ahead; one thread, so copies are made one at a time. */
    private final ExecutorService maker;
    /** Guards {@link #admin}, the one session that runs CREATE and DROP DATABASE. */
    private final Object adminLock = new Object();
    private Connection admin;
    /** Guarded by this: the copy being made ahead. */
    private CompletableFuture<String> ahead;

    private EmbeddedServer(EmbeddedCluster cluster) {
        this.cluster = cluster;
        this.shutdownHook = new Thread(this::close, "credits-embedded-pg-stop");
        this.maker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "credits-embedded-pg-copier");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts a server with fsync off: fast, and nothing in it needs to survive a crash. */
    public static EmbeddedServer start() {
        return start(false);
    }

    /**
     * Starts a server in a new temporary directory and migrates the template. A JVM shutdown hook
     * stops it if it is not closed before.
     */
    public static EmbeddedServer start(boolean fsync) {
        EmbeddedCluster cluster = EmbeddedCluster.openEphemeral(fsync);
        EmbeddedServer server = new EmbeddedServer(cluster);
        try {
            server.createTemplate();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        return server;
    }

    /**
     * One server for the whole JVM, started on first use (fsync off) and stopped when the JVM
     * exits. For test classes that each want fresh databases without each starting a server.
     */
    public static synchronized EmbeddedServer shared() {
        if (shared == null || shared.closed.get()) {
            shared = start();
        }
        return shared;
    }

    private void createTemplate() {
        execute("CREATE DATABASE " + TEMPLATE);
        // Flyway's own connections are closed when it returns: a template must have no sessions.
        Database.migrate(cluster.dataSource(TEMPLATE));
        execute("ALTER DATABASE " + TEMPLATE + " WITH ALLOW_CONNECTIONS false IS_TEMPLATE true");
    }

    /** A new empty, migrated database with a pool of {@value #FRESH_POOL_SIZE_DEFAULT} connections. */
    public Database freshDatabase() {
        return freshDatabase(FRESH_POOL_SIZE_DEFAULT);
    }

    /**
     * A new empty, migrated database with a pool of up to {@code poolSize} connections (opened as
     * needed). Closing it closes the pool and drops the database.
     */
    public Database freshDatabase(int poolSize) {
        Database.Options options = Database.Options.defaults().withPoolSize(poolSize).withFsync(false);
        String name = takeCopy();
        String url = cluster.jdbcUrl(name);
        HikariDataSource pool;
        try {
            pool = Database.pool(url, cluster.user(), cluster.password(), options, name, 1);
        } catch (RuntimeException e) {
            drop(name);
            throw e;
        }
        return new Database(pool, url, () -> drop(name));
    }

    /** The copy made ahead if there is one (else a new one), and starts making the next. */
    private String takeCopy() {
        CompletableFuture<String> mine;
        synchronized (this) {
            if (closed.get()) {
                throw new IllegalStateException("the embedded server is closed");
            }
            mine = ahead;
            ahead = CompletableFuture.supplyAsync(this::copy, maker);
        }
        if (mine == null) {
            return copy();
        }
        try {
            return mine.join();
        } catch (CompletionException e) {
            // The copy ahead failed (say the server was stopping); try once in the caller's thread.
            return copy();
        }
    }

    private String copy() {
        String name = "credits_" + ProcessHandle.current().pid() + "_" + copies.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
        return name;
    }

    /** For tests in this package: the server's superuser password. */
    String password() {
        return cluster.password();
    }

    /** The port the server listens on (loopback only). */
    public int port() {
        return cluster.port();
    }

    /** A JDBC URL of one of this server's databases, without credentials. */
    public String jdbcUrl(String database) {
        return cluster.jdbcUrl(database);
    }

    /** Stops the server and deletes its directory. Databases still open stop working. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself, or while the JVM exits: nothing to remove.
        }
        maker.shutdownNow();
        synchronized (adminLock) {
            closeQuietly(admin);
            admin = null;
        }
        cluster.close();
    }

    /** Drops a copy in the background, after the copy being made: closing a test's database costs nothing. */
    private void drop(String name) {
        if (closed.get()) {
            return; // the whole server goes; no need to drop one by one
        }
        try {
            maker.execute(() -> {
                if (!closed.get()) {
                    try {
                        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                    } catch (RuntimeException e) {
                        LOG.warn("could not drop the test database {}: {}", name, e.getMessage());
                    }
                }
            });
        } catch (RejectedExecutionException closing) {
            // The server is stopping: it goes with all its databases.
        }
    }

    private void execute(String sql) {
        synchronized (adminLock) {
            executeLocked(sql);
        }
    }

    private void executeLocked(String sql) {
        try {
            if (admin == null || admin.isClosed()) {
                admin = cluster.dataSource("postgres").getConnection();
            }
            try (Statement s = admin.createStatement()) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            closeQuietly(admin);
            admin = null;
            throw new IllegalStateException("embedded PostgreSQL refused '" + sql + "': " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a broken session: nothing to do
            }
        }
    }
}
