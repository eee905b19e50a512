package io.credits.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for requests java.net.http refuses to send: malformed escapes,
 * raw bytes in the target, odd methods. One request per connection; bounded in time and size.
 */
final class RawHttp {
    static final int TIMEOUT_MILLIS = 10_000;
    static final int RESPONSE_BYTES_MAX = 1 << 20;

    record Response(int status, String head, String body) {
        String contentType() {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("content-type")) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private RawHttp() {}

    /** Sends {@code head} (request line and headers, without the blank line) and {@code body}. */
    static Response send(String baseUrl, byte[] head, byte[] body) throws IOException {
        URI base = URI.create(baseUrl);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            try {
                out.write(head);
                String framing = "\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\nConnection: close\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n";
                out.write(framing.getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException closedEarly) {
                // The server may answer and close before it read all of a body it refuses (over 64 KiB):
                // its answer is still there to read.
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) != -1 && all.size() < RESPONSE_BYTES_MAX; ) all.write(buf, 0, n);
            } catch (IOException reset) {
                // The server may close early after answering a request it will not read: keep what came.
                if (all.size() == 0) throw reset;
            }
            String text = all.toString(StandardCharsets.UTF_8);
            // Skip interim answers (100 Continue): the final one follows.
            while (text.startsWith("HTTP/1.1 1") && text.indexOf("\r\n\r\n") > 0) {
                text = text.substring(text.indexOf("\r\n\r\n") + 4);
            }
            int end = text.indexOf("\r\n\r\n");
            String headPart = end < 0 ? text : text.substring(0, end);
            String bodyPart = end < 0 ? "" : text.substring(end + 4);
            String[] statusLine = headPart.split("\r\n", 2)[0].split(" ");
            if (statusLine.length < 2) throw new IOException("no status line in: " + headPart);
            return new Response(Integer.parseInt(statusLine[1]), headPart, bodyPart);
        }
    }

    static Response send(String baseUrl, String method, String target, String key, String body) throws IOException {
        String head = method + " " + target + " HTTP/1.1" + (key == null ? "" : "\r\nAuthorization: Bearer " + key);
        return send(baseUrl, head.getBytes(StandardCharsets.UTF_8),
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }
}
