package io.credits.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Proves the embedded PostgreSQL starts (as root too), migrates, keeps its data, and copies templates. */
class DatabaseTest {

    private static EmbeddedServer server;
    /** One durable embedded database (default options) for the tests that only look at it. */
    private static Database durable;
    private static Path durableDir;

    @BeforeAll
    static void start(@TempDir Path dir) {
        server = EmbeddedServer.start();
        durableDir = dir.resolve("data");
        durable = Database.embedded(durableDir);
    }

    @AfterAll
    static void stop() {
        durable.close();
        server.close();
    }

    @Test
    void embedded_start_runsMigrations() throws SQLException {
        assertThat(longOf(durable.dataSource(), "SELECT count(*) FROM flyway_schema_history WHERE success"))
                .isGreaterThanOrEqualTo(1);
        assertThat(durable.ping(Duration.ofSeconds(1))).isTrue();
        assertThat(durable.jdbcUrl()).startsWith("jdbc:postgresql://localhost:");
    }

    @Test
    void embedded_closeAndReopenSameDataDir_keepsData(@TempDir Path dir) throws SQLException {
        Path data = dir.resolve("data");
        try (Database db = Database.embedded(data)) {
            execute(db.dataSource(), "CREATE TABLE kept (v bigint)", "INSERT INTO kept VALUES (42)");
        }
        assertThat(data.resolve("postmaster.pid")).doesNotExist();
        try (Database db = Database.embedded(data)) {
            assertThat(longOf(db.dataSource(), "SELECT v FROM kept")).isEqualTo(42);
            assertThat(longOf(db.dataSource(), "SELECT count(*) FROM flyway_schema_history WHERE version = '1'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void embedded_durableByDefault_fsyncAndSynchronousCommitOn() throws SQLException {
        assertThat(stringOf(durable.dataSource(), "SHOW fsync")).isEqualTo("on");
        assertThat(stringOf(durable.dataSource(), "SHOW synchronous_commit")).isEqualTo("on");
        assertThat(stringOf(durable.dataSource(), "SHOW full_page_writes")).isEqualTo("on");
    }

    @Test
    void embedded_sameDataDirTwice_isRefused() {
        assertThatThrownBy(() -> Database.embedded(durableDir))
                .hasMessageContaining("already open in this process");
        assertThat(durable.ping(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void embedded_nonEmptyDirectoryWithoutCluster_isRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "not a database");
        assertThatThrownBy(() -> Database.embedded(dir))
                .hasMessageContaining("no PostgreSQL cluster")
                .hasMessageContaining("notes.txt");
        assertThat(dir.resolve("notes.txt")).exists();
    }

    @Test
    void embedded_passwordRequired_trustIsOff() {
        var noPassword = new org.postgresql.ds.PGSimpleDataSource();
        noPassword.setUrl(durable.jdbcUrl());
        noPassword.setUser("postgres");
        assertThatThrownBy(noPassword::getConnection).isInstanceOf(SQLException.class)
                .hasMessageContaining("password");
    }

    @Test
    void freshDatabases_areMigratedAndIndependent() throws SQLException {
        try (Database a = server.freshDatabase(); Database b = server.freshDatabase()) {
            assertThat(longOf(a.dataSource(), "SELECT count(*) FROM flyway_schema_history WHERE success"))
                    .isGreaterThanOrEqualTo(1);
            execute(a.dataSource(), "CREATE TABLE only_in_a (v int)", "INSERT INTO only_in_a VALUES (1)");
            assertThat(longOf(b.dataSource(),
                    "SELECT count(*) FROM information_schema.tables WHERE table_name = 'only_in_a'")).isZero();
            assertThat(a.jdbcUrl()).isNotEqualTo(b.jdbcUrl());
        }
    }

    @Test
    void freshDatabase_closed_isDroppedInTheBackground() throws Exception {
        Database db = server.freshDatabase();
        String name = db.jdbcUrl().substring(db.jdbcUrl().lastIndexOf('/') + 1);
        db.close();
        try (Database other = server.freshDatabase()) {
            String sql = "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'";
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (longOf(other.dataSource(), sql) != 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(longOf(other.dataSource(), sql)).isZero();
        }
    }

    @Test
    void freshDatabase_isFast() {
        long start = System.nanoTime();
        int n = 10;
        for (int i = 0; i < n; i++) {
            try (Database db = server.freshDatabase()) {
                assertThat(db.ping(Duration.ofSeconds(1))).isTrue();
            }
        }
        Duration each = Duration.ofNanos((System.nanoTime() - start) / n);
        // Tens of milliseconds each on a 2-core machine; the bound leaves room for a slow CI.
        assertThat(each).isLessThan(Duration.ofMillis(500));
    }

    @Test
    void external_urlWithCredentials_migratesAndPools() throws SQLException {
        try (Database copy = server.freshDatabase();
             Database db = Database.external(copy.jdbcUrl() + "?user=postgres&password=" + server.password(),
                     Database.Options.defaults().withPoolSize(2))) {
            assertThat(db.jdbcUrl()).isEqualTo(copy.jdbcUrl()).doesNotContain("password");
            assertThat(longOf(db.dataSource(), "SELECT count(*) FROM flyway_schema_history WHERE success"))
                    .isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void external_unreachable_failsNamingTheUrlWithoutCredentials() {
        assertThatThrownBy(() -> Database.external("jdbc:postgresql://127.0.0.1:1/credits?password=secret",
                Database.Options.defaults().withConnectionTimeout(Duration.ofMillis(500))))
                .hasMessageContaining("could not connect to jdbc:postgresql://127.0.0.1:1/credits")
                .hasMessageNotContaining("secret");
    }

    @Test
    void external_notPostgresUrl_isRefused() {
        assertThatThrownBy(() -> Database.external("jdbc:mysql://localhost/credits"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with jdbc:postgresql:");
    }

    @Test
    void ping_poolExhausted_answersFalseWithinTheTimeout() throws SQLException {
        try (Database db = server.freshDatabase(1); Connection held = db.dataSource().getConnection()) {
            long start = System.nanoTime();
            assertThat(db.ping(Duration.ofMillis(500))).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(held.isValid(1)).isTrue();
        }
    }

    static long longOf(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String stringOf(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void execute(DataSource ds, String... sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }
}
