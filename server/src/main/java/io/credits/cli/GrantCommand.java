package io.credits.cli;

import io.credits.account.Answer;
import io.credits.account.Command.ManualGrant;
import io.credits.account.Outcome;
import io.credits.store.Database;
import io.credits.store.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code credits grant ACCOUNT --credits N --reason TEXT}: an operator's grant, recorded with its reason. */
@Command(name = "grant", mixinStandardHelpOptions = true,
        description = "Grant credits by hand (goodwill, support), with a reason and the operator's name.")
final class GrantCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "ACCOUNT")
    String account;

    @Option(names = "--credits", required = true, paramLabel = "N", description = "Credits to grant, at least 1.")
    long credits;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why: shown on the ledger and the billing page.")
    String reason;

    @Option(names = "--expires", paramLabel = "INSTANT", description = "When the credits expire (ISO-8601, e.g. 2027-01-01T00:00:00Z); never by default.")
    Instant expires;

    @Option(names = "--operator", paramLabel = "NAME", description = "Who grants (default: the USER environment variable).")
    String operator;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Run the same grant twice and it counts once.")
    String key;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String by = operator != null ? operator : System.getenv().getOrDefault("USER", "operator");
        try (Database database = db.open();
             Engine engine = new Engine(database.dataSource(), db.catalog(), Clock.systemUTC(), ZoneOffset.UTC, 1)) {
            Outcome o = engine.execute(new Engine.Request(new Engine.Target.OfAccount(account, false),
                    new ManualGrant(credits, Optional.ofNullable(expires), reason, by), key));
            switch (o) {
                case Outcome.Done d when d.answer() instanceof Answer.Granted g -> {
                    out.println("granted " + g.credits() + " credits to " + account + " (grant #" + g.grantSeq() + ", "
                            + (g.expiresAt() == null ? "no expiry" : "expires " + g.expiresAt()) + "); available now "
                            + g.available());
                    out.flush();
                    return 0;
                }
                case Outcome.Done d -> throw new IllegalStateException("unexpected answer " + d.answer());
                case Outcome.Refused r -> {
                    err.println("credits: " + r.code().code() + ": " + r.detail());
                    err.flush();
                    return 1;
                }
            }
        }
    }
}
