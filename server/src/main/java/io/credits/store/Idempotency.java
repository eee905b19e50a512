package io.credits.store;

import io.credits.account.Answer;
import io.credits.account.Outcome;
import io.credits.account.RefusalCode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Idempotency keys of one account within a unit of work: the stored ones, and those this unit
 * adds. A key is stored with the hash of its request and the answer, in the same transaction as
 * the effect; a refusal changes nothing and is not stored, so asking again is asking anew.
 */
final class Idempotency {
    record Stored(String hash, String answer) {}

    record Row(String account, String key, String hash, String answer, Instant at) {}

    private final Map<String, Stored> known;
    private final Map<String, Stored> added = new HashMap<>();

    Idempotency(Map<String, Stored> stored) {
        this.known = new HashMap<>(stored);
    }

    Optional<Outcome> replay(String key, String hash) {
        Stored s = known.get(key);
        if (s == null) return Optional.empty();
        if (!s.hash().equals(hash))
            return Optional.of(Outcome.refuse(RefusalCode.IDEMPOTENCY_CONFLICT,
                    "idempotency key '" + key + "' was used before with a different request"));
        return Optional.of(new Outcome.Done(AnswerCodec.decode(s.answer())));
    }

    void remember(String key, String hash, Answer answer) {
        Stored s = new Stored(hash, AnswerCodec.encode(answer));
        known.put(key, s);
        added.put(key, s);
    }

    List<Row> newRows(String account, Instant at) {
        List<Row> rows = new ArrayList<>();
        added.forEach((k, s) -> rows.add(new Row(account, k, s.hash(), s.answer(), at)));
        return rows;
    }

    /**
     * The stored keys of the batch's requests. A lateral join probes the primary key once per
     * (account, key) pair; a plain filter on key = ANY(...) walks every key of the account, which
     * grows without end for a busy one.
     */
    static final String PROBE = """
            SELECT k.account_id, k.idem_key, k.request_hash, k.answer
            FROM unnest(?::text[], ?::text[]) AS w(account_id, idem_key)
            JOIN LATERAL (SELECT * FROM idempotency_keys i
                          WHERE i.account_id = w.account_id AND i.idem_key = w.idem_key) k ON true""";

    /** Binds {@link #PROBE}'s two parameters from {@code first} on: the (account, key) pairs of the batch. */
    static void bindProbe(Connection c, PreparedStatement ps, int first, Map<String, List<Lane.Pending>> byAccount)
            throws SQLException {
        List<String> accounts = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        byAccount.forEach((acc, list) -> list.forEach(p -> {
            if (p.request().idempotencyKey() != null) {
                accounts.add(acc);
                keys.add(p.request().idempotencyKey());
            }
        }));
        ps.setArray(first, AccountStore.textArray(c, accounts));
        ps.setArray(first + 1, AccountStore.textArray(c, keys));
    }

    static Map<String, Map<String, Stored>> stored(ResultSet rs) throws SQLException {
        Map<String, Map<String, Stored>> out = new HashMap<>();
        while (rs.next())
            out.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                    .put(rs.getString(2), new Stored(rs.getString(3), rs.getString(4)));
        return out;
    }

    static void insert(List<Row> rows, Pipeline writes) {
        Columns v = new Columns(5);
        for (Row r : rows) v.add(r.account(), r.key(), r.hash(), r.answer(), r.at());
        writes.add("""
                INSERT INTO idempotency_keys (account_id, idem_key, request_hash, answer, created_at)
                SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])""",
                v, "text", "text", "text", "text", "text");
    }
}
