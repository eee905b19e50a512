package io.credits.store;

import io.credits.account.Actor;
import io.credits.account.Command;
import io.credits.account.Outcome;
import io.credits.account.RefusalCode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Refused uses and holds (table {@code refusals}): a refusal leaves no ledger entry, yet an operator
 * wants to see who was turned away, from what, and why. The engine writes them in the transaction
 * that refused them; the operator page reads the newest.
 */
public final class RefusalLog {
    /** Longer details are cut to this (the column's check). */
    public static final int DETAIL_LENGTH_MAX = 500;
    /** The most refusals one read returns. */
    public static final int RECENT_MAX = 500;

    /** One refused spend; {@code projectId} and {@code feature} are null when the request named none. */
    public record Refusal(long id, String account, Instant refusedAt, String code, String userId, String projectId,
                          String feature, String detail) {}

    private RefusalLog() {}

    /**
     * What to keep of a refused command: uses and holds only, and not a bad input (the request
     * never reached the rules; its problem answer says what was wrong).
     */
    static Optional<Refusal> of(String account, Command command, Outcome.Refused refused, Instant now) {
        if (refused.code() == RefusalCode.INVALID_REQUEST) return Optional.empty();
        Actor actor;
        String feature;
        switch (command) {
            case Command.Use u -> { actor = u.actor(); feature = u.feature(); }
            case Command.Reserve r -> { actor = r.actor(); feature = r.feature().orElse(null); }
            case null, default -> { return Optional.empty(); }
        }
        String detail = refused.detail();
        if (detail.length() > DETAIL_LENGTH_MAX) detail = detail.substring(0, DETAIL_LENGTH_MAX);
        return Optional.of(new Refusal(0, account, now, refused.code().code(), actor.userId(),
                actor.projectId().orElse(null), feature, detail));
    }

    /** Adds the refusals to the unit of work's writes; nothing at all when there are none. */
    static void insert(List<Refusal> rows, Pipeline writes) {
        Columns v = new Columns(7);
        for (Refusal r : rows)
            v.add(r.account(), r.refusedAt(), r.code(), r.userId(), r.projectId(), r.feature(), r.detail());
        writes.add("""
                INSERT INTO refusals (account_id, refused_at, code, user_id, project_id, feature, detail)
                SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])""",
                v, "text", "text", "text", "text", "text", "text", "text");
    }

    /** The newest refusals over every account, newest first, at most {@code limit} (1..{@value #RECENT_MAX}). */
    public static List<Refusal> recent(DataSource ds, int limit) {
        if (limit < 1 || limit > RECENT_MAX) throw new IllegalArgumentException("limit must be 1.." + RECENT_MAX + ": " + limit);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM refusals ORDER BY refusal_id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            List<Refusal> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Refusal(rs.getLong("refusal_id"), rs.getString("account_id"),
                            AccountStore.instant(rs, "refused_at"), rs.getString("code"), rs.getString("user_id"),
                            rs.getString("project_id"), rs.getString("feature"), rs.getString("detail")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read the recent refusals", e);
        }
    }
}
