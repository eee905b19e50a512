package io.credits.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credits.account.Answer;
import io.credits.account.Command;
import io.credits.account.Outcome;
import io.credits.account.RefusalCode;
import io.credits.store.ApiKeys.Key;
import io.credits.store.ApiKeys.Scope;
import io.credits.store.Engine;
import io.credits.store.StoreException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Registers routes on Javalin, each wrapped the same way: the key and its scope are checked, the
 * handler runs, a refusal or a bad input becomes a problem, and the request is timed by route.
 */
final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    /** Who may call a route: no key at all, or a key with one of these scopes. */
    static final Set<Scope> PUBLIC = Set.of();
    static final Set<Scope> ADMIN = EnumSet.of(Scope.ADMIN);
    static final Set<Scope> SPEND = EnumSet.of(Scope.ADMIN, Scope.SPEND);
    static final Set<Scope> READ = EnumSet.of(Scope.ADMIN, Scope.READ);
    /** Balances and the other figures a host needs before it spends. */
    static final Set<Scope> READ_OR_SPEND = EnumSet.allOf(Scope.class);

    /**
     * The database cannot be reached. The request did not take effect, unless its commit was cut
     * off on the way back; a retry with the same Idempotency-Key settles which, charging once.
     */
    static final Problem UNAVAILABLE = Problem.of(503, "Service Unavailable", "unavailable",
            "the database cannot be reached; retry with the same Idempotency-Key (a change already made is"
                    + " answered again, not made twice)");

    interface Handler {
        void handle(Call call) throws Exception;
    }

    private final JavalinConfig config;
    private final ObjectMapper json;
    private final Metrics metrics;
    private final Auth auth;
    private final Engine engine;

    Router(JavalinConfig config, ObjectMapper json, Metrics metrics, Auth auth, Engine engine) {
        this.config = config;
        this.json = json;
        this.metrics = metrics;
        this.auth = auth;
        this.engine = engine;
    }

    void get(String path, Set<Scope> access, Handler h) {
        add(HandlerType.GET, path, access, h);
    }

    void post(String path, Set<Scope> access, Handler h) {
        add(HandlerType.POST, path, access, h);
    }

    void put(String path, Set<Scope> access, Handler h) {
        add(HandlerType.PUT, path, access, h);
    }

    void patch(String path, Set<Scope> access, Handler h) {
        add(HandlerType.PATCH, path, access, h);
    }

    void delete(String path, Set<Scope> access, Handler h) {
        add(HandlerType.DELETE, path, access, h);
    }

    private void add(HandlerType method, String path, Set<Scope> access, Handler h) {
        config.routes.addHttpHandler(method, path, ctx -> {
            long start = System.nanoTime();
            try {
                Key caller = access.isEmpty() ? null : auth.require(ctx, access);
                h.handle(new Call(ctx, caller, !method.equals(HandlerType.GET)));
            } catch (ApiException e) {
                problem(ctx, e.problem);
            } catch (Exception e) {
                if (StoreException.isUnavailable(e)) {
                    // Not a bug and not this request's fault: no stack trace per request while it lasts.
                    ctx.header("Retry-After", "1");
                    problem(ctx, UNAVAILABLE);
                    return;
                }
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                problem(ctx, Problem.of(500, "Internal Server Error", "internal_error",
                        "the server failed; the error is logged"));
            } finally {
                metrics.request(method.name(), path, ctx.statusCode(), System.nanoTime() - start);
            }
        });
    }

    void problem(Context ctx, Problem problem) {
        metrics.refusal(problem.code());
        if (problem.status() == 401) ctx.header("WWW-Authenticate", "Bearer");
        try {
            ctx.status(problem.status()).contentType(Problem.CONTENT_TYPE).result(json.writeValueAsBytes(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One request being served: its checked inputs, its caller, and how to answer. */
    final class Call {
        final Context ctx;
        final Input in;
        final Key caller;
        private final String idempotencyKey;

        private Call(Context ctx, Key caller, boolean mutating) {
            this.ctx = ctx;
            this.in = new Input(ctx);
            this.caller = caller;
            this.idempotencyKey = mutating ? in.idempotencyKey() : null;
        }

        Engine engine() {
            return engine;
        }

        Metrics metrics() {
            return metrics;
        }

        /**
         * Runs a command and returns its answer; a refusal becomes its problem. An engine's
         * {@code invalid_request} names {@code field} as the bad input.
         */
        Answer run(Engine.Target target, Command command, String field) {
            in.check();
            Outcome o = engine.execute(new Engine.Request(target, command, idempotencyKey));
            return switch (o) {
                case Outcome.Done d -> d.answer();
                case Outcome.Refused r -> throw new ApiException(r.code() == RefusalCode.INVALID_REQUEST
                        ? new Problem(Problem.TYPE_BASE + r.code().code(), "Bad Request", 400, r.detail(),
                        r.code().code(), List.of(new Problem.FieldError(field, r.detail())))
                        : Refusals.problem(r));
            };
        }

        void json(int status, Object body) {
            try {
                ctx.status(status).contentType("application/json").result(json.writeValueAsBytes(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        void noContent() {
            ctx.status(204);
        }
    }
}
