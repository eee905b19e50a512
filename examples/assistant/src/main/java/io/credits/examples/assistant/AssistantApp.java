package io.credits.examples.assistant;

import io.credits.sdk.CreditsClient;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Starts the demo: reads {@link DemoConfig} from the environment, waits for Credits, makes the
 * account, plans, project and editor it needs (first run only), and serves the assistant.
 * {@code bin/demo} runs it beside a Credits server.
 */
public final class AssistantApp {
    /** How long to wait for a Credits server that is still starting. */
    static final Duration WAIT_FOR_CREDITS = Duration.ofSeconds(120);

    private AssistantApp() {}

    public static void main(String[] args) throws Exception {
        DemoConfig config;
        try {
            config = DemoConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("assistant: " + e.getMessage());
            System.exit(2);
            return;
        }
        Setup.awaitHealthy(config.creditsUrl(), WAIT_FOR_CREDITS);
        CreditsClient credits = CreditsClient.builder(config.creditsUrl(), config.creditsKey()).build();
        List<String> made = Setup.ensure(credits, config);
        if (!made.isEmpty()) System.out.println("set up in Credits: " + String.join(", ", made));
        Assistant assistant = new Assistant(credits, new TemplateGenerator(), config, Clock.systemUTC());
        AssistantWeb web = AssistantWeb.start(assistant, config.host(), config.port());
        Runtime.getRuntime().addShutdownHook(new Thread(web::close, "assistant-stop"));
        String base = "http://" + config.host() + ":" + web.port();
        System.out.println("AI Assistant demo on " + base + "/ (owner " + config.account() + "), " + base
                + "/?as=editor (editor " + config.editor() + ")");
    }
}
