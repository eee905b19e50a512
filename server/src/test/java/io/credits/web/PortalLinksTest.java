package io.credits.web;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A link opens the page of its own account until it expires, and no other, and cannot be altered. */
class PortalLinksTest {
    static final Instant NOW = Instant.parse("2026-01-17T10:00:00Z");
    final PortalLinks links = new PortalLinks(secret(7));

    static byte[] secret(int fill) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) fill);
        return s;
    }

    PortalLinks.Verdict verify(PortalLinks with, String account, String path, Instant now) {
        Map<String, String> q = Html.query(path);
        return with.verify(account, q.get("expires"), q.get("sig"), now);
    }

    @Test
    void create_defaultTtl_isAnHour_andTheLinkIsValidUntilThen() {
        PortalLinks.Link link = links.create("acme", null, NOW);
        assertThat(link.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertThat(link.path()).startsWith("/billing/acme?expires=" + NOW.plusSeconds(3600).getEpochSecond() + "&sig=");
        assertThat(verify(links, "acme", link.path(), NOW)).isInstanceOf(PortalLinks.Verdict.Valid.class);
        assertThat(verify(links, "acme", link.path(), NOW.plusSeconds(3599))).isInstanceOf(PortalLinks.Verdict.Valid.class);
        assertThat(link.url("https://credits.example.com/")).isEqualTo("https://credits.example.com" + link.path());
    }

    @Test
    void verify_atOrAfterExpiry_isExpired() {
        PortalLinks.Link link = links.create("acme", Duration.ofMinutes(5), NOW);
        assertThat(verify(links, "acme", link.path(), NOW.plusSeconds(300))).isInstanceOf(PortalLinks.Verdict.Expired.class);
        assertThat(verify(links, "acme", link.path(), NOW.plus(Duration.ofDays(3)))).isInstanceOf(PortalLinks.Verdict.Expired.class);
    }

    @Test
    void verify_tamperedSignatureOrExpiry_isInvalid() {
        PortalLinks.Link link = links.create("acme", null, NOW);
        Map<String, String> q = Html.query(link.path());
        String sig = q.get("sig");
        String flipped = (sig.charAt(0) == 'A' ? 'B' : 'A') + sig.substring(1);
        assertThat(links.verify("acme", q.get("expires"), flipped, NOW)).isInstanceOf(PortalLinks.Verdict.Invalid.class);
        String later = Long.toString(Long.parseLong(q.get("expires")) + 86_400);
        assertThat(links.verify("acme", later, sig, NOW)).isInstanceOf(PortalLinks.Verdict.Invalid.class);
        // A forged link that is also past its expiry learns nothing more: invalid, not expired.
        assertThat(links.verify("acme", "1", sig, NOW)).isInstanceOf(PortalLinks.Verdict.Invalid.class);
        assertThat(links.verify("acme", null, sig, NOW)).isInstanceOf(PortalLinks.Verdict.Invalid.class);
        assertThat(links.verify("acme", q.get("expires"), null, NOW)).isInstanceOf(PortalLinks.Verdict.Invalid.class);
        assertThat(links.verify("acme", "12x", sig, NOW)).isInstanceOf(PortalLinks.Verdict.Invalid.class);
        assertThat(links.verify("acme", q.get("expires"), sig + "A", NOW)).isInstanceOf(PortalLinks.Verdict.Invalid.class);
    }

    @Test
    void verify_linkOfAnotherAccount_isInvalid() {
        PortalLinks.Link other = links.create("other", null, NOW);
        assertThat(verify(links, "acme", other.path(), NOW)).isInstanceOf(PortalLinks.Verdict.Invalid.class);
        assertThat(verify(links, "other", other.path(), NOW)).isInstanceOf(PortalLinks.Verdict.Valid.class);
    }

    @Test
    void verify_withAnotherSecret_isInvalid() {
        PortalLinks.Link link = links.create("acme", null, NOW);
        assertThat(verify(new PortalLinks(secret(8)), "acme", link.path(), NOW)).isInstanceOf(PortalLinks.Verdict.Invalid.class);
    }

    @Test
    void create_ttlOutsideOneSecondToADay_isRefusedWithTheLimit() {
        assertThat(links.create("acme", Duration.ofHours(24), NOW).expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThatThrownBy(() -> links.create("acme", Duration.ofHours(25), NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttlSeconds").hasMessageContaining("86400");
        assertThatThrownBy(() -> links.create("acme", Duration.ZERO, NOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> links.create("", null, NOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PortalLinks(new byte[16])).hasMessageContaining("32 bytes");
    }

    @Test
    void create_accountWithSlashesAndSpaces_isOneEncodedPathSegment_andVerifiesDecoded() {
        PortalLinks.Link link = links.create("team/a b+é", null, NOW);
        assertThat(link.path()).startsWith("/billing/team%2Fa%20b%2B%C3%A9?");
        assertThat(Html.account(link.path())).isEqualTo("team/a b+é");
        assertThat(verify(links, Html.account(link.path()), link.path(), NOW)).isInstanceOf(PortalLinks.Verdict.Valid.class);
    }

    @Test
    void formToken_isBoundToLinkKeyAndAction_andIsNoLinkSignature() {
        var link = (PortalLinks.Verdict.Valid) verify(links, "acme", links.create("acme", null, NOW).path(), NOW);
        String key = "billing_key_0123456789";
        String token = links.formToken(link, key, "downgrade");
        assertThat(links.formTokenValid(link, key, "downgrade", token)).isTrue();
        assertThat(links.formTokenValid(link, "billing_key_0123456780", "downgrade", token)).isFalse();
        assertThat(links.formTokenValid(link, key, "cancel-now", token)).isFalse();
        assertThat(links.formTokenValid(new PortalLinks.Verdict.Valid("other", link.expires()), key, "downgrade", token)).isFalse();
        assertThat(links.formTokenValid(new PortalLinks.Verdict.Valid("acme", link.expires() + 1), key, "downgrade", token)).isFalse();
        assertThat(links.formTokenValid(link, key, "downgrade", links.signature(link))).isFalse();
        assertThat(links.formTokenValid(link, key, "downgrade", null)).isFalse();
    }

    @Test
    void sameOrigin_comparesOriginOrRefererWithTheHost() {
        assertThat(BillingPage.sameOrigin(Map.of("Host", "localhost:8080", "Origin", "http://localhost:8080"))).isTrue();
        assertThat(BillingPage.sameOrigin(Map.of("host", "billing.example.com", "origin", "https://billing.example.com"))).isTrue();
        assertThat(BillingPage.sameOrigin(Map.of("Host", "billing.example.com:443", "Origin", "https://billing.example.com"))).isTrue();
        assertThat(BillingPage.sameOrigin(Map.of("Host", "localhost:8080", "Referer", "http://localhost:8080/billing/a?x=1"))).isTrue();
        assertThat(BillingPage.sameOrigin(Map.of("Host", "internal:8080", "X-Forwarded-Host", "billing.example.com",
                "Origin", "https://billing.example.com"))).isTrue();
        assertThat(BillingPage.sameOrigin(Map.of("Host", "localhost:8080"))).isTrue();

        assertThat(BillingPage.sameOrigin(Map.of("Host", "localhost:8080", "Origin", "http://evil.example"))).isFalse();
        assertThat(BillingPage.sameOrigin(Map.of("Host", "localhost:8080", "Origin", "http://localhost:8081"))).isFalse();
        assertThat(BillingPage.sameOrigin(Map.of("Host", "localhost:8080", "Origin", "null"))).isFalse();
        assertThat(BillingPage.sameOrigin(Map.of("Host", "localhost:8080", "Referer", "http://evil.example/x"))).isFalse();
        assertThat(BillingPage.sameOrigin(Map.of("Origin", "http://localhost:8080"))).isFalse();
    }

    @Test
    void money_isWrittenInTheCurrency() {
        assertThat(Formats.money(2900, "EUR")).isEqualTo("€29.00");
        assertThat(Formats.money(1258, "EUR")).isEqualTo("€12.58");
        assertThat(Formats.money(123456789, "EUR")).isEqualTo("€1,234,567.89");
        assertThat(Formats.money(5, "USD")).isEqualTo("$0.05");
        assertThat(Formats.money(500, "JPY")).isEqualTo("¥500");
        assertThat(Formats.money(250, "XQQ")).isEqualTo("2.50 XQQ");
    }
}
