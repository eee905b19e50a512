package io.credits.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's commands as a user runs them: simulate's exit codes and tally, verify, explain, catch-up. */
class OperatorCommandsTest {
    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void simulate_passingFile_endsWithTheTallyAndExitsZero(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("ok.yaml"), """
                steps:
                  - at: 2026-01-01T00:00:00Z
                    book_ai_plan: {account: acme, plan: T1000}
                  - at: 2026-01-01T00:00:00Z
                    expect: {account: acme, available: 1000}
                  - at: 2026-01-01T00:00:00Z
                    book_ai_plan: {account: acme, plan: T1000}
                    expect_error: conflict
                """);
        Run r = run("simulate", f.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("2 passed, 0 failed");
    }

    @Test
    void simulate_failedExpectation_namesFileStepExpectedAndFound_andExitsOne(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("wrong.yaml"), """
                steps:
                  - at: 2026-01-01T00:00:00Z
                    book_ai_plan: {account: acme, plan: T1000}
                  - at: 2026-01-01T00:00:00Z
                    expect: {account: acme, available: 999}
                """);
        Run r = run("simulate", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("wrong.yaml step 2").contains("available: expected 999, found 1000")
                .endsWith("0 passed, 1 failed" + System.lineSeparator());
    }

    @Test
    void simulate_unreadableFile_givesTheLineAndReason_andExitsTwo(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("bad.yaml"), """
                steps:
                  - at: 2026-01-01T00:00:00Z
                    use: {acount: acme, feature: vibe_coding}
                """);
        Run r = run("simulate", f.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("bad.yaml line 3").contains("unknown key 'acount'");
    }

    @Test
    void explain_showsPlanCreditsGrantsAndEntries(@TempDir Path dir) {
        Path data = dir.resolve("data");
        try (io.credits.store.Database db = io.credits.store.Database.embedded(data);
             io.credits.store.Engine engine = new io.credits.store.Engine(db.dataSource(),
                     io.credits.catalog.CatalogLoader.defaultCatalog(), java.time.Clock.systemUTC(),
                     java.time.ZoneOffset.UTC, 1)) {
            var acme = new io.credits.store.Engine.Target.OfAccount("acme", true);
            engine.execute(new io.credits.store.Engine.Request(acme, new io.credits.account.Command.BookAiPlan("T1000"), "b"));
            engine.execute(new io.credits.store.Engine.Request(acme,
                    new io.credits.account.Command.Use(io.credits.account.Actor.owner("acme"), "vibe_coding", 3), "u"));
        }
        Run r = run("explain", "--data", data.toString(), "acme");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("AI plan      T1000, next T1000").contains("available    970")
                .contains("ALLOWANCE  granted 1000: remaining 970").contains("USE").contains("vibe_coding by acme");
        assertThat(run("verify", "--data", data.toString()).exit()).isZero();

        Run grant = run("grant", "--data", data.toString(), "acme", "--credits", "50", "--reason", "support",
                "--operator", "ops", "--idempotency-key", "g1");
        assertThat(grant.exit()).as(grant.err()).isZero();
        assertThat(grant.out()).contains("granted 50 credits to acme").contains("available now 1020");
        assertThat(run("grant", "--data", data.toString(), "acme", "--credits", "50", "--reason", "support",
                "--operator", "ops", "--idempotency-key", "g1").out()).as("a replay grants once").contains("available now 1020");
        Run zero = run("grant", "--data", data.toString(), "acme", "--credits", "0", "--reason", "x");
        assertThat(zero.exit()).isEqualTo(1);
        assertThat(zero.err()).contains("invalid_request").contains("credits must be at least 1");
        Run nobody = run("grant", "--data", data.toString(), "nobody", "--credits", "5", "--reason", "x");
        assertThat(nobody.err()).contains("not_found");

        Run accounts = run("accounts", "--data", data.toString(), "--search", "CM");
        assertThat(accounts.exit()).as(accounts.err()).isZero();
        assertThat(accounts.out()).containsPattern("acme\\s+T1000\\s+T1000\\s+1020").contains("1 accounts");
        assertThat(run("accounts", "--data", data.toString(), "--search", "zzz").out()).contains("0 accounts");
    }

    @Test
    void verifyExplainAndCatchUp_onADatabase_reportWhatTheyDid(@TempDir Path dir) throws Exception {
        String data = dir.resolve("data").toString();
        // An empty database: verify checks and passes, explain says the account is unknown.
        Run verify = run("verify", "--data", data);
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("checked 0 rows of ledger_entries").contains("every invariant holds");
        Run explain = run("explain", "--data", data, "nobody");
        assertThat(explain.exit()).isEqualTo(1);
        assertThat(explain.err()).contains("not_found");
        Run catchUp = run("catch-up", "--data", data);
        assertThat(catchUp.exit()).as(catchUp.err()).isZero();
        assertThat(catchUp.out()).contains("catch-up: done, 0 accounts");
        Run badBatch = run("catch-up", "--data", data, "--batch", "0");
        assertThat(badBatch.exit()).isEqualTo(2);
        assertThat(badBatch.err()).contains("--batch must be 1 to 10000");
    }
}
