package io.credits.cli;

import io.credits.store.Database;
import io.credits.store.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code credits verify}: reconciliation. Exit 0 when every invariant holds, 1 on a violation. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Recompute every grant from the ledger and check the invariants of the rules.")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions db;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Database database = db.open()) {
            Verifier.Report r = Verifier.verify(database.dataSource(), db.catalog());
            r.checked().forEach((table, rows) -> out.println("checked " + rows + " rows of " + table));
            r.violations().forEach(v -> out.println("VIOLATION " + v));
            out.println(r.ok() ? "verify: every invariant holds" : "verify: " + r.violationCount() + " violations");
            out.flush();
            return r.ok() ? 0 : 1;
        }
    }
}
