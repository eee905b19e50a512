package io.credits.store;

import io.credits.testing.ServeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Proves a JVM killed with SIGKILL leaves no obstacle: the next start stops its PostgreSQL and goes on. */
class OrphanRecoveryTest {

    @Test
    void embedded_afterServerKilled_stopsTheOrphanAndStarts(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        long orphan;
        try (ServeProcess serve = ServeProcess.start(data, Map.of())) {
            assertThat(serve.health()).isEqualTo(200);
            orphan = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
            serve.kill(); // SIGKILL: no shutdown hook runs
        }
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("PostgreSQL outlives the JVM").hasValue(true);

        try (Database db = Database.embedded(data)) {
            assertThat(DatabaseTest.longOf(db.dataSource(), "SELECT count(*) FROM flyway_schema_history")).isPositive();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // until init reaps it
            while (ProcessHandle.of(orphan).filter(ProcessHandle::isAlive).isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive)).isEmpty();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
