package io.credits.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal Redis client: one blocking connection speaking RESP2, one command at a time.
 *
 * <p>Why not Jedis: the benchmark needs four commands (PING, SCRIPT LOAD, EVALSHA, MSET) on one
 * connection per client, which is this page of code; Jedis would add itself, commons-pool2, Gson
 * and org.json to the server's runtime classpath for a benchmark, and its pool would sit between
 * the clients and their sockets. A connection per client, no pipelining, mirrors the JDBC side.
 */
final class Resp implements AutoCloseable {
    /** An error reply from the server ({@code -ERR ...}). */
    static final class ErrorReply extends IOException {
        ErrorReply(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    Resp(String host, int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        in = new BufferedInputStream(socket.getInputStream(), 8192);
    }

    /** Sends one command and reads its reply: a String, Long, byte[]-free List, or null (nil). */
    Object call(String... args) throws IOException {
        out.write(encode(args));
        out.flush();
        return read(in);
    }

    /** A command as a RESP array of bulk strings. */
    static byte[] encode(String... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        header(b, '*', args.length);
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            header(b, '$', bytes.length);
            b.writeBytes(bytes);
            b.writeBytes(CRLF);
        }
        return b.toByteArray();
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private static void header(ByteArrayOutputStream b, char type, int n) {
        b.write(type);
        b.writeBytes(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(CRLF);
    }

    /** One reply: simple strings and bulk strings as String, integers as Long, arrays as List, nil as null. */
    static Object read(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) throw new EOFException("Redis closed the connection");
        String line = line(in);
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new ErrorReply(line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int n = Integer.parseInt(line);
                if (n < 0) yield null;
                byte[] bytes = in.readNBytes(n);
                if (bytes.length < n || in.read() != '\r' || in.read() != '\n') throw new EOFException("short bulk reply");
                yield new String(bytes, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                if (n < 0) yield null;
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) items.add(read(in));
                yield items;
            }
            default -> throw new IOException("not a RESP reply: type byte " + type);
        };
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int ch = in.read();
            if (ch < 0) throw new EOFException("Redis closed the connection");
            if (ch == '\r') {
                if (in.read() != '\n') throw new IOException("RESP line without LF");
                return sb.toString();
            }
            sb.append((char) ch);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
