package io.credits.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Proves the first admin key of an empty database: made once, from CREDITS_ADMIN_KEY or at random. */
class ApiKeysTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void bootstrap_emptyDatabase_makesOneRandomAdminKey_thenNoMore() {
        try (Database db = EmbeddedServer.shared().freshDatabase()) {
            Optional<String> made = ApiKeys.bootstrap(db.dataSource(), Optional.empty(), T);
            assertThat(made).hasValueSatisfying(k -> assertThat(k).startsWith("ck_"));
            assertThat(ApiKeys.find(db.dataSource(), made.get()).orElseThrow().scope()).isEqualTo(ApiKeys.Scope.ADMIN);
            assertThat(ApiKeys.bootstrap(db.dataSource(), Optional.empty(), T)).isEmpty();
            assertThat(ApiKeys.bootstrap(db.dataSource(), Optional.of("later-key"), T)).isEmpty();
            assertThat(ApiKeys.find(db.dataSource(), "later-key")).isEmpty();
            assertThat(ApiKeys.list(db.dataSource())).hasSize(1);
        }
    }

    @Test
    void bootstrap_withAChosenKey_storesItsHash_andPrintsNothing() {
        try (Database db = EmbeddedServer.shared().freshDatabase()) {
            assertThat(ApiKeys.bootstrap(db.dataSource(), Optional.of("my-automation-key"), T)).isEmpty();
            assertThat(ApiKeys.find(db.dataSource(), "my-automation-key")).isPresent();
            assertThatThrownBy(() -> ApiKeys.bootstrap(db.dataSource(), Optional.of("has space"), T))
                    .hasMessageContaining("CREDITS_ADMIN_KEY");
        }
    }

    @Test
    void revokedKeys_areNotFound_andTheEmptyCheckCountsThem() {
        try (Database db = EmbeddedServer.shared().freshDatabase()) {
            ApiKeys.Created k = ApiKeys.create(db.dataSource(), ApiKeys.Scope.READ, "r", T);
            assertThat(ApiKeys.revoke(db.dataSource(), k.key().id(), T)).isTrue();
            assertThat(ApiKeys.find(db.dataSource(), k.secret())).isEmpty();
            assertThat(ApiKeys.bootstrap(db.dataSource(), Optional.empty(), T)).as("not an empty database").isEmpty();
        }
    }
}
