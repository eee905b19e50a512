package io.credits.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code credits}: the command line. Exit codes: 0 done, 1 failed, 2 bad usage (unknown command
 * or option, bad value).
 */
@Command(name = "credits",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Prepaid AI credits: a ledger service for plans, grants, holds and uses.",
        subcommands = {ServeCommand.class, SimulateCommand.class, VerifyCommand.class, ExplainCommand.class,
                CatchUpCommand.class, BenchCommand.class, AccountsCommand.class, GrantCommand.class, KeysCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code; prints to System.out and System.err. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line, for tests that want to set its output streams. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine bad = e.getCommandLine();
            PrintWriter err = bad.getErr();
            err.println("credits: " + e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
                err.print(bad.getUsageMessage());
            }
            err.println("Run '" + bad.getCommandSpec().qualifiedName() + " --help' for usage.");
            err.flush();
            return CommandLine.ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("credits: " + describe(e));
            if (System.getenv("CREDITS_DEBUG") != null) {
                e.printStackTrace(err);
            }
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        });
        return cl;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: say which, e.g. 'credits serve'");
    }

    /** The message of an error and of its causes, without repeats: one line for the operator. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !sb.toString().contains(m)) {
                sb.append(": ").append(m);
            }
        }
        return sb.toString();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"credits " + (v == null ? "(development build)" : v)};
        }
    }
}
