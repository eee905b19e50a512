package io.credits.bench;

import io.credits.app.App;
import io.credits.app.ServeConfig;
import io.credits.store.ApiKeys;
import io.credits.store.Database;
import io.credits.store.Engine;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The side-by-side run ({@code bench --compare}): Credits in process and over HTTP, the naive
 * PostgreSQL way, and Redis with {@code appendfsync always}, spread over many accounts and on one
 * hot account, at each client concurrency. The systems take turns at every level instead of one
 * after the other, so a change in the machine's load (it may be shared) falls on all of them.
 */
public final class Compare {
    /** The systems, in the order they take their turn and appear in tables. */
    public static final List<String> SYSTEMS = List.of("credits", "credits-http", "naive", "redis");

    public record Settings(int accounts, List<Integer> concurrency, Duration warmup, Duration measure, int lanes,
                           Path redisServer, Path workDir) {}

    private final Database db;
    private final Settings settings;
    private final Consumer<String> progress;
    private String redisVersion = "";

    public Compare(Database db, Settings settings, Consumer<String> progress) {
        this.db = db;
        this.settings = settings;
        this.progress = progress;
    }

    public String redisVersion() {
        return redisVersion;
    }

    public List<Results.Measurement> run() throws Exception {
        // A key of its own: on a database given by URL the first-start admin key may exist already.
        String key = ApiKeys.create(db.dataSource(), ApiKeys.Scope.SPEND, "benchmark", Instant.now()).secret();
        List<Results.Measurement> out = new ArrayList<>();
        try (Engine engine = new Engine(db.dataSource(), io.credits.catalog.CatalogLoader.defaultCatalog(),
                Clock.systemUTC(), ZoneOffset.UTC, settings.lanes());
             App app = App.start(new ServeConfig("127.0.0.1", 0, settings.workDir(), Optional.empty(), Optional.empty()),
                     db, Clock.systemUTC(), Optional.empty());
             RedisBaseline redis = RedisBaseline.start(settings.redisServer())) {
            redisVersion = redis.version();
            List<String> spread = Bench.setUp(engine, settings.accounts(), "bench-", progress);
            redis.fund(spread, Long.MAX_VALUE / 2);
            HttpBench http = new HttpBench(URI.create(app.url()), key, spread, progress);
            Map<String, IntFunction<ClosedLoop.Client>> systems = new LinkedHashMap<>();
            systems.put("credits", i -> Bench.credits(engine));
            systems.put("credits-http", i -> http.client());
            systems.put("naive", i -> Bench.naive(db.dataSource()));
            systems.put("redis", i -> redis.client());
            Map<String, Long> params = Map.of("accounts", (long) spread.size());

            // The JIT compiles what runs often: without this, the first level would measure the interpreter.
            Duration jit = settings.warmup().multipliedBy(3).compareTo(Duration.ofSeconds(3)) < 0
                    ? Duration.ofSeconds(3) : settings.warmup().multipliedBy(3);
            progress.accept("warming up every system for " + jit.toSeconds() + " s...");
            for (var s : systems.entrySet()) ClosedLoop.run(s.getValue(), spread, 16, jit);

            for (String workload : List.of("spread", "hot")) {
                List<String> accounts = workload.equals("spread") ? spread : List.of(spread.getFirst());
                for (int c : settings.concurrency())
                    for (var s : systems.entrySet()) {
                        ClosedLoop.run(s.getValue(), accounts, c, settings.warmup());
                        long commits = Bench.commits(db.dataSource());
                        Results.Measurement m = Bench.measure(s.getKey(), workload, c, params, s.getValue(), accounts,
                                Duration.ZERO, settings.measure(), progress);
                        // Commits in the database while it ran: uses per commit is the batching (Redis: none of its own).
                        out.add(m.withParam("commits", Bench.commits(db.dataSource()) - commits));
                    }
            }
        }
        return out;
    }

    /** The goals of issue 5: Credits at least 0.7 times Redis and at least 5 times the naive way. */
    public static final double GOAL_VS_REDIS = 0.7;
    public static final double GOAL_VS_NAIVE = 5.0;
}
