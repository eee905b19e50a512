package io.credits.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Decides which operating-system user the embedded PostgreSQL runs as.
 *
 * <p>PostgreSQL's initdb and postgres refuse to run as root, and our machines and CI run as root.
 * So, when the JVM is root:
 * <ol>
 *   <li>{@link Kind#USER_NAMESPACE}: zonky starts every PostgreSQL command through
 *       {@code unshare -U} when that works, which gives the process an unmapped (non-root) uid
 *       while the kernel still sees root's uid on files. (postgres compares its uid with the data
 *       directory's owner: inside the namespace both read as the overflow uid 65534.) Nothing to
 *       create, data files stay root's.
 *   <li>{@link Kind#SYSTEM_USER}: where user namespaces are forbidden (a container's seccomp
 *       profile, a kernel setting), the commands run as the system user {@value #SYSTEM_USER_NAME},
 *       created with useradd when missing, through {@code setpriv}. Its data directory is chowned
 *       to that user, and every directory above it must let others through (mode o+x).
 * </ol>
 * As any other user PostgreSQL simply runs as that user ({@link Kind#CURRENT_USER}).
 */
final class PostgresUser {

    static final String SYSTEM_USER_NAME = "credits-pg";

    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));
    /**
     * Where the fallback keeps its own copy of the binaries: root's, readable by the system user,
     * writable by nobody else.
     */
    private static final Path BINARIES_ROOT = TMP.resolve("credits-pg-binaries");

    /** Bounds each helper command (useradd, id, chown) so a stuck tool cannot hang the start. */
    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    enum Kind { CURRENT_USER, USER_NAMESPACE, SYSTEM_USER }

    private static volatile PostgresUser detected;

    private final Kind kind;
    private final int uid;
    private final int gid;
    private final PgBinaryResolver binaryResolver;

    private PostgresUser(Kind kind, int uid, int gid, PgBinaryResolver binaryResolver) {
        this.kind = kind;
        this.uid = uid;
        this.gid = gid;
        this.binaryResolver = binaryResolver;
    }

    /** Detects once per JVM; the system user, if needed, is created here. */
    static PostgresUser detect() {
        PostgresUser result = detected;
        if (result == null) {
            synchronized (PostgresUser.class) {
                result = detected;
                if (result == null) {
                    result = doDetect();
                    detected = result;
                }
            }
        }
        return result;
    }

    private static PostgresUser doDetect() {
        long euid = new com.sun.security.auth.module.UnixSystem().getUid();
        // zonky unpacks its binaries into java.io.tmpdir/embedded-pg, which it makes world-writable:
        // there another local user could swap the programs we run (as root, here). So zonky works in
        // a directory of ours that only we can enter; it reads this property for each new builder.
        System.setProperty("ot.epg.working-dir",
                privateDirectory(TMP.resolve("credits-pg-" + euid), "rwx------", euid).resolve("zonky").toString());
        if (euid != 0) {
            return new PostgresUser(Kind.CURRENT_USER, (int) euid, -1, DefaultPostgresBinaryResolver.INSTANCE);
        }
        // zonky probes `unshare -U` itself and, when it works, prefixes every command with it.
        if (LinuxUtils.isUnshareAvailable()) {
            return new PostgresUser(Kind.USER_NAMESPACE, 0, 0, DefaultPostgresBinaryResolver.INSTANCE);
        }
        int[] ids = ensureSystemUser();
        Path realBinaries = extractBinaries();
        return new PostgresUser(Kind.SYSTEM_USER, ids[0], ids[1], wrapperResolver(realBinaries, ids[0], ids[1]));
    }


    PgBinaryResolver binaryResolver() {
        return binaryResolver;
    }

    /**
     * Makes {@code dir} (created if missing) and everything in it belong to the user PostgreSQL runs
     * as, so a data directory made under one kind still starts under another.
     */
    void own(Path dir) throws IOException {
        if (kind == Kind.SYSTEM_USER) {
            checkReachable(dir);
        }
        Files.createDirectories(dir);
        if (kind == Kind.CURRENT_USER) {
            return;
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != uid) {
            run(List.of(tool("chown"), "-R", uid + ":" + gid, dir.toString()));
        }
    }

    /** A file PostgreSQL must read (initdb's password file): readable by its user only. */
    void ownFile(Path file) throws IOException {
        if (kind == Kind.SYSTEM_USER) {
            run(List.of(tool("chown"), uid + ":" + gid, file.toString()));
        }
    }

    private static void checkReachable(Path dir) throws IOException {
        for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (!Files.exists(p)) {
                continue; // made by us below, with the usual mode (0755 under umask 022)
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IllegalStateException("PostgreSQL may not run as root and user namespaces are not"
                        + " available here, so it runs as the system user " + SYSTEM_USER_NAME + ", which cannot"
                        + " enter " + p + " (mode " + PosixFilePermissions.toString(perms) + ") on the way to "
                        + dir + ". Put the data directory below a directory others may enter (chmod o+x " + p
                        + ", or e.g. --data /var/lib/credits), or run as a non-root user.");
            }
        }
    }

    // ---- the system-user fallback ------------------------------------------------------------

    private static int[] ensureSystemUser() {
        try {
            if (!userExists()) {
                Process p = new ProcessBuilder(tool("useradd"), "--system", "--user-group", "--no-create-home",
                        "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", SYSTEM_USER_NAME)
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                // Another JVM may have created it meanwhile (useradd exits 9): check again rather than trust the code.
                if (!userExists()) {
                    throw new IllegalStateException("PostgreSQL may not run as root and user namespaces are not"
                            + " available, and creating the system user " + SYSTEM_USER_NAME + " failed: " + out);
                }
            }
            return new int[] {
                    Integer.parseInt(run(List.of(tool("id"), "-u", SYSTEM_USER_NAME)).trim()),
                    Integer.parseInt(run(List.of(tool("id"), "-g", SYSTEM_USER_NAME)).trim())};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + SYSTEM_USER_NAME, e);
        }
    }

    private static boolean userExists() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(tool("id"), "-u", SYSTEM_USER_NAME).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    /** Unpacks zonky's PostgreSQL archive once into a directory every user may read. */
    private static Path extractBinaries() {
        try {
            byte[] archive;
            try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", architecture())) {
                archive = in.readAllBytes();
            }
            privateDirectory(BINARIES_ROOT, "rwxr-xr-x", 0);
            Path target = BINARIES_ROOT.resolve("binaries-" + md5(archive));
            if (Files.exists(target.resolve(".complete"))) {
                return target;
            }
            Path staging = Files.createTempDirectory(BINARIES_ROOT, "staging-");
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    new XZInputStream(new ByteArrayInputStream(archive)))) {
                for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                    Path out = staging.resolve(e.getName()).normalize();
                    if (!out.startsWith(staging)) {
                        throw new IOException("archive entry outside the target: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(out);
                    } else if (e.isSymbolicLink()) {
                        Files.createDirectories(out.getParent());
                        Files.createSymbolicLink(out, Path.of(e.getLinkName()));
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                        boolean executable = (e.getMode() & 0100) != 0;
                        Files.setPosixFilePermissions(out,
                                PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
            }
            try (var dirs = Files.walk(staging)) {
                for (Path d : dirs.filter(Files::isDirectory).toList()) {
                    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            Files.createFile(staging.resolve(".complete"));
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException alreadyThere) {
                // Another JVM won the race; its copy is complete (it is moved only when complete).
                run(List.of(tool("rm"), "-rf", staging.toString()));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack the PostgreSQL binaries into " + BINARIES_ROOT, e);
        }
    }

    /**
     * A binary "archive" for zonky holding only scripts: bin/initdb and bin/pg_ctl start the real ones
     * as the system user. pg_ctl and initdb find postgres next to their real selves, so it needs none.
     */
    private static PgBinaryResolver wrapperResolver(Path realBinaries, int uid, int gid) {
        byte[] txz = wrapperArchive(realBinaries, uid, gid);
        return (system, machineHardware) -> new ByteArrayInputStream(txz);
    }

    private static byte[] wrapperArchive(Path realBinaries, int uid, int gid) {
        String setpriv = tool("setpriv");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
                new XZOutputStream(bytes, new LZMA2Options(0)))) {
            for (String name : List.of("initdb", "pg_ctl", "postgres")) {
                String script = "#!/bin/sh\n"
                        + "# Runs PostgreSQL's " + name + " as " + SYSTEM_USER_NAME + ": it refuses to run as root.\n"
                        + "exec '" + setpriv + "' --reuid=" + uid + " --regid=" + gid + " --clear-groups -- '"
                        + realBinaries.resolve("bin").resolve(name) + "' \"$@\"\n";
                byte[] content = script.getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry("bin/" + name);
                entry.setMode(0755);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    // ---- helpers -----------------------------------------------------------------------------

    /**
     * Creates {@code dir} with {@code mode}, or checks that the one there is {@code owner}'s and
     * that no one else may write in it (else someone could have put programs there for us to run).
     */
    private static Path privateDirectory(Path dir, String mode, long owner) {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // made meanwhile by another JVM of ours: checked below like any other
                }
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode)); // umask-proof
            }
            int uid = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || uid != owner
                    || perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IllegalStateException(dir + " must be a directory of uid " + owner + " that others cannot"
                        + " write to (it holds the PostgreSQL programs we run); it is uid " + uid + ", mode "
                        + PosixFilePermissions.toString(perms) + ". Remove it and start again.");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + dir, e);
        }
    }

    /** Finds a tool on PATH or in the usual system directories (root's PATH may lack /usr/sbin). */
    static String tool(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return Path.of(d, name).toString();
            }
        }
        throw new IllegalStateException("PostgreSQL may not run as root and user namespaces are not available,"
                + " so it must run as a system user, which needs the tool '" + name + "'; it is not on PATH nor in"
                + " /usr/sbin, /usr/bin, /sbin or /bin. Install util-linux and passwd, or run as a non-root user.");
    }

    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(command + " failed with exit code " + p.exitValue() + ": " + out.trim());
        }
        return out;
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch");
        return "amd64".equals(arch) ? "x86_64" : arch;
    }

    private static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
