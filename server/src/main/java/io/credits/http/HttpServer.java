package io.credits.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.credits.events.Deliveries;
import io.credits.events.EventLog;
import io.credits.events.WebhookEndpoints;
import io.credits.store.Database;
import io.credits.store.Engine;
import io.credits.web.BillingPage;
import io.credits.web.OperatorPage;
import io.credits.web.PortalLinks;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.credits.http.Router.ADMIN;
import static io.credits.http.Router.PUBLIC;
import static io.credits.http.Router.READ;
import static io.credits.http.Router.READ_OR_SPEND;
import static io.credits.http.Router.SPEND;

/**
 * The HTTP API on Javalin (Jetty). All routes are declared in {@link #routes}, in one place; the
 * handlers live in small classes beside this one.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    /** {@code GET /health} answers 503 when {@code SELECT 1} takes longer than this. */
    public static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(1);
    /** On close, requests in flight get this long to finish before connections are cut. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** On stop, a connection with no request in flight is closed after this long. */
    static final Duration SHUTDOWN_IDLE_TIMEOUT = Duration.ofMillis(100);

    /** Every body written: camelCase as the records name them, instants as ISO-8601 UTC strings. */
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

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
     * @param database the pool, for the health check, the keys and the reports
     * @param engine   every change, and the accounts as of now
     * @param metrics  the figures of {@code /metrics}
     * @param billing  the billing page behind {@code /v1/portal-sessions} and {@code /billing/{account}}
     */
    public record Dependencies(Database database, Engine engine, Metrics metrics, BillingPage billing) {
        public Dependencies {
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(engine, "engine");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(billing, "billing");
        }

        /** With a billing page signing with the database's portal secret. */
        public Dependencies(Database database, Engine engine, Metrics metrics) {
            this(database, engine, metrics, new BillingPage(engine,
                    PortalLinks.fromDatabase(database.dataSource(), engine.clock().instant())));
        }
    }

    /** Binds {@code host:port} (port 0: any free port) and serves until closed. */
    public static HttpServer start(String host, int port, Dependencies deps) {
        Javalin javalin = Javalin.create(config -> {
            configure(config, deps);
            config.jetty.addConnector((server, httpConfig) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                connector.setHost(host);
                connector.setPort(port);
                // On stop, idle keep-alive connections close after this instead of Jetty's 1 s.
                connector.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT.toMillis());
                // A burst of new connections waits in the kernel's queue instead of being reset
                // (the JVM's default backlog is 50).
                connector.setAcceptQueueSize(ACCEPT_QUEUE_SIZE);
                return connector;
            });
        });
        try {
            javalin.start(host, port);
        } catch (RuntimeException e) {
            javalin.stop();
            throw new IllegalStateException("could not listen on " + host + ":" + port + ": " + rootMessage(e), e);
        }
        return new HttpServer(javalin, host);
    }

    /** Connections that may wait to be accepted. */
    static final int ACCEPT_QUEUE_SIZE = 1024;

    private static void configure(JavalinConfig config, Dependencies deps) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jsonMapper(new JavalinJackson(JSON, false));
        // Requests block while the engine commits: virtual threads make that cheap.
        config.concurrency.useVirtualThreads = true;
        config.jetty.modifyServer(server -> {
            // Graceful stop: refuse new requests, let those in flight finish, then close.
            server.insertHandler(new GracefulHandler());
            server.setStopTimeout(STOP_TIMEOUT.toMillis());
        });
        routes(config, deps);
    }

    /** Every route of the API, in one place (API.md's table; {@code /openapi.json} describes each). */
    private static void routes(JavalinConfig config, Dependencies deps) {
        Router r = new Router(config, JSON, deps.metrics(), new Auth(deps.database().dataSource()), deps.engine());

        r.get("/health", PUBLIC, call -> health(call, deps));
        r.get("/metrics", PUBLIC, call -> call.ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(deps.metrics().scrape()));
        r.get("/openapi.json", PUBLIC, call -> call.ctx.contentType("application/json").result(OpenApi.json()));

        r.put("/v1/accounts/{account}", ADMIN, AccountRoutes::put);
        r.get("/v1/accounts/{account}", READ, AccountRoutes::get);
        r.put("/v1/accounts/{account}/main-plan", ADMIN, AccountRoutes::putMainPlan);
        r.delete("/v1/accounts/{account}/main-plan", ADMIN, AccountRoutes::deleteMainPlan);
        r.post("/v1/accounts/{account}/ai-plan", ADMIN, AccountRoutes::bookAiPlan);
        r.patch("/v1/accounts/{account}/ai-plan", ADMIN, AccountRoutes::changeAiPlan);
        r.delete("/v1/accounts/{account}/ai-plan", ADMIN, AccountRoutes::cancelAiPlan);
        r.get("/v1/accounts/{account}/balance", READ_OR_SPEND, AccountRoutes::balance);
        r.post("/v1/accounts/{account}/grants", ADMIN, AccountRoutes::grant);
        r.get("/v1/accounts/{account}/ledger", READ, ReportRoutes::ledger);
        r.get("/v1/accounts/{account}/usage", READ, ReportRoutes::usage);
        r.get("/v1/accounts/{account}/charges", READ, ReportRoutes::charges);

        r.put("/v1/projects/{project}", ADMIN, ProjectRoutes::put);
        r.put("/v1/projects/{project}/members/{user}", ADMIN, ProjectRoutes::putMember);
        r.delete("/v1/projects/{project}/members/{user}", ADMIN, ProjectRoutes::deleteMember);
        r.get("/v1/projects/{project}/ai-access", READ_OR_SPEND, ProjectRoutes::aiAccess);

        r.post("/v1/uses", SPEND, SpendRoutes::use);
        r.post("/v1/uses/{id}/refund", SPEND, SpendRoutes::refund);
        r.post("/v1/holds", SPEND, SpendRoutes::hold);
        r.post("/v1/holds/{id}/capture", SPEND, SpendRoutes::capture);
        r.post("/v1/holds/{id}/release", SPEND, SpendRoutes::release);

        r.get("/v1/catalog", READ_OR_SPEND, ReportRoutes::catalog);

        EventRoutes events = new EventRoutes(new EventLog(deps.database().dataSource()),
                new WebhookEndpoints(deps.database().dataSource(), deps.engine().clock()),
                new Deliveries(deps.database().dataSource()));
        r.get("/v1/events", READ, events::events);
        r.post("/v1/webhook-endpoints", ADMIN, events::createEndpoint);
        r.get("/v1/webhook-endpoints/{id}/deliveries", ADMIN, events::deliveries);

        PortalRoutes portal = new PortalRoutes(deps.billing());
        r.post("/v1/portal-sessions", ADMIN, portal::createSession);
        // Not API routes: HTML for a browser, no API key (the signed link is the credential), not
        // in the OpenAPI document.
        portal.registerPages(config);
        // The operator page: HTML behind an admin key or its session cookie, not in the OpenAPI document.
        new OperatorRoutes(OperatorPage.fromDatabase(deps.engine())).register(config);

        // Unmatched paths; a route that answered 404 with its own problem (or the billing page with
        // its own HTML page) keeps it.
        config.routes.error(404, ctx -> {
            String type = ctx.res().getContentType();
            if (type == null || !(type.startsWith(Problem.CONTENT_TYPE) || (type.startsWith("text/html")
                    && ctx.path().startsWith(PortalLinks.PATH_PREFIX)))) {
                r.problem(ctx, Problem.of(404, "Not Found", "not_found", "no resource at " + ctx.method() + " "
                        + clip(ctx.path())));
            }
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            r.problem(ctx, Problem.of(500, "Internal Server Error", "internal_error",
                    "the server failed; the error is logged"));
        });
    }

    /** Readiness: 200 while the database answers, 503 (within about a second) when it does not. */
    private static void health(Router.Call call, Dependencies deps) {
        if (!deps.database().ping(HEALTH_TIMEOUT)) {
            throw new ApiException(Problem.of(503, "Service Unavailable", "unavailable",
                    "the database did not answer SELECT 1 within " + HEALTH_TIMEOUT.toMillis() + " ms"));
        }
        call.json(200, Map.of("status", "ok"));
    }

    /** The routes Javalin serves, as {@code METHOD path} (for the test that compares them with the document). */
    public List<String> routes() {
        return javalin.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(e -> e.endpoint.method.isHttpMethod())
                .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
                .toList();
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

    /**
     * Stops accepting requests, lets those in flight finish (at most {@link #STOP_TIMEOUT}), and
     * stops Jetty. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.getAndSet(true)) {
            javalin.stop();
        }
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
