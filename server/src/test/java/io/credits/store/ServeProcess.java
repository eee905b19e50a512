package io.credits.store;

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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** `credits serve --port 0` in a child JVM (this test classpath), for tests that kill or confine it. */
final class ServeProcess implements AutoCloseable {

    final Process process;
    final String url;

    private ServeProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    static ServeProcess start(Path data, Map<String, String> env) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.credits.cli.Main", "serve", "--port", "0", "--data", data.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
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
            }).get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
        if (line == null || !line.startsWith("listening on http://")) {
            p.destroyForcibly();
            throw new IllegalStateException("serve printed " + line);
        }
        return new ServeProcess(p, line.substring("listening on ".length()));
    }

    int health() throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
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
