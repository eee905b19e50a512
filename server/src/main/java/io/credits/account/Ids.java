package io.credits.account;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Ids of holds and uses carry their account, so a capture or refund finds its account without a
 * global lookup (and a sharded store can route by it): {@code hold_<base64url(account)>_<seq base36>}.
 */
public final class Ids {
    private Ids() {}

    public record Parsed(String kind, String account, long seq) {}

    public static String of(String kind, String account, long seq) {
        String acc = Base64.getUrlEncoder().withoutPadding().encodeToString(account.getBytes(StandardCharsets.UTF_8));
        return kind + "_" + acc + "_" + Long.toString(seq, 36);
    }

    /** Empty for anything that is not an id of that kind: such an id names nothing (not_found). */
    public static Optional<Parsed> parse(String kind, String id) {
        if (id == null || !id.startsWith(kind + "_")) return Optional.empty();
        String rest = id.substring(kind.length() + 1);
        int cut = rest.lastIndexOf('_');
        if (cut <= 0 || cut == rest.length() - 1) return Optional.empty();
        try {
            String account = new String(Base64.getUrlDecoder().decode(rest.substring(0, cut)), StandardCharsets.UTF_8);
            long seq = Long.parseLong(rest.substring(cut + 1), 36);
            if (seq <= 0 || !of(kind, account, seq).equals(id)) return Optional.empty();
            return Optional.of(new Parsed(kind, account, seq));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
