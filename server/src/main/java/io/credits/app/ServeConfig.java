package io.credits.app;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code credits serve} is told, checked when made: a bad value stops the start.
 *
 * @param host        the address to listen on (loopback by default)
 * @param port        the TCP port, 0 to 65535; 0 takes any free port
 * @param dataDir     the embedded database's directory; unused with {@code databaseUrl}
 * @param databaseUrl an external PostgreSQL's JDBC URL, instead of the embedded one
 * @param catalog     a catalog file replacing the built-in one
 */
public record ServeConfig(String host, int port, Path dataDir, Optional<String> databaseUrl, Optional<Path> catalog) {

    public static final int PORT_MAX = 65535;

    public ServeConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(databaseUrl, "databaseUrl");
        Objects.requireNonNull(catalog, "catalog");
        if (host.isBlank()) {
            throw new IllegalArgumentException("--host must name an address, e.g. 127.0.0.1");
        }
        if (port < 0 || port > PORT_MAX) {
            throw new IllegalArgumentException("--port must be 0 to " + PORT_MAX + ", was " + port);
        }
        databaseUrl.ifPresent(url -> {
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("--database-url must start with jdbc:postgresql:, e.g."
                        + " jdbc:postgresql://localhost:5432/credits?user=credits&password=secret");
            }
        });
    }
}
