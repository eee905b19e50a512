package io.credits.cli;

import io.credits.sim.Scenario;
import io.credits.sim.ScenarioFileException;
import io.credits.sim.ScenarioParser;
import io.credits.sim.Simulator;
import io.credits.store.EmbeddedServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code credits simulate FILE...}: customer timelines through the real engine on a real
 * PostgreSQL (SCENARIOS.md). Exit 0 when every expectation held, 1 when one failed, 2 when a file
 * cannot be read.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run scenario files through the real engine with a clock the steps move.")
final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Scenario files (YAML).")
    List<Path> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Scenario> scenarios = new ArrayList<>();
        boolean unreadable = false;
        for (Path f : files) {
            try {
                scenarios.add(ScenarioParser.parse(f));
            } catch (ScenarioFileException e) {
                err.println(e.getMessage());
                unreadable = true;
            }
        }
        if (unreadable) {
            err.flush();
            return 2;
        }
        try (EmbeddedServer server = EmbeddedServer.start()) {
            Simulator.Result r = new Simulator(server, line -> {
                out.println(line);
                out.flush();
            }).run(scenarios);
            out.println(r.passed() + " passed, " + r.failed() + " failed");
            out.flush();
            return r.ok() ? 0 : 1;
        }
    }
}
