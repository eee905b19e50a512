package io.credits.faults;

import io.credits.cli.Main;
import io.credits.sdk.CreditsClient;
import io.credits.testing.ServeProcess;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the fault tests share: server processes, a funded account, SQL on the ledger, and verify. */
final class FaultKit {
    static final String ADMIN_KEY = "ck_fault_admin_0123456789abcdef";
    static final String FEATURE = "generate_page";
    /** What a use of {@value #FEATURE} costs in the default catalog. */
    static final long COST = 10;
    /** Where each test's server processes write their standard error (kept after the run, for CI). */
    static final Path LOGS = Path.of("target", "fault-logs");

    private FaultKit() {}

    /** A new (emptied) log file for the server processes of one test. */
    static Path log(String name) {
        try {
            Files.createDirectories(LOGS);
            Path log = LOGS.resolve(name + ".log");
            Files.deleteIfExists(log);
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code credits serve --port PORT --database-url URL} in a child JVM whose admin key is {@link #ADMIN_KEY}. */
    static ServeProcess serve(int port, Path log, String databaseUrl) throws Exception {
        return ServeProcess.start(port, log, Map.of("CREDITS_ADMIN_KEY", ADMIN_KEY), "--database-url", databaseUrl);
    }

    /** The SDK with one attempt per call: the tests do the retrying, so they see every failure. */
    static CreditsClient client(String url) {
        return CreditsClient.builder(URI.create(url), ADMIN_KEY).attempts(1).timeout(Duration.ofSeconds(20)).build();
    }

    /** A PRO account with T1000 booked (1,000 credits) and {@code extra} more credits granted. */
    static void fund(CreditsClient admin, String account, long extra) {
        admin.setMainPlan(account, "PRO", "monthly", null);
        admin.bookAiPlan(account, "T1000");
        if (extra > 0) admin.grant(account, extra, null, "fault test");
    }

    static long count(DataSource ds, String sql, Object... args) {
        List<String> row = rows(ds, sql, args).stream().findFirst().orElseThrow();
        return Long.parseLong(row.getFirst());
    }

    /** Every row of a query, each as its columns' text. */
    static List<List<String>> rows(DataSource ds, String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof String[] a) ps.setArray(i + 1, c.createArrayOf("text", a));
                else ps.setObject(i + 1, args[i]);
            }
            List<List<String>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) row.add(rs.getString(i));
                    out.add(row);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** {@code credits verify --database-url URL}, in this JVM; asserts it passes and returns its output. */
    static String verify(String databaseUrl) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("verify", "--database-url", databaseUrl);
        assertThat(code).as("credits verify: %s%s", out, err).isZero();
        assertThat(out.toString()).contains("verify: every invariant holds");
        return out.toString();
    }

    /** A figure for docs/faults.md, on standard output where the test report keeps it. */
    static void report(String test, String figures) {
        System.out.println("FAULT " + test + ": " + figures);
    }
}
