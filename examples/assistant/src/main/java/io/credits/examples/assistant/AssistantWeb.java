package io.credits.examples.assistant;

import io.credits.examples.assistant.Assistant.Role;
import io.credits.sdk.CreditsException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Optional;

/**
 * The demo's web server (Javalin, as the Credits server uses):
 * <pre>
 * GET  /[?as=owner|editor]        the assistant, as the owner (default) or the editor
 * POST /generate                  form: as, feature, prompt, fail → the page with the outcome
 * GET  /billing?as=owner          asks Credits for a portal session and redirects to the billing page
 * </pre>
 * There is no sign-in: {@code as} picks the user, as a demo may. A real host knows its user from
 * its own session.
 */
public final class AssistantWeb implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AssistantWeb.class);

    private final Javalin javalin;

    private AssistantWeb(Javalin javalin) {
        this.javalin = javalin;
    }

    /** Listens on {@code host:port} (0: any free port). */
    public static AssistantWeb start(Assistant assistant, String host, int port) {
        Javalin javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.routes.get("/", ctx -> page(ctx, assistant, Role.of(ctx.queryParam("as")), null, null));
            config.routes.post("/generate", ctx -> generate(ctx, assistant));
            config.routes.get("/billing", ctx -> billing(ctx, assistant));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(e instanceof CreditsException ce && ce.status() == 0 ? 502 : 500).html(AssistantHtml.message(
                        "Something went wrong", e instanceof CreditsException ce ? "Credits answered: " + ce.getMessage()
                                : "The assistant failed; the error is logged."));
            });
        });
        javalin.start(host, port);
        return new AssistantWeb(javalin);
    }

    private static void page(Context ctx, Assistant a, Role role, Assistant.Outcome outcome, String prompt) {
        ctx.header("Cache-Control", "no-store").html(AssistantHtml.page(a, role, a.access(role), outcome, prompt));
    }

    private static void generate(Context ctx, Assistant a) {
        Role role = Role.of(ctx.formParam("as"));
        Optional<Generator.Kind> kind = Generator.Kind.ofFeature(String.valueOf(ctx.formParam("feature")));
        if (kind.isEmpty()) {
            ctx.status(400).html(AssistantHtml.message("Unknown button", "feature must be one of generate_page, "
                    + "generate_section, generate_code, ai_writer: " + ctx.formParam("feature")));
            return;
        }
        String prompt = ctx.formParam("prompt");
        Assistant.Outcome outcome = a.generate(role, kind.get(), prompt, "yes".equals(ctx.formParam("fail")));
        page(ctx, a, role, outcome, prompt);
    }

    private static void billing(Context ctx, Assistant a) {
        Optional<URI> link = a.billingLink(Role.of(ctx.queryParam("as")));
        if (link.isEmpty()) {
            ctx.status(403).html(AssistantHtml.message("Only the owner sees billing",
                    "The project's credits belong to its owner; billing is theirs to open."));
            return;
        }
        ctx.header("Cache-Control", "no-store").redirect(link.get().toString(), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    public int port() {
        return javalin.port();
    }

    @Override
    public void close() {
        javalin.stop();
    }
}
