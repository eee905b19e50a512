package io.credits.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client keeps one idempotency key across its retries and turns problem+json into typed exceptions. */
class CreditsClientTest {
    HttpServer server;
    final List<String> keys = new CopyOnWriteArrayList<>();
    final List<String> auth = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    CreditsClient client(Handler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            keys.add(String.valueOf(ex.getRequestHeaders().getFirst("Idempotency-Key")));
            auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            handler.handle(ex);
        });
        server.start();
        return CreditsClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "ck_test")
                .backoff(Duration.ofMillis(1)).attempts(4).build();
    }

    interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    static void reply(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", contentType);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Test
    void use_retriedAfterUnavailable_keepsTheSameIdempotencyKey() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        CreditsClient c = client(ex -> {
            if (calls.incrementAndGet() < 3) reply(ex, 503, "application/problem+json", "{\"code\":\"unavailable\"}");
            else reply(ex, 201, "application/json",
                    "{\"id\":\"use_1\",\"credits\":10,\"account\":\"acme\",\"available\":990,\"extra\":true}");
        });
        Models.Use use = c.use(CreditsClient.Spender.account("acme"), "generate_page");
        assertThat(use.id()).isEqualTo("use_1");
        assertThat(use.available()).isEqualTo(990);
        assertThat(keys).hasSize(3).doesNotContain("null");
        assertThat(keys.stream().distinct()).hasSize(1);
        assertThat(auth).allMatch(a -> a.equals("Bearer ck_test"));
    }

    @Test
    void use_droppedConnection_isRetriedWithTheSameKey() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        CreditsClient c = client(ex -> {
            if (calls.incrementAndGet() == 1) {
                ex.close(); // no answer at all
                return;
            }
            reply(ex, 201, "application/json", "{\"id\":\"use_2\",\"credits\":10,\"account\":\"acme\",\"available\":980}");
        });
        assertThat(c.use(CreditsClient.Spender.account("acme"), "generate_page", "my-key").id()).isEqualTo("use_2");
        assertThat(keys).containsOnly("my-key");
    }

    @Test
    void refusal_becomesATypedExceptionWithCodeAndDetail() throws IOException {
        CreditsClient c = client(ex -> reply(ex, 402, "application/problem+json", """
                {"type":"https://credits.dev/problems/insufficient_credits","title":"Insufficient credits","status":402,
                 "detail":"the owner of this project has no AI credits left","code":"insufficient_credits"}"""));
        assertThatThrownBy(() -> c.use(CreditsClient.Spender.inProject("site", "ed"), "generate_page"))
                .isInstanceOfSatisfying(CreditsException.InsufficientCredits.class, e -> {
                    assertThat(e.status()).isEqualTo(402);
                    assertThat(e.code()).isEqualTo("insufficient_credits");
                    assertThat(e.detail()).isEqualTo("the owner of this project has no AI credits left");
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(keys).hasSize(1);
    }

    @Test
    void invalidRequest_namesEveryBadField() throws IOException {
        CreditsClient c = client(ex -> reply(ex, 400, "application/problem+json", """
                {"title":"Invalid request","status":400,"code":"invalid_request","detail":"2 bad fields",
                 "errors":[{"field":"credits","reason":"must be at least 1"},{"field":"reason","reason":"is required"}]}"""));
        assertThatThrownBy(() -> c.grant("acme", 0, null, ""))
                .isInstanceOfSatisfying(CreditsException.InvalidRequest.class, e -> assertThat(e.errors())
                        .extracting(CreditsException.FieldError::field).containsExactly("credits", "reason"));
    }

    @Test
    void get_carriesNoIdempotencyKey_andIsNotRetriedOnARefusal() throws IOException {
        CreditsClient c = client(ex -> reply(ex, 404, "application/problem+json", "{\"code\":\"not_found\",\"status\":404}"));
        assertThatThrownBy(() -> c.balance("nobody")).isInstanceOf(CreditsException.NotFound.class);
        assertThat(keys).containsExactly("null");
    }
}
