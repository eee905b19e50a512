package io.credits.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credits.store.Database;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP API on Javalin (Jetty). All routes are declared in {@link #routes}, in one place.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    /** {@code GET /health} answers 503 when {@code SELECT 1} takes longer than this. */
    public static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(1);

    private final Javalin javalin;
    private final String host;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HttpServer(Javalin javalin, String host) {
        this.javalin = javalin;
        this.host = host;
    }

    /**
     * What the routes need, wired by hand in {@code App}.
     *
     * @param database the pool, for the health check
     * @param json     the one Jackson mapper for bodies
     */
    public record Dependencies(Database database, ObjectMapper json) {
        public Dependencies {
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(json, "json");
        }
    }

    /** Binds {@code host:port} (port 0: any free port) and serves until closed. */
    public static HttpServer start(String host, int port, Dependencies deps) {
        Javalin javalin = Javalin.create(config -> configure(config, deps));
        try {
            javalin.start(host, port);
        } catch (RuntimeException e) {
            javalin.stop();
            throw new IllegalStateException("could not listen on " + host + ":" + port + ": " + rootMessage(e), e);
        }
        return new HttpServer(javalin, host);
    }

    private static void configure(JavalinConfig config, Dependencies deps) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jsonMapper(new JavalinJackson(deps.json(), false));
        routes(config, deps);
    }

    private static void routes(JavalinConfig config, Dependencies deps) {
        config.routes.get("/health", ctx -> health(ctx, deps));

        // Unmatched paths; a route that answered 404 with its own problem keeps it.
        config.routes.error(404, ctx -> {
            String type = ctx.res().getContentType();
            if (type == null || !type.startsWith(Problem.CONTENT_TYPE)) {
                problem(ctx, deps.json(), Problem.of(404, "Not Found", "not_found",
                        "no resource at " + ctx.method() + " " + ctx.path()));
            }
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            problem(ctx, deps.json(), Problem.of(500, "Internal Server Error", "internal_error",
                    "the server failed; the error is logged"));
        });
    }

    /** Readiness: 200 while the database answers, 503 (within about a second) when it does not. */
    private static void health(Context ctx, Dependencies deps) {
        if (deps.database().ping(HEALTH_TIMEOUT)) {
            ctx.json(Map.of("status", "ok"));
        } else {
            problem(ctx, deps.json(), Problem.of(503, "Service Unavailable", "unavailable",
                    "the database did not answer SELECT 1 within " + HEALTH_TIMEOUT.toMillis() + " ms"));
        }
    }

    static void problem(Context ctx, ObjectMapper json, Problem problem) {
        try {
            ctx.status(problem.status()).contentType(Problem.CONTENT_TYPE).result(json.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The port bound, useful after starting on port 0. */
    public int port() {
        return javalin.port();
    }

    /** {@code http://HOST:PORT}, IPv6 hosts in brackets. */
    public String url() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port();
    }

    /** Stops accepting requests and stops Jetty. Idempotent. */
    @Override
    public void close() {
        if (!closed.getAndSet(true)) {
            javalin.stop();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
