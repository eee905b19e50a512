package io.credits.cli;

import io.credits.account.Account;
import io.credits.account.Balance;
import io.credits.store.Database;
import io.credits.store.Engine;
import io.credits.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code credits accounts}: find accounts and see their plan and credits at a glance. */
@Command(name = "accounts", mixinStandardHelpOptions = true,
        description = "List accounts (optionally those whose id or name contains TEXT) with plan and balance.")
final class AccountsCommand implements Callable<Integer> {
    static final int LIMIT_MAX = 1_000;

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
        PrintWriter out = spec.commandLine().getOut();
        try (Database database = db.open();
             Engine engine = new Engine(database.dataSource(), db.catalog(), Clock.systemUTC(), ZoneOffset.UTC, 1)) {
            List<String> ids = find(database, search, limit);
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

    private static List<String> find(Database database, String search, int limit) {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT account_id FROM accounts
                     WHERE ? IS NULL OR account_id ILIKE '%' || ? || '%' OR name ILIKE '%' || ? || '%'
                     ORDER BY account_id LIMIT ?""")) {
            String like = search == null ? null : search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            ps.setString(1, like);
            ps.setString(2, like);
            ps.setString(3, like);
            ps.setInt(4, limit);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot list accounts", e);
        }
    }
}
