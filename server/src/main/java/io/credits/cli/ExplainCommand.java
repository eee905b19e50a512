package io.credits.cli;

import io.credits.account.Account;
import io.credits.account.Balance;
import io.credits.ledger.Grant;
import io.credits.store.Database;
import io.credits.store.Engine;
import io.credits.store.LedgerQueries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code credits explain ACCOUNT}: the billing view in a terminal, for support staff answering
 * "why do I have this many credits?". Reads only: the account is brought up to date in memory.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Show an account's plan, period, credits, grants and last ledger entries.")
final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ACCOUNT")
    String account;

    @Option(names = "--entries", defaultValue = "20", paramLabel = "N",
            description = "How many of the last ledger entries to show, 1 to " + LedgerQueries.PAGE_MAX + " (default: ${DEFAULT-VALUE}).")
    int entries;

    @Override
    public Integer call() {
        if (entries < 1 || entries > LedgerQueries.PAGE_MAX)
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--entries must be 1 to " + LedgerQueries.PAGE_MAX + ": " + entries);
        PrintWriter out = spec.commandLine().getOut();
        try (Database database = db.open();
             Engine engine = new Engine(database.dataSource(), db.catalog(), Clock.systemUTC(), ZoneOffset.UTC, 1)) {
            Optional<Account> found = engine.read(account);
            if (found.isEmpty()) {
                spec.commandLine().getErr().println("credits: not_found: no account '" + account + "'");
                return 1;
            }
            print(out, found.get());
            out.println("last entries, newest first:");
            for (LedgerQueries.EntryRow e : LedgerQueries.entries(database.dataSource(), account, null, entries)) {
                out.printf("  %s  %-9s %-13s %6d  %s%s%s%n", e.effectiveAt(), e.type(), e.cause(), e.credits(),
                        e.grantSeq() == null ? "" : "grant #" + e.grantSeq(),
                        e.ref() == null ? "" : "  " + e.ref(),
                        e.feature() == null ? "" : "  " + e.feature() + " by " + e.userId()
                                + (e.projectId() == null ? "" : " in " + e.projectId()));
            }
            out.flush();
            return 0;
        }
    }

    static void print(PrintWriter out, Account a) {
        Balance b = a.balance();
        out.println("account      " + a.id() + " (time zone " + a.zone().getId() + ")");
        out.println("main plan    " + a.mainPlan().map(m -> m.plan() + " " + m.term().code() + ", anchored " + m.anchor()).orElse("none"));
        out.println("AI plan      " + b.plan() + ", next " + b.nextPlan()
                + (b.periodStart() == null ? "" : ", period " + b.periodStart() + " .. " + b.periodEnd()));
        out.println("available    " + b.available() + " = carried over " + b.carriedOver()
                + (b.carriedOverExpiresAt() == null ? "" : " (expire " + b.carriedOverExpiresAt() + ")")
                + " + current " + b.current() + " + other " + (b.available() - b.carriedOver() - b.current()));
        out.println("held         " + b.held());
        out.println("used         " + b.usedThisPeriod() + " this period");
        out.println("period end   will carry over " + b.willCarryOver() + ", will expire " + b.willExpire());
        out.println("charged      " + b.chargedCents() + " cents " + b.currency() + " in all");
        out.println("grants (live, and ended ones with credits in holds):");
        a.grants().stream().sorted(Comparator.comparingLong(g -> g.seq)).forEach(g -> out.println("  " + describe(g)));
    }

    private static String describe(Grant g) {
        return String.format("#%d %-10s granted %d: remaining %d, held %d, used %d, expired %d, carried out %d; %s%s",
                g.seq, g.kind, g.granted(), g.remaining(), g.held(), g.used(), g.expired(), g.carriedOut(),
                g.expiresAt == null ? "no expiry" : "expires " + g.expiresAt, g.reason == null ? "" : "; " + g.reason);
    }
}
