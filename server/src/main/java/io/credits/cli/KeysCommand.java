package io.credits.cli;

import io.credits.store.ApiKeys;
import io.credits.store.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code credits keys create|list|revoke}: the API keys. A key is shown once, when it is made;
 * only its hash is stored. With the embedded database, run these while the server is stopped (the
 * data directory is in use while it runs), or use {@code --database-url}.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Create, list and revoke API keys (scopes: admin, spend, read).",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: say which, e.g. 'credits keys create'");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Make a key and print it once, with its id.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions db;

        @Option(names = "--scope", required = true, paramLabel = "SCOPE",
                description = "admin (everything), spend (uses, holds, refunds, balances) or read (reading only).")
        String scope;

        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "What the key is for, e.g. 'website backend'; it names the operator of grants.")
        String name;

        @Override
        public Integer call() {
            ApiKeys.Scope s = ApiKeys.Scope.parse(scope).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "--scope must be admin, spend or read, was '" + scope + "'"));
            ApiKeys.invalidName(name).ifPresent(why -> {
                throw new ParameterException(spec.commandLine(), "--name: " + why);
            });
            PrintWriter out = spec.commandLine().getOut();
            try (Database database = db.open()) {
                ApiKeys.Created c = ApiKeys.create(database.dataSource(), s, name, Instant.now());
                out.println(c.secret());
                out.println("id " + c.key().id() + ", scope " + s.code() + ", name '" + name
                        + "': keep the key now, it is not shown again");
                out.flush();
            }
            return CommandLine.ExitCode.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the keys: id, scope, created, revoked, name (never the keys themselves).")
    static final class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions db;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Database database = db.open()) {
                out.printf("%-18s %-6s %-28s %-28s %s%n", "id", "scope", "created", "revoked", "name");
                for (ApiKeys.Key k : ApiKeys.list(database.dataSource())) {
                    out.printf("%-18s %-6s %-28s %-28s %s%n", k.id(), k.scope().code(), k.createdAt(),
                            k.revoked() ? k.revokedAt().toString() : "-", k.name());
                }
                out.flush();
            }
            return CommandLine.ExitCode.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a key by its id: it is refused from then on (within a second by a running server).")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions db;

        @Parameters(index = "0", paramLabel = "ID", description = "The key's id, as 'keys list' shows it (key_...).")
        String id;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Database database = db.open()) {
                if (!ApiKeys.revoke(database.dataSource(), id, Instant.now())) {
                    PrintWriter err = spec.commandLine().getErr();
                    err.println("credits: no live key with id '" + id + "' (see 'credits keys list')");
                    err.flush();
                    return CommandLine.ExitCode.SOFTWARE;
                }
                out.println("revoked " + id);
                out.flush();
            }
            return CommandLine.ExitCode.OK;
        }
    }
}
