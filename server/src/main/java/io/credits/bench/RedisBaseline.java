package io.credits.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Redis baseline: a balance per account, spent by a Lua script that checks and decrements
 * atomically, on a redis-server that the benchmark starts on loopback with
 * {@code appendfsync always}, so a reply comes only after its write is fsynced to the
 * append-only file (Redis does that once per event-loop round for all the writes of that round).
 * It keeps no ledger, no idempotency key, no history: it is the least a durable counter costs.
 */
final class RedisBaseline implements AutoCloseable {
    /** Check and decrement: -1 when the balance is short, else what is left. */
    static final String SCRIPT = """
            local b = tonumber(redis.call('GET', KEYS[1]) or '-1')
            local cost = tonumber(ARGV[1])
            if b < cost then return -1 end
            return redis.call('DECRBY', KEYS[1], cost)""";

    private final Process process;
    private final Path dir;
    private final int port;
    private final String sha;
    private final String version;

    private RedisBaseline(Process process, Path dir, int port, String sha, String version) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.sha = sha;
        this.version = version;
    }

    /** Starts redis-server in a new temporary directory on a free loopback port; waits until it answers. */
    static RedisBaseline start(Path redisServer) throws IOException, InterruptedException {
        if (!Files.isExecutable(redisServer))
            throw new IllegalStateException("no redis-server at " + redisServer + " (Debian: apt-get install redis-server)");
        Path dir = Files.createTempDirectory("credits-bench-redis");
        int port = freePort();
        Process p = new ProcessBuilder(redisServer.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString(), "--maxclients", "10000")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.out").toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (true) {
                try (Resp r = new Resp("127.0.0.1", port)) {
                    if ("PONG".equals(r.call("PING"))) {
                        String sha = (String) r.call("SCRIPT", "LOAD", SCRIPT);
                        return new RedisBaseline(p, dir, port, sha, version(r));
                    }
                } catch (IOException notYet) {
                    if (!p.isAlive() || System.nanoTime() > deadline)
                        throw new IllegalStateException("redis-server did not start; see " + dir.resolve("redis.log"), notYet);
                    Thread.sleep(50);
                }
            }
        } catch (RuntimeException | InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private static String version(Resp r) throws IOException {
        for (String line : ((String) r.call("INFO", "server")).split("\r\n"))
            if (line.startsWith("redis_version:")) return line.substring("redis_version:".length());
        return "unknown";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String version() {
        return version;
    }

    /** Gives every account a balance no run will exhaust; MSET in chunks. */
    void fund(List<String> accounts, long credits) throws IOException {
        try (Resp r = new Resp("127.0.0.1", port)) {
            for (int from = 0; from < accounts.size(); from += 1000) {
                List<String> args = new ArrayList<>(List.of("MSET"));
                for (String a : accounts.subList(from, Math.min(accounts.size(), from + 1000))) {
                    args.add(key(a));
                    args.add(Long.toString(credits));
                }
                r.call(args.toArray(String[]::new));
            }
        }
    }

    private static String key(String account) {
        return "balance:" + account;
    }

    /** A client on its own connection: one EVALSHA per use, answered after the fsync. */
    ClosedLoop.Client client() {
        Resp r;
        try {
            r = new Resp("127.0.0.1", port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to redis on port " + port, e);
        }
        return new ClosedLoop.Client() {
            @Override
            public String use(String account, String key) throws IOException {
                Object left = r.call("EVALSHA", sha, "1", key(account), "10");
                return left instanceof Long n && n >= 0 ? null : "insufficient credits";
            }

            @Override
            public void close() throws IOException {
                r.close();
            }
        };
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        try (Resp r = new Resp("127.0.0.1", port)) {
            r.call("SHUTDOWN", "NOSAVE");
        } catch (IOException closedByShutdown) {
            // SHUTDOWN answers by closing the connection.
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
