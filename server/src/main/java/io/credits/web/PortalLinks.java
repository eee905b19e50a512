package io.credits.web;

import io.credits.store.PortalSecrets;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Signed, expiring links to an account's billing page: {@code /billing/{account}?expires=..&sig=..},
 * where {@code sig} is HMAC-SHA256 over the account and the expiry with the server's secret. The
 * link is the only credential the page asks for, so whoever holds it sees the page until it
 * expires: links are short-lived (an hour by default, a day at most).
 *
 * <p>The same secret signs the token in each form of the page (over the account, the link's expiry,
 * the form's idempotency key and its action), so a form posted from elsewhere is refused.
 */
public final class PortalLinks {
    public static final Duration TTL_DEFAULT = Duration.ofHours(1);
    public static final Duration TTL_MAX = Duration.ofHours(24);
    public static final Duration TTL_MIN = Duration.ofSeconds(1);
    /** Account ids are at most this long (the accounts table's check). */
    public static final int ACCOUNT_LENGTH_MAX = 200;
    /** The path every link starts with. */
    public static final String PATH_PREFIX = "/billing/";

    private static final Pattern EXPIRES = Pattern.compile("[0-9]{1,12}");
    /** base64url without padding of 32 bytes. */
    private static final Pattern SIGNATURE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /** @param secret at least 32 bytes, kept secret: whoever has it can make links to every account */
    public PortalLinks(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < PortalSecrets.SECRET_BYTES)
            throw new IllegalArgumentException("portal secret must be at least " + PortalSecrets.SECRET_BYTES
                    + " bytes: " + secret.length);
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /** Links signed with the database's secret, made on first use (table {@code portal_secrets}). */
    public static PortalLinks fromDatabase(DataSource ds, Instant now) {
        return new PortalLinks(PortalSecrets.loadOrCreate(ds, now));
    }

    /** A link: its path, and its absolute URL on a given base. */
    public record Link(String account, Instant expiresAt, String path) {
        /** {@code base} like {@code https://credits.example.com} (a trailing slash is dropped). */
        public String url(String base) {
            return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
        }
    }

    /** What a link is worth. Only {@link Valid} may show anything of the account. */
    public sealed interface Verdict {
        record Valid(String account, long expires) implements Verdict {}

        /** Tampered, malformed, or signed for another account: 403. */
        record Invalid() implements Verdict {}

        /** Genuine but past its expiry: 410. */
        record Expired() implements Verdict {}
    }

    /** A link to the account's page valid for {@code ttl} from {@code now} (whole seconds). */
    public Link create(String account, Duration ttl, Instant now) {
        checkAccount(account);
        Duration t = ttl == null ? TTL_DEFAULT : ttl;
        if (t.compareTo(TTL_MIN) < 0 || t.compareTo(TTL_MAX) > 0)
            throw new IllegalArgumentException("ttlSeconds must be between " + TTL_MIN.toSeconds() + " and "
                    + TTL_MAX.toSeconds() + ": " + t.toSeconds());
        long expires = now.getEpochSecond() + t.toSeconds();
        return new Link(account, Instant.ofEpochSecond(expires), query(account, expires, ""));
    }

    /**
     * Checks a link's parameters for an account. The signature is compared in constant time and
     * before the expiry, so a forged link learns nothing, not even whether it would have expired.
     */
    public Verdict verify(String account, String expires, String sig, Instant now) {
        if (account == null || account.isEmpty() || account.length() > ACCOUNT_LENGTH_MAX) return new Verdict.Invalid();
        if (expires == null || !EXPIRES.matcher(expires).matches()) return new Verdict.Invalid();
        if (sig == null || !SIGNATURE.matcher(sig).matches()) return new Verdict.Invalid();
        long e = Long.parseLong(expires);
        byte[] given = Base64.getUrlDecoder().decode(sig);
        if (!MessageDigest.isEqual(given, mac("portal-link", account, Long.toString(e)))) return new Verdict.Invalid();
        if (now.getEpochSecond() >= e) return new Verdict.Expired();
        return new Verdict.Valid(account, e);
    }

    /** The path of the page of a verified link, with extra query parameters ({@code &a=b}, encoded). */
    public String path(Verdict.Valid link, String extraQuery) {
        return query(link.account(), link.expires(), extraQuery);
    }

    /** The {@code sig} parameter of a verified link, for a GET form that leads to the same page. */
    public String signature(Verdict.Valid link) {
        return b64(mac("portal-link", link.account(), Long.toString(link.expires())));
    }

    /**
     * The token a form of the page carries: bound to the link, to the form's idempotency key and to
     * its action, so it is good for that one form of that one page and nothing else.
     */
    public String formToken(Verdict.Valid link, String idempotencyKey, String action) {
        return b64(formMac(link, idempotencyKey, action));
    }

    /** Whether a posted form's token is the one {@link #formToken} gave; constant time. */
    public boolean formTokenValid(Verdict.Valid link, String idempotencyKey, String action, String token) {
        if (token == null || !SIGNATURE.matcher(token).matches() || idempotencyKey == null || action == null) return false;
        return MessageDigest.isEqual(Base64.getUrlDecoder().decode(token), formMac(link, idempotencyKey, action));
    }

    private byte[] formMac(Verdict.Valid link, String idempotencyKey, String action) {
        if (idempotencyKey.indexOf('\n') >= 0 || action.indexOf('\n') >= 0)
            throw new IllegalArgumentException("idempotency key and action must be one line");
        return mac("portal-form", link.account(), link.expires() + "\n" + idempotencyKey + "\n" + action);
    }

    private String query(String account, long expires, String extra) {
        return PATH_PREFIX + Web.encodePathSegment(account) + "?expires=" + expires + "&sig="
                + signature(new Verdict.Valid(account, expires)) + extra;
    }

    /**
     * HMAC over purpose, account and the rest, joined by newlines. The purpose keeps a link's
     * signature from passing as a form token; the fields after the account hold no newline (digits,
     * keys and actions of one line), so the newlines part the fields unambiguously whatever the
     * account id holds.
     */
    private byte[] mac(String purpose, String account, String rest) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal((purpose + "\n" + account + "\n" + rest).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void checkAccount(String account) {
        if (account == null || account.isEmpty() || account.length() > ACCOUNT_LENGTH_MAX)
            throw new IllegalArgumentException("account must be 1.." + ACCOUNT_LENGTH_MAX + " characters");
    }
}
