package io.credits.web;

import io.credits.store.PortalSecrets;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The operator page's session cookie: {@code KEYID.EXPIRES.SIG}, where {@code SIG} is HMAC-SHA256
 * over the admin key's id and the expiry with the server's secret (the billing links' secret, with
 * another purpose, so neither passes for the other). The cookie holds no key: whoever holds it acts
 * as that key until it expires, and only while the key is still a live admin key (checked on every
 * request, so revoking the key ends its sessions).
 */
final class OperatorSessions {
    /** How long a session lasts after the key was given. */
    static final Duration TTL = Duration.ofHours(8);

    private static final Pattern COOKIE = Pattern.compile("(key_[A-Za-z0-9_-]{1,64})\\.([0-9]{1,12})\\.([A-Za-z0-9_-]{43})");
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    OperatorSessions(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < PortalSecrets.SECRET_BYTES)
            throw new IllegalArgumentException("secret must be at least " + PortalSecrets.SECRET_BYTES + " bytes: " + secret.length);
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /** A session of a verified cookie: the key it was made for and when it ends. */
    record Session(String keyId, Instant expiresAt) {}

    /** The cookie value of a new session for this key, from {@code now}. */
    String create(String keyId, Instant now) {
        if (!keyId.matches("key_[A-Za-z0-9_-]{1,64}")) throw new IllegalArgumentException("not a key id: " + keyId);
        long expires = now.plus(TTL).getEpochSecond();
        return keyId + "." + expires + "." + b64(mac(keyId, expires));
    }

    /** The session of a cookie value if its signature holds and it has not expired; constant-time compare. */
    Optional<Session> verify(String value, Instant now) {
        if (value == null) return Optional.empty();
        var m = COOKIE.matcher(value);
        if (!m.matches()) return Optional.empty();
        long expires = Long.parseLong(m.group(2));
        byte[] given = Base64.getUrlDecoder().decode(m.group(3));
        if (!MessageDigest.isEqual(given, mac(m.group(1), expires))) return Optional.empty();
        if (now.getEpochSecond() >= expires) return Optional.empty();
        return Optional.of(new Session(m.group(1), Instant.ofEpochSecond(expires)));
    }

    private byte[] mac(String keyId, long expires) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(("operator-session\n" + keyId + "\n" + expires).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
