package io.credits.store;

import io.credits.testing.ServeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that, as root where user namespaces are unavailable (simulated: no `unshare` on PATH),
 * `credits serve` runs PostgreSQL as the system user credits-pg, which it creates if missing.
 */
@EnabledIf("isRoot")
class SystemUserFallbackTest {

    static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    @Test
    void serve_asRootWithoutUserNamespaces_runsPostgresAsSystemUser() throws Exception {
        // Enterable by others: the system user must reach the data directory inside.
        Path work = Files.createTempDirectory("credits-fallback-test-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path data = work.resolve("data");
        try {
            Path bin = pathWithoutUnshare(work.resolve("bin"));
            try (ServeProcess serve = ServeProcess.start(data, Map.of("PATH", bin.toString()))) {
                assertThat(serve.health()).isEqualTo(200);
                assertThat(Files.getOwner(data, LinkOption.NOFOLLOW_LINKS).getName())
                        .isEqualTo(PostgresUser.SYSTEM_USER_NAME);
                long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
                assertThat(Files.getOwner(Path.of("/proc", Long.toString(postmaster)), LinkOption.NOFOLLOW_LINKS)
                        .getName()).isEqualTo(PostgresUser.SYSTEM_USER_NAME);

                serve.stop(); // SIGTERM: the clean shutdown path
                assertThat(data.resolve("postmaster.pid")).doesNotExist();
            }
        } finally {
            EmbeddedCluster.deleteRecursively(work);
        }
    }

    /** A directory of links to every tool in /usr/sbin, /usr/bin, /sbin and /bin but unshare. */
    private static Path pathWithoutUnshare(Path bin) throws IOException {
        Files.createDirectories(bin);
        for (String dir : new String[] {"/usr/sbin", "/usr/bin", "/sbin", "/bin"}) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> tools = Files.list(d)) {
                for (Path tool : tools.toList()) {
                    Path link = bin.resolve(tool.getFileName().toString());
                    if (!tool.getFileName().toString().equals("unshare") && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, tool);
                    }
                }
            }
        }
        return bin;
    }
}
