package io.credits.cli;

import io.credits.app.App;
import io.credits.app.ServeConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code credits serve}: starts the service and prints {@code listening on http://HOST:PORT}
 * once it answers (after {@code admin key (shown once): ck_...} on the first start of an empty
 * database without {@code CREDITS_ADMIN_KEY}). Stops cleanly on SIGTERM or Ctrl-C (and, for tests, when its thread is
 * interrupted).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the HTTP API, with an embedded PostgreSQL unless --database-url is given.")
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "TCP port to listen on; 0 takes a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, loopback only).")
    String host;

    @Option(names = "--data", defaultValue = "./data", paramLabel = "DIR",
            description = "Directory of the embedded database, kept across restarts (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--database-url", paramLabel = "JDBC_URL",
            description = "Use this PostgreSQL instead of the embedded one, "
                    + "e.g. jdbc:postgresql://localhost:5432/credits?user=credits&password=secret.")
    String databaseUrl;

    @Option(names = "--catalog", paramLabel = "FILE",
            description = "Catalog file (plans, prices, features) replacing the built-in one.")
    Path catalog;

    @Override
    public Integer call() throws Exception {
        ServeConfig config;
        try {
            config = new ServeConfig(host, port, data, Optional.ofNullable(databaseUrl), Optional.ofNullable(catalog));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        App app = App.start(config);
        Thread hook = new Thread(app::close, "credits-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean interrupted = false;
        try {
            PrintWriter out = spec.commandLine().getOut();
            // The first start of an empty database made an admin key: its only showing.
            app.newAdminKey().ifPresent(key -> out.println("admin key (shown once): " + key));
            out.println("listening on " + app.url());
            out.flush();
            app.awaitStopped();
        } catch (InterruptedException e) {
            interrupted = true; // a test's way to stop; set the flag again only once all is closed
        } finally {
            app.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it closes the app; the JVM exits when it is done.
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return CommandLine.ExitCode.OK;
    }
}
