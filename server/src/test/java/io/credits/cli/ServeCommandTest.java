package io.credits.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Proves `credits serve` starts in-process on a free port, prints its line, answers /health, and stops. */
class ServeCommandTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void serve_portZero_printsListeningLineAnswersHealthAndStops(@TempDir Path dir) throws Exception {
        LineCapture out = new LineCapture();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        AtomicInteger exit = new AtomicInteger(-1);
        Path data = dir.resolve("data");
        Thread serve = new Thread(() -> exit.set(cl.execute("serve", "--port", "0", "--data", data.toString())));
        serve.start();
        try {
            String line = out.lines.poll(120, TimeUnit.SECONDS);
            if (System.getenv("CREDITS_ADMIN_KEY") == null) {
                assertThat(line).as("an empty database's first admin key, shown once before the listening line")
                        .matches("admin key \\(shown once\\): ck_[A-Za-z0-9_-]{43}");
                line = out.lines.poll(120, TimeUnit.SECONDS);
            }
            assertThat(line).as("stdout; stderr was: %s", err).matches("listening on http://127\\.0\\.0\\.1:\\d+");
            String url = line.substring("listening on ".length());

            HttpResponse<String> health = get(url + "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/json"));
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");

            HttpResponse<String> missing = get(url + "/no-such-thing");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(missing.body()).contains("\"code\":\"not_found\"");
            assertThat(out.lines).as("nothing more on stdout").isEmpty();
        } finally {
            serve.interrupt();
            serve.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertThat(serve.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
        assertThat(data.resolve("postmaster.pid")).as("embedded PostgreSQL stopped").doesNotExist();
    }

    @Test
    void unknownOption_isAUsageError() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute("serve", "--no-such-option");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--no-such-option'")
                .contains("Run 'credits serve --help' for usage.");
    }

    @Test
    void unknownCommand_isAUsageError() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute("frobnicate");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("'frobnicate'").contains("Run 'credits --help' for usage.");
    }

    @Test
    void noCommand_isAUsageError() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute();
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Missing command");
    }

    @Test
    void portOutOfRange_isAUsageErrorNamingTheOption() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute("serve", "--port", "70000");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--port must be 0 to 65535, was 70000");
    }

    @Test
    void help_printsUsageAndSucceeds() {
        StringWriter out = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).execute("--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: credits").contains("serve");
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Collects what is written, a line at a time. */
    static final class LineCapture extends Writer {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder current = new StringBuilder();

        @Override
        public synchronized void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                char c = buf[i];
                if (c == '\n') {
                    lines.add(current.toString());
                    current.setLength(0);
                } else if (c != '\r') {
                    current.append(c);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
