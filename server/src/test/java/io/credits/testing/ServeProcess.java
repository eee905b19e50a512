package io.credits.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code credits serve} in a child JVM (this test classpath), for tests that kill it, stop its
 * database or run two of them: {@code serve --port P} and the given arguments. Its standard error
 * goes to a file when one is given (the fault tests read it on failure), else to this process's.
 */
public final class ServeProcess implements AutoCloseable {
    /** How long a start may take on a busy machine before the test fails. */
    static final Duration START_WAIT = Duration.ofSeconds(120);
    /**
     * A short-lived server: C1 only and the serial collector start the JVM faster; the tests
     * measure survival, not throughput.
     */
    static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m");

    private final Process process;
    private final String url;

    private ServeProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** {@code serve --port 0 --data DIR}, standard error inherited. */
    public static ServeProcess start(Path data, Map<String, String> env) throws Exception {
        return start(0, null, env, "--data", data.toString());
    }

    /**
     * {@code serve --port PORT ARGS...} (0: a free port); returns once it printed its listening
     * line. {@code stderr} null: inherited.
     */
    public static ServeProcess start(int port, Path stderr, Map<String, String> env, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.credits.cli.Main", "serve",
                "--port", Integer.toString(port)));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr == null
                ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        try {
            // The first start of an empty database prints its admin key before the listening line.
            line = CompletableFuture.supplyAsync(() -> {
                String l = readLine(out);
                while (l != null && l.startsWith("admin key")) l = readLine(out);
                return l;
            }).get(START_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
        if (line == null || !line.startsWith("listening on http://")) {
            p.destroyForcibly();
            throw new IllegalStateException("serve printed " + line + (stderr == null ? "" : "; see " + stderr));
        }
        return new ServeProcess(p, line.substring("listening on ".length()));
    }

    public Process process() {
        return process;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return url;
    }

    public int port() {
        return URI.create(url).getPort();
    }

    public int health() throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** SIGKILL: no shutdown hook, no graceful stop; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("serve did not die of SIGKILL");
    }

    /** SIGTERM: the graceful stop; returns the exit code once the process is gone. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("serve did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
