package io.credits.store;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The secret billing-page links are signed with: 32 random bytes in {@code portal_secrets}, made
 * once by whichever process asks first. Every process on the database reads the same row, so a link
 * made by one server is accepted by all.
 */
public final class PortalSecrets {
    /** Bytes of the secret: as many as the output of HMAC-SHA256. */
    public static final int SECRET_BYTES = 32;

    private PortalSecrets() {}

    /** The stored secret; the first call on a database makes it. Two first calls at once agree. */
    public static byte[] loadOrCreate(DataSource ds, Instant now) {
        byte[] fresh = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(fresh);
        try (Connection c = ds.getConnection()) {
            // ON CONFLICT DO NOTHING: a concurrent first call wins or loses the insert, never fails.
            try (PreparedStatement ins = c.prepareStatement("""
                    INSERT INTO portal_secrets (secret_id, secret, created_at) VALUES (1, ?, ?)
                    ON CONFLICT (secret_id) DO NOTHING""")) {
                ins.setBytes(1, fresh);
                ins.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                ins.executeUpdate();
            }
            try (PreparedStatement sel = c.prepareStatement("SELECT secret FROM portal_secrets WHERE secret_id = 1");
                 ResultSet rs = sel.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("portal_secrets has no row after inserting one");
                byte[] secret = rs.getBytes(1);
                if (secret.length != SECRET_BYTES)
                    throw new IllegalStateException("portal secret must be " + SECRET_BYTES + " bytes: " + secret.length);
                return secret;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read or create the portal secret", e);
        }
    }
}
