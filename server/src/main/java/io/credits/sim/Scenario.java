package io.credits.sim;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One scenario file (SCENARIOS.md), parsed: a customer's timeline as data.
 *
 * @param file        the file as it was named to the parser
 * @param name        the file's {@code name}, or the file name when it has none
 * @param timezone    the accounts' time zone ({@code timezone}, UTC by default)
 * @param catalogFile the catalog file to run against, resolved against the scenario's folder; empty
 *                    for the default catalog
 * @param steps       the steps in file order, numbered from 1
 */
public record Scenario(Path file, String name, ZoneId timezone, Optional<Path> catalogFile, List<Step> steps) {

    public Scenario {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timezone, "timezone");
        Objects.requireNonNull(catalogFile, "catalogFile");
        steps = List.copyOf(steps);
    }
}
