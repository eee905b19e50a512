package io.credits.events;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver on a random loopback port that answers as scripted (200 when the script is
 * empty), keeps every request, and handles each webhook-id once, as receivers are told to.
 */
final class Receiver implements AutoCloseable {
    /** How to answer one request: after {@code delayMillis}, with the status and body. */
    record Answer(int status, long delayMillis, byte[] body, Map<String, String> headers) {
        static Answer status(int status) {
            return new Answer(status, 0, new byte[0], Map.of());
        }
    }

    /** A request as received: headers by lower-case name, and the raw body. */
    record Received(Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final LinkedBlockingQueue<Answer> script = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    /** The webhook-ids handled: a second delivery of one is acknowledged and ignored. */
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<String> effects = new ConcurrentLinkedQueue<>();

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                Map<String, String> headers = new ConcurrentHashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
                Received r = new Received(headers, body);
                received.add(r);
                Answer answer = script.poll();
                if (answer == null) answer = Answer.status(200);
                if (answer.status() / 100 == 2 && handled.add(r.header("webhook-id"))) {
                    effects.add(r.header("webhook-id"));
                }
                if (answer.delayMillis() > 0) sleep(answer.delayMillis());
                answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
                if (answer.body().length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer.body());
                    } catch (IOException gone) {
                        // the dispatcher stopped reading: that is the point of some tests
                    }
                }
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void script(Answer... answers) {
        script.addAll(List.of(answers));
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    /** The webhook-ids acted on, once each, in the order first handled. */
    List<String> effects() {
        return new ArrayList<>(effects);
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
