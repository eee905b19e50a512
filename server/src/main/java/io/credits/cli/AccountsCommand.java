package io.credits.cli;

import io.credits.account.Account;
import io.credits.account.Balance;
import io.credits.store.Database;
import io.credits.store.Engine;
import io.credits.store.OperatorQueries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code credits accounts}: find accounts and see their plan and credits at a glance. */
@Command(name = "accounts", mixinStandardHelpOptions = true,
        description = "List accounts (optionally those whose id or name contains TEXT) with plan and balance.")
final class AccountsCommand implements Callable<Integer> {
    static final int LIMIT_MAX = OperatorQueries.LIMIT_MAX;

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions db;

    @Option(names = "--search", paramLabel = "TEXT", description = "Only accounts whose id or name contains TEXT (any case).")
    String search;

    @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "At most N accounts, 1 to " + LIMIT_MAX + " (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1 || limit > LIMIT_MAX)
            throw new ParameterException(spec.commandLine(), "--limit must be 1 to " + LIMIT_MAX + ": " + limit);
        if (search != null && search.length() > OperatorQueries.SEARCH_LENGTH_MAX)
            throw new ParameterException(spec.commandLine(), "--search must be at most " + OperatorQueries.SEARCH_LENGTH_MAX
                    + " characters: " + search.length());
        PrintWriter out = spec.commandLine().getOut();
        try (Database database = db.open();
             Engine engine = new Engine(database.dataSource(), db.catalog(), Clock.systemUTC(), ZoneOffset.UTC, 1)) {
            List<String> ids = OperatorQueries.search(database.dataSource(), search, limit);
            out.printf("%-24s %-8s %-8s %10s %8s  %s%n", "account", "plan", "next", "available", "held", "period end");
            for (String id : ids) {
                Account a = engine.read(id).orElseThrow();
                Balance b = a.balance();
                out.printf("%-24s %-8s %-8s %10d %8d  %s%n", id, b.plan(), b.nextPlan(), b.available(), b.held(),
                        b.periodEnd() == null ? "-" : b.periodEnd());
            }
            out.println(ids.size() + (ids.size() == limit ? "+ accounts (raise --limit for more)" : " accounts"));
            out.flush();
        }
        return 0;
    }
}
