package io.credits.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An embedded PostgreSQL that a test stops (fast shutdown: sessions are ended, new connections
 * refused) and starts again on the same data directory and port, so that the pools of server
 * processes using it can find it again by themselves. In a temporary directory deleted on close;
 * fsync off, as in the other tests (a clean stop loses nothing).
 */
public final class StoppablePostgres implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final String password;
    private EmbeddedCluster cluster;

    private StoppablePostgres(Path dir, EmbeddedCluster cluster) {
        this.dir = dir;
        this.port = cluster.port();
        this.password = cluster.password();
        this.cluster = cluster;
    }

    /** A new cluster on a free port. */
    public static StoppablePostgres start() {
        try {
            // Enterable by others: PostgreSQL may run as a system user (see PostgresUser).
            Path dir = Files.createTempDirectory("credits-stoppable-pg-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            try {
                return new StoppablePostgres(dir, EmbeddedCluster.open(dir.resolve("pgdata"), false));
            } catch (RuntimeException e) {
                EmbeddedCluster.deleteRecursively(dir);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code postgres} database with the superuser's credentials, as {@code --database-url} takes it. */
    public String urlWithCredentials() {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=" + EmbeddedCluster.SUPERUSER
                + "&password=" + password;
    }

    /** Stops PostgreSQL (fast shutdown) and waits until it is gone. */
    public synchronized void stop() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    /** Starts it again on the same directory and port. */
    public synchronized void restart() {
        if (cluster == null) cluster = EmbeddedCluster.open(dir.resolve("pgdata"), false, port);
    }

    /** Stops it and deletes its directory. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            EmbeddedCluster.deleteRecursively(dir);
        }
    }
}
