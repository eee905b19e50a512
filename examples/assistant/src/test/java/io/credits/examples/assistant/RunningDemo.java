package io.credits.examples.assistant;

import io.credits.sdk.CreditsClient;

import java.net.URI;
import java.time.Clock;
import java.util.List;

/**
 * Credits and the demo, both in-process, for a test class: a real Credits server on a fresh
 * embedded PostgreSQL database, the demo's setup made in it for this class's own account, project
 * and editor, and the demo's web server on a free port with the offline template generator.
 */
final class RunningDemo implements AutoCloseable {
    final CreditsServer server;
    final CreditsClient credits;
    final DemoConfig config;
    /** What {@link Setup#ensure} made on the first run (a line each). */
    final List<String> setUp;
    final AssistantWeb web;

    private RunningDemo(CreditsServer server, CreditsClient credits, DemoConfig config, List<String> setUp, AssistantWeb web) {
        this.server = server;
        this.credits = credits;
        this.config = config;
        this.setUp = setUp;
        this.web = web;
    }

    static RunningDemo start(String account, String project, String editor) {
        CreditsServer server = CreditsServer.start();
        try {
            CreditsClient credits = server.client();
            DemoConfig config = server.config(account, project, editor);
            List<String> setUp = Setup.ensure(credits, config);
            AssistantWeb web = AssistantWeb.start(new Assistant(credits, new TemplateGenerator(), config, Clock.systemUTC()),
                    "127.0.0.1", 0);
            return new RunningDemo(server, credits, config, setUp, web);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    /** The demo's address of {@code path} (which starts with a slash). */
    URI url(String path) {
        return URI.create("http://127.0.0.1:" + web.port() + path);
    }

    @Override
    public void close() {
        try {
            web.close();
        } finally {
            server.close();
        }
    }
}
