package io.credits.examples.assistant;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything the demo is told, from the environment, checked when made: a bad value stops the
 * start with the variable's name.
 *
 * @param creditsUrl the Credits server ({@code CREDITS_URL}, default {@code http://127.0.0.1:8080})
 * @param creditsKey an admin API key of that server ({@code CREDITS_KEY}): the demo sets up its
 *                   account and opens billing pages, which need admin; a real host would keep a
 *                   {@code spend} key for the generations
 * @param host       where the demo listens ({@code DEMO_HOST}, default loopback)
 * @param port       its port ({@code DEMO_PORT}, default 8090; 0: any free port)
 * @param account    the owner's account, who is also the owner user ({@code DEMO_ACCOUNT})
 * @param project    the website project the two users work on ({@code DEMO_PROJECT})
 * @param editor     the editor user of that project ({@code DEMO_EDITOR})
 */
public record DemoConfig(URI creditsUrl, String creditsKey, String host, int port, String account, String project,
                         String editor) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public DemoConfig {
        Objects.requireNonNull(creditsUrl, "creditsUrl");
        if (!"http".equals(creditsUrl.getScheme()) && !"https".equals(creditsUrl.getScheme()))
            throw new IllegalArgumentException("CREDITS_URL must be an http(s) URL, e.g. http://127.0.0.1:8080: " + creditsUrl);
        if (creditsKey == null || creditsKey.isBlank())
            throw new IllegalArgumentException("CREDITS_KEY must be an admin API key of the Credits server (ck_...)");
        if (host == null || host.isBlank()) throw new IllegalArgumentException("DEMO_HOST must name an address, e.g. 127.0.0.1");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("DEMO_PORT must be 0 to 65535: " + port);
        for (var e : Map.of("DEMO_ACCOUNT", account, "DEMO_PROJECT", project, "DEMO_EDITOR", editor).entrySet())
            if (e.getValue() == null || !ID.matcher(e.getValue()).matches())
                throw new IllegalArgumentException(e.getKey() + " must be 1 to 64 of A-Z a-z 0-9 _ . -: " + e.getValue());
        if (editor.equals(account)) throw new IllegalArgumentException("DEMO_EDITOR must differ from DEMO_ACCOUNT (the owner)");
    }

    /** From environment variables, with the defaults above. */
    public static DemoConfig fromEnvironment(Map<String, String> env) {
        String port = env.getOrDefault("DEMO_PORT", "8090");
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("DEMO_PORT must be a number 0 to 65535: " + port);
        }
        return new DemoConfig(URI.create(env.getOrDefault("CREDITS_URL", "http://127.0.0.1:8080")),
                env.get("CREDITS_KEY"), env.getOrDefault("DEMO_HOST", "127.0.0.1"), p,
                env.getOrDefault("DEMO_ACCOUNT", "acme-studio"), env.getOrDefault("DEMO_PROJECT", "acme-website"),
                env.getOrDefault("DEMO_EDITOR", "bob"));
    }
}
