package io.credits.cli;

import io.credits.store.Database;
import io.credits.store.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;

/**
 * {@code credits catch-up}: brings every account with a boundary or expiry due up to now, so
 * month-end figures are complete without waiting for each account's next request.
 */
@Command(name = "catch-up", mixinStandardHelpOptions = true,
        description = "Bring idle accounts up to date (period boundaries, expiries), in batches.")
final class CatchUpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions db;

    @Option(names = "--batch", defaultValue = "1000", paramLabel = "N",
            description = "Accounts per batch, 1 to 10000 (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() {
        if (batch < 1 || batch > 10_000)
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--batch must be 1 to 10000: " + batch);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        try (Database database = db.open();
             Engine engine = new Engine(database.dataSource(), db.catalog(), Clock.systemUTC(), ZoneOffset.UTC, 4)) {
            long n = engine.catchUp(batch, done -> {
                double secs = (System.nanoTime() - start) / 1e9;
                err.printf("catch-up: %d accounts brought up to date (%.0f/s)%n", done, done / Math.max(secs, 1e-9));
                err.flush();
            });
            out.println("catch-up: done, " + n + " accounts brought up to date");
            out.flush();
        }
        return 0;
    }
}
