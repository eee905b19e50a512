package io.credits.bench;

import io.credits.catalog.CatalogLoader;
import io.credits.store.ApiKeys;
import io.credits.store.Engine;

import javax.sql.DataSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Stateless API nodes on one PostgreSQL ({@code bench --scale-out}): starts the largest number of
 * {@code credits serve} JVMs asked for on the same database, then at every concurrency spreads the
 * HTTP load at random over the first 1, 2, 4 ... of them. Nothing is shared between the nodes but
 * the database: each locks its accounts' rows in the transaction, so any node may serve any account.
 */
public final class ScaleOut {
    public record Settings(String databaseUrl, int accounts, List<Integer> processes, List<Integer> concurrency,
                           Duration warmup, Duration measure, Path workDir, String childHeap) {}

    private final DataSource ds;
    private final Settings settings;
    private final Consumer<String> progress;

    public ScaleOut(DataSource ds, Settings settings, Consumer<String> progress) {
        this.ds = ds;
        this.settings = settings;
        this.progress = progress;
    }

    public List<Results.Measurement> run() throws Exception {
        List<String> accounts;
        try (Engine engine = new Engine(ds, CatalogLoader.defaultCatalog(), Clock.systemUTC(), ZoneOffset.UTC, 4)) {
            accounts = Bench.setUp(engine, settings.accounts(), "scale-", progress);
        }
        String key = ApiKeys.create(ds, ApiKeys.Scope.SPEND, "scale-out benchmark", Instant.now()).secret();
        List<Results.Measurement> out = new ArrayList<>();
        long acknowledged = 0;
        int most = settings.processes().stream().max(Integer::compare).orElseThrow();
        List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < most; i++) nodes.add(Node.start(settings, i, progress));
            // Each new JVM compiles its hot paths first: load on all of them, longer the more there are.
            HttpBench all = new HttpBench(nodes.stream().map(Node::url).toList(), key, accounts, progress);
            progress.accept("scale-out: warming up " + most + " node(s) for " + 5 * most + " s...");
            acknowledged += ClosedLoop.run(i -> all.client(), accounts, 64, Duration.ofSeconds(5L * most)).uses();
            // The counts take turns at every level (the first node, then the first two, ...), so a change of
            // the machine's load falls on all of them; the nodes left out meanwhile stay idle.
            for (int c : settings.concurrency()) {
                for (int n : settings.processes()) {
                    HttpBench http = new HttpBench(nodes.subList(0, n).stream().map(Node::url).toList(), key, accounts,
                            progress);
                    acknowledged += ClosedLoop.run(i -> http.client(), accounts, c, settings.warmup()).uses();
                    long commits = Bench.commits(ds);
                    Results.Measurement m = Bench.measure("credits-http", "spread", c, Map.of("accounts",
                            (long) accounts.size(), "processes", (long) n), i -> http.client(), accounts, Duration.ZERO,
                            settings.measure(), progress);
                    acknowledged += m.uses();
                    out.add(m.withParam("commits", Bench.commits(ds) - commits));
                }
            }
        } finally {
            for (Node node : nodes) node.close();
        }
        checkTotals(acknowledged);
        return out;
    }

    /**
     * Every use answered 201 by any node is in the ledger once, and nothing else is: the nodes
     * share nothing but the database, so this is what makes them safe to add.
     */
    private void checkTotals(long acknowledged) throws java.sql.SQLException {
        try (var c = ds.getConnection(); var ps = c.prepareStatement(
                "SELECT count(*) FROM ledger_entries WHERE type = 'USE' AND account_id LIKE 'scale-%'");
             var rs = ps.executeQuery()) {
            rs.next();
            long entries = rs.getLong(1);
            if (entries != acknowledged)
                throw new IllegalStateException("uses answered 201: " + acknowledged + ", USE entries in the ledger: " + entries);
            progress.accept(String.format("scale-out: %,d uses answered 201 by the nodes, %,d USE entries in the ledger: equal",
                    acknowledged, entries));
        }
    }

    /** One {@code credits serve} in its own JVM, on the shared database, on a free port. */
    private record Node(Process process, URI url) implements AutoCloseable {
        static Node start(Settings s, int index, Consumer<String> progress) throws Exception {
            String java = ProcessHandle.current().info().command().orElseThrow();
            // The URL carries the bench database's password on the command line: a throw-away
            // database on loopback, deleted when the run ends.
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx" + s.childHeap(), "-cp", System.getProperty("java.class.path"),
                    "io.credits.cli.Main", "serve", "--port", "0", "--database-url", s.databaseUrl(),
                    "--data", s.workDir().resolve("node-" + index).toString())
                    .redirectError(s.workDir().resolve("node-" + index + ".log").toFile());
            Process p = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            try {
                line = CompletableFuture.supplyAsync(() -> {
                    try {
                        String l = out.readLine();
                        while (l != null && !l.startsWith("listening on ")) l = out.readLine();
                        return l;
                    } catch (IOException e) {
                        return null;
                    }
                }).get(120, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
                throw new IllegalStateException("serve process " + index + " did not start; see "
                        + s.workDir().resolve("node-" + index + ".log"), e);
            }
            if (line == null) {
                p.destroyForcibly();
                throw new IllegalStateException("serve process " + index + " exited; see " + s.workDir().resolve("node-" + index + ".log"));
            }
            progress.accept("scale-out: node " + index + " " + line);
            return new Node(p, URI.create(line.substring("listening on ".length()).trim()));
        }

        /** SIGTERM (a graceful stop), then a kill if it hangs. */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
