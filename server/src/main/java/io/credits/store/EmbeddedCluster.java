package io.credits.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * One embedded PostgreSQL server (zonky's binaries) on a data directory, started and stopped by us.
 *
 * <p>It listens on loopback TCP only (no Unix socket), on a free port chosen at each start (or on
 * a given one), and asks for a password that is made at the first start and kept in the data directory, readable by
 * its owner only: other local users cannot connect.
 */
final class EmbeddedCluster implements AutoCloseable {

    static final String SUPERUSER = "postgres";
    static final String PASSWORD_FILE = "credits-postgres-password";

    /**
     * How long a start may take before it is given up. zonky does not look at pg_ctl's exit code
     * and waits this long even when PostgreSQL failed at once, so not longer than needed: a durable
     * server may first replay WAL after a crash; a new throw-away one starts in about a second.
     */
    private static final Duration STARTUP_WAIT_DURABLE = Duration.ofSeconds(60);
    private static final Duration STARTUP_WAIT_EPHEMERAL = Duration.ofSeconds(30);
    /** How long an orphaned server from a killed JVM gets to stop before it is killed. */
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);
    /** How long close waits for the server to remove its pid file (pg_ctl itself waits 5 s). */
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);
    private static final String EPHEMERAL_PREFIX = "credits-pg-ephemeral-";
    /** initdb's password file, deleted after initdb; the stale sweep removes those of killed JVMs. */
    private static final String PASSWORD_TEMP_PREFIX = "credits-pg-password-";
    /** Ephemeral directories younger than this may still be starting in another JVM. */
    private static final Duration EPHEMERAL_STALE_AFTER = Duration.ofMinutes(10);

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final String password;
    private final boolean ephemeral;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedCluster(EmbeddedPostgres postgres, Path dataDir, String password, boolean ephemeral) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.password = password;
        this.ephemeral = ephemeral;
    }

    /** Starts a server on {@code dataDir}, creating the cluster there on the first start. */
    static EmbeddedCluster open(Path dataDir, boolean fsync) {
        return open(dataDir, fsync, 0);
    }

    /**
     * As {@link #open(Path, boolean)}, on {@code port} (0: a free one): a server stopped and started
     * again on the same port is found again by the pools of other processes (the fault tests).
     */
    static EmbeddedCluster open(Path dataDir, boolean fsync, int port) {
        return start(dataDir.toAbsolutePath().normalize(), fsync, false, port);
    }

    /** Starts a throw-away server in a new temporary directory, deleted on close. */
    static EmbeddedCluster openEphemeral(boolean fsync) {
        deleteStaleEphemeralDirectories();
        try {
            // Enterable by others (the data directory inside is 0700): PostgreSQL may run as a system user.
            Path dir = Files.createTempDirectory(EPHEMERAL_PREFIX,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            return start(dir.resolve("pgdata"), fsync, true, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary directory for PostgreSQL", e);
        }
    }

    private static EmbeddedCluster start(Path dataDir, boolean fsync, boolean ephemeral, int port) {
        try {
            boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf"));
            if (fresh) {
                checkEmptyOrMissing(dataDir);
            } else {
                checkNotInUse(dataDir);
                stopOrphan(dataDir);
            }
            PostgresUser user = PostgresUser.detect();
            user.own(dataDir);
            String password = fresh ? newPassword() : readPassword(dataDir);
            Path passwordForInitdb = null;
            try {
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(false)
                        .setRegisterShutdownHook(false)
                        .setPgBinaryResolver(user.binaryResolver())
                        .setPGStartupWait(ephemeral ? STARTUP_WAIT_EPHEMERAL : STARTUP_WAIT_DURABLE)
                        .setConnectConfig("password", password);
                if (port > 0) builder.setPort(port);
                // zonky passes these to initdb as --key=value, after its own "-A trust", which they override.
                // A throw-away server takes the password in clear over loopback: a scram handshake costs
                // ~15 ms of client CPU per connection, and tests open many pools.
                String auth = ephemeral ? "password" : "scram-sha-256";
                builder.setLocaleConfig("locale", "C")
                        .setLocaleConfig("auth-host", auth)
                        .setLocaleConfig("auth-local", auth);
                if (fresh) {
                    passwordForInitdb = Files.createTempFile(PASSWORD_TEMP_PREFIX, "",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(passwordForInitdb, password + "\n");
                    user.ownFile(passwordForInitdb);
                    builder.setLocaleConfig("pwfile", passwordForInitdb.toString());
                    // Runs after initdb, before the first start: the password is on disk before anything else.
                    builder.setDataDirectoryCustomizer(dir -> writePassword(dataDir, password));
                }
                serverSettings(fsync, ephemeral).forEach(builder::setServerConfig);
                EmbeddedPostgres postgres = builder.start();
                return new EmbeddedCluster(postgres, dataDir, password, ephemeral);
            } finally {
                if (passwordForInitdb != null) {
                    Files.deleteIfExists(passwordForInitdb);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (ephemeral) {
                deleteRecursively(dataDir.getParent());
            }
            String logs = Files.isDirectory(dataDir.resolve("log")) ? " (see its log in " + dataDir.resolve("log") + ")" : "";
            throw new IllegalStateException("embedded PostgreSQL did not start on " + dataDir + ": "
                    + e.getMessage() + logs, e);
        }
    }

    /**
     * fsync and synchronous_commit decide whether a committed transaction survives a power cut;
     * zonky turns both off by default ("-F", synchronous_commit=off), so we set them at every start.
     * Values must not contain spaces: zonky joins them into one pg_ctl -o string.
     */
    private static Map<String, String> serverSettings(boolean fsync, boolean ephemeral) {
        String onOff = fsync ? "on" : "off";
        Map<String, String> s = new LinkedHashMap<>();
        s.put("fsync", onOff);
        s.put("synchronous_commit", onOff);
        s.put("full_page_writes", onOff);
        s.put("listen_addresses", "localhost");
        s.put("unix_socket_directories", "''"); // TCP only: no socket file to collide or to guard
        s.put("timezone", "UTC");
        s.put("log_timezone", "UTC");
        s.put("max_connections", ephemeral ? "300" : "100");
        if (!ephemeral) {
            s.put("logging_collector", "on");
            s.put("log_directory", "log");
            s.put("log_filename", "postgresql.log");
            s.put("log_rotation_age", "0");
        }
        return s;
    }

    int port() {
        return postgres.getPort();
    }

    String user() {
        return SUPERUSER;
    }

    String password() {
        return password;
    }

    Path dataDir() {
        return dataDir;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** A plain (unpooled) data source, for administration such as CREATE DATABASE. */
    PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"localhost"});
        ds.setPortNumbers(new int[] {port()});
        ds.setDatabaseName(database);
        ds.setUser(SUPERUSER);
        ds.setPassword(password);
        return ds;
    }

    /** Stops the server (fast shutdown: open sessions are ended) and waits until it is gone. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            postgres.close();
            waitForPidFileGone(dataDir, STOP_WAIT);
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop embedded PostgreSQL on " + dataDir, e);
        } finally {
            if (ephemeral) {
                deleteRecursively(dataDir.getParent());
            }
        }
    }

    // ---- start checks ------------------------------------------------------------------------

    private static void checkEmptyOrMissing(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            if (Files.exists(dataDir)) {
                throw new IllegalStateException("data directory " + dataDir + " is a file; give a directory");
            }
            return;
        }
        try (Stream<Path> entries = Files.list(dataDir)) {
            Optional<Path> any = entries.findFirst();
            if (any.isPresent()) {
                throw new IllegalStateException("data directory " + dataDir + " holds files (" + any.get().getFileName()
                        + ") but no PostgreSQL cluster (no postgresql.conf). Give an empty or new directory;"
                        + " if a first start was cut short, delete the directory and start again.");
            }
        }
    }

    private static void checkNotInUse(Path dataDir) throws IOException {
        Path lock = dataDir.resolve("epg-lock");
        if (!Files.exists(lock)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE);
             FileLock held = channel.tryLock()) {
            if (held == null) {
                throw new IllegalStateException("data directory " + dataDir + " is in use by another Credits process");
            }
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("data directory " + dataDir + " is already open in this process", e);
        }
    }

    /**
     * A JVM killed with SIGKILL leaves its PostgreSQL running (pg_ctl detaches it). Nobody holds the
     * data directory's lock any more (checked before), so a live postmaster on it is such an orphan:
     * stop it, or the new start would wait for a port the orphan does not listen on.
     */
    private static void stopOrphan(Path dataDir) throws IOException {
        Optional<ProcessHandle> postmaster = postmaster(dataDir);
        if (postmaster.isEmpty()) {
            return;
        }
        ProcessHandle ph = postmaster.get();
        ph.destroy(); // SIGTERM: smart shutdown; the dead JVM's sessions are gone already.
        try {
            ph.onExit().get(ORPHAN_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            ph.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping an orphaned PostgreSQL", e);
        } catch (ExecutionException e) {
            throw new IOException(e);
        }
        waitForPidFileGone(dataDir, ORPHAN_STOP_WAIT);
    }

    /** The live postmaster of {@code dataDir}, if its pid file names one running on that directory. */
    private static Optional<ProcessHandle> postmaster(Path dataDir) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<ProcessHandle> ph = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (ph.isEmpty()) {
            return Optional.empty();
        }
        String cmdline;
        try {
            cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return Optional.empty();
        }
        // The pid may have been reused by an unrelated process: act only on postgres for this directory.
        boolean ours = cmdline.contains("postgres") && cmdline.contains(dataDir.toString());
        return ours ? ph : Optional.empty();
    }

    private static void waitForPidFileGone(Path dataDir, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (postmaster(dataDir).isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("PostgreSQL on " + dataDir + " did not stop within " + wait.toSeconds() + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for PostgreSQL to stop", e);
            }
        }
    }

    // ---- password ----------------------------------------------------------------------------

    private static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void writePassword(Path dataDir, String password) {
        Path file = dataDir.resolve(PASSWORD_FILE);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, password + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    private static String readPassword(Path dataDir) throws IOException {
        Path file = dataDir.resolve(PASSWORD_FILE);
        if (!Files.exists(file)) {
            throw new IllegalStateException("data directory " + dataDir + " holds a PostgreSQL cluster that Credits"
                    + " did not create (no " + PASSWORD_FILE + "); give an empty or new directory");
        }
        return Files.readString(file).trim();
    }

    // ---- ephemeral directories ---------------------------------------------------------------

    /**
     * Removes what JVMs that died without closing left in the temporary directory: throw-away
     * clusters (stopping their servers) and initdb password files.
     */
    private static void deleteStaleEphemeralDirectories() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> leftovers;
        try (Stream<Path> entries = Files.list(tmp)) {
            leftovers = entries.filter(EmbeddedCluster::isOurs).toList();
        } catch (IOException e) {
            return; // best effort: a stale directory costs disk, not correctness
        }
        for (Path p : leftovers) {
            try {
                long ageMillis = System.currentTimeMillis() - Files.getLastModifiedTime(p).toMillis();
                if (ageMillis < EPHEMERAL_STALE_AFTER.toMillis()) {
                    continue; // may still be starting in another JVM
                }
                if (p.getFileName().toString().startsWith(PASSWORD_TEMP_PREFIX)) {
                    Files.deleteIfExists(p);
                } else {
                    Path pgdata = p.resolve("pgdata");
                    checkNotInUse(pgdata);
                    stopOrphan(pgdata);
                    deleteRecursively(p);
                }
            } catch (IllegalStateException | IOException inUseOrNotOurs) {
                // Another live JVM's server, or another user's file: leave it.
            }
        }
    }

    private static boolean isOurs(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(EPHEMERAL_PREFIX) || name.startsWith(PASSWORD_TEMP_PREFIX);
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Best effort: leftovers in the temporary directory are removed by the next stale sweep.
        }
    }
}
