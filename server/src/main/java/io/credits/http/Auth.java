package io.credits.http;

import io.credits.store.ApiKeys;
import io.credits.store.ApiKeys.Key;
import io.credits.store.ApiKeys.Scope;
import io.javalin.http.Context;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code Authorization: Bearer <api key>}: who is calling and whether the key's scope allows the
 * route. A key found is remembered for {@link #CACHE_TTL}, so a key revoked by another process
 * (the {@code keys revoke} command on a shared database) is refused within that time; an unknown
 * key is looked up every time.
 */
final class Auth {
    static final Duration CACHE_TTL = Duration.ofSeconds(1);
    /** The cache is emptied when it holds this many keys. */
    static final int CACHE_MAX = 10_000;

    private record Cached(Key key, long until) {}

    private final DataSource dataSource;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    Auth(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The caller's key, if its scope is one of {@code allowed}; else 401 or 403. */
    Key require(Context ctx, Set<Scope> allowed) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw unauthenticated("send an API key: Authorization: Bearer <api key>");
        }
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase("Bearer")) {
            throw unauthenticated("the Authorization header must be 'Bearer <api key>'");
        }
        String secret = header.substring(space + 1).strip();
        Key key = find(secret).orElseThrow(() -> unauthenticated("the API key is unknown or revoked"));
        if (!allowed.contains(key.scope())) {
            throw new ApiException(Problem.of(403, "Forbidden", "forbidden", "the key '" + key.name() + "' has scope "
                    + key.scope().code() + "; this request needs " + describe(allowed)));
        }
        return key;
    }

    private Optional<Key> find(String secret) {
        if (ApiKeys.invalidSecret(secret).isPresent()) return Optional.empty();
        String hash = ApiKeys.hash(secret);
        long now = System.nanoTime();
        Cached c = cache.get(hash);
        if (c != null && now - c.until() < 0) return Optional.of(c.key());
        Optional<Key> found = ApiKeys.find(dataSource, secret);
        if (found.isPresent()) {
            if (cache.size() >= CACHE_MAX) cache.clear();
            cache.put(hash, new Cached(found.get(), now + CACHE_TTL.toNanos()));
        } else {
            cache.remove(hash);
        }
        return found;
    }

    /** Forgets every remembered key (after a revocation in this process). */
    void forget() {
        cache.clear();
    }

    private static String describe(Set<Scope> allowed) {
        return allowed.stream().sorted().map(Scope::code).reduce((a, b) -> a + " or " + b).orElse("none");
    }

    private static ApiException unauthenticated(String detail) {
        return new ApiException(Problem.of(401, "Unauthorized", "unauthenticated", detail));
    }
}
