package io.credits.store;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The API keys (table {@code api_keys}). A key is {@code ck_} and 32 random bytes in base64url; it
 * is shown once, when made, and only its SHA-256 is stored, so a stolen database gives no key.
 * Keys are global: a key acts for every account its requests name.
 */
public final class ApiKeys {
    /** The longest key accepted, from a header or {@code CREDITS_ADMIN_KEY}. */
    public static final int KEY_LENGTH_MAX = 255;
    public static final int NAME_LENGTH_MAX = 200;
    /** The most keys {@link #list} returns. */
    public static final int LIST_MAX = 10_000;
    public static final String PREFIX = "ck_";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a key may do (API.md, "Authentication"). */
    public enum Scope {
        /** everything */
        ADMIN,
        /** uses, holds, captures, releases, refunds, and reading balances */
        SPEND,
        /** reading only */
        READ;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Scope> parse(String s) {
            for (Scope v : values()) if (v.code().equals(s)) return Optional.of(v);
            return Optional.empty();
        }
    }

    /** A stored key, without the key itself. */
    public record Key(String id, String name, Scope scope, Instant createdAt, Instant revokedAt) {
        public Key {
            Objects.requireNonNull(id);
            Objects.requireNonNull(name);
            Objects.requireNonNull(scope);
            Objects.requireNonNull(createdAt);
        }

        public boolean revoked() {
            return revokedAt != null;
        }
    }

    /** A key just made: the only moment its secret is known. */
    public record Created(Key key, String secret) {}

    private ApiKeys() {}

    /** A new random key: {@code ck_} and 32 random bytes, base64url without padding. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Hex SHA-256 of a key, as stored. */
    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why a key or name cannot be used, or empty: visible ASCII only, 1 to 255 characters. */
    public static Optional<String> invalidSecret(String secret) {
        if (secret == null || secret.isEmpty()) return Optional.of("an API key must not be empty");
        if (secret.length() > KEY_LENGTH_MAX)
            return Optional.of("an API key has at most " + KEY_LENGTH_MAX + " characters, this one " + secret.length());
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (c <= ' ' || c > '~') return Optional.of("an API key is visible ASCII only, without spaces");
        }
        return Optional.empty();
    }

    public static Optional<String> invalidName(String name) {
        if (name == null || name.isBlank()) return Optional.of("a key's name must not be blank");
        if (name.length() > NAME_LENGTH_MAX)
            return Optional.of("a key's name has at most " + NAME_LENGTH_MAX + " characters, this one " + name.length());
        if (name.chars().anyMatch(Character::isISOControl)) return Optional.of("a key's name has no control characters");
        return Optional.empty();
    }

    /** Makes a random key with this scope and name. */
    public static Created create(DataSource ds, Scope scope, String name, Instant now) {
        String secret = newSecret();
        return new Created(insert(ds, scope, name, secret, now), secret);
    }

    /** Stores a key the operator chose (CREDITS_ADMIN_KEY). */
    public static Key insert(DataSource ds, Scope scope, String name, String secret, Instant now) {
        invalidSecret(secret).ifPresent(why -> { throw new IllegalArgumentException(why); });
        invalidName(name).ifPresent(why -> { throw new IllegalArgumentException(why); });
        byte[] idBytes = new byte[9];
        RANDOM.nextBytes(idBytes);
        String id = "key_" + Base64.getUrlEncoder().withoutPadding().encodeToString(idBytes);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO api_keys (key_id, name, scope, key_hash, created_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, name);
            ps.setString(3, scope.code());
            ps.setString(4, hash(secret));
            ps.setObject(5, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) throw new IllegalArgumentException("that key exists already", e);
            throw new StoreException("cannot store an API key", e);
        }
        return new Key(id, name, scope, now, null);
    }

    /**
     * On the first start of an empty database (no key at all, revoked ones included): stores
     * {@code chosen} as the first admin key when given, else makes a random one. Returns the secret
     * of a key it made (to be shown once), empty when it made none or stored the chosen one.
     * Serialised by a table lock, so two servers starting together make one key.
     */
    public static Optional<String> bootstrap(DataSource ds, Optional<String> chosen, Instant now) {
        chosen.flatMap(ApiKeys::invalidSecret).ifPresent(why -> {
            throw new IllegalArgumentException("CREDITS_ADMIN_KEY: " + why);
        });
        return Transactions.inTransaction(ds, "cannot make the first admin key", c -> {
            try (Statement st = c.createStatement()) {
                st.execute("LOCK TABLE api_keys IN SHARE ROW EXCLUSIVE MODE");
                try (ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM api_keys)")) {
                    rs.next();
                    if (rs.getBoolean(1)) return Optional.empty();
                }
            }
            String secret = chosen.orElseGet(ApiKeys::newSecret);
            byte[] idBytes = new byte[9];
            RANDOM.nextBytes(idBytes);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO api_keys (key_id, name, scope, key_hash, created_at) VALUES (?, ?, 'admin', ?, ?)")) {
                ps.setString(1, "key_" + Base64.getUrlEncoder().withoutPadding().encodeToString(idBytes));
                ps.setString(2, chosen.isPresent() ? "CREDITS_ADMIN_KEY" : "first admin key");
                ps.setString(3, hash(secret));
                ps.setObject(4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.executeUpdate();
            }
            return chosen.isPresent() ? Optional.<String>empty() : Optional.of(secret);
        });
    }

    /** The live (not revoked) key with this secret, if any. */
    public static Optional<Key> find(DataSource ds, String secret) {
        if (invalidSecret(secret).isPresent()) return Optional.empty();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL")) {
            ps.setString(1, hash(secret));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(key(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot look up an API key", e);
        }
    }

    /** The live (not revoked) key with this id, if any: an operator's session ends with its key. */
    public static Optional<Key> findById(DataSource ds, String id) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM api_keys WHERE key_id = ? AND revoked_at IS NULL")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(key(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot look up API key " + id, e);
        }
    }

    /** Every key, oldest first, at most {@value #LIST_MAX}. */
    public static List<Key> list(DataSource ds) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM api_keys ORDER BY created_at, key_id LIMIT ?")) {
            ps.setInt(1, LIST_MAX);
            List<Key> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(key(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot list API keys", e);
        }
    }

    /** Revokes a key; false when there is no such key or it was revoked already. */
    public static boolean revoke(DataSource ds, String id, Instant now) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE api_keys SET revoked_at = greatest(?, created_at) WHERE key_id = ? AND revoked_at IS NULL")) {
            ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setString(2, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("cannot revoke API key " + id, e);
        }
    }

    private static Key key(ResultSet rs) throws SQLException {
        OffsetDateTime revoked = rs.getObject("revoked_at", OffsetDateTime.class);
        return new Key(rs.getString("key_id"), rs.getString("name"), Scope.parse(rs.getString("scope")).orElseThrow(),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), revoked == null ? null : revoked.toInstant());
    }
}
