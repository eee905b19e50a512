package io.credits.sim;

import io.credits.store.EmbeddedServer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every scenario file the project ships passes through the real engine on PostgreSQL. */
class ScenarioFilesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException {
        Simulator sim = new Simulator(EmbeddedServer.shared(), line -> { });
        return files().map(f -> DynamicTest.dynamicTest(ROOT.relativize(f).toString(), () -> {
            Simulator.Result r = sim.run(ScenarioParser.parse(f));
            assertThat(r.failures()).isEmpty();
            assertThat(r.passed()).isPositive();
        }));
    }

    static Stream<Path> files() throws IOException {
        List<Path> dirs = List.of(ROOT.resolve("scenarios"),
                ROOT.resolve("server/src/test/resources/scenarios/shared-examples"));
        return dirs.stream().filter(Files::isDirectory).flatMap(d -> {
            try {
                return Files.walk(d).filter(p -> p.toString().endsWith(".yaml") && !p.getParent().endsWith("catalogs")).sorted();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
