package io.credits.cli;

import io.credits.store.ApiKeys;
import io.credits.store.Database;
import io.credits.store.EmbeddedServer;
import io.credits.store.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** Proves `credits keys create|list|revoke`: a key shown once and stored as a hash, listed, revoked. */
class KeysCommandTest {
    static Database db;
    static String url;

    @BeforeAll
    static void open() {
        db = EmbeddedServer.shared().freshDatabase();
        url = TestDatabases.urlWithCredentials(db);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void create_printsTheKeyOnce_listShowsItWithoutTheKey_revokeEndsIt() {
        Run created = run("keys", "create", "--scope", "spend", "--name", "website backend", "--database-url", url);
        assertThat(created.code()).as(created.err()).isZero();
        String key = created.out().lines().findFirst().orElseThrow();
        assertThat(key).matches("ck_[A-Za-z0-9_-]{43}");
        ApiKeys.Key stored = ApiKeys.find(db.dataSource(), key).orElseThrow();
        assertThat(stored.scope()).isEqualTo(ApiKeys.Scope.SPEND);
        assertThat(stored.name()).isEqualTo("website backend");

        Run list = run("keys", "list", "--database-url", url);
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains(stored.id()).contains("spend").contains("website backend").doesNotContain(key);

        assertThat(run("keys", "revoke", stored.id(), "--database-url", url).code()).isZero();
        assertThat(ApiKeys.find(db.dataSource(), key)).isEmpty();
        Run again = run("keys", "revoke", stored.id(), "--database-url", url);
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("no live key");
    }

    @Test
    void create_badScope_isAUsageError() {
        Run r = run("keys", "create", "--scope", "root", "--name", "x", "--database-url", url);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--scope must be admin, spend or read");
    }

    @Test
    void onlyTheHashIsStored() throws Exception {
        Run created = run("keys", "create", "--scope", "read", "--name", "reports", "--database-url", url);
        String key = created.out().lines().findFirst().orElseThrow();
        try (var c = db.dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT string_agg(key_id || name || scope || key_hash, ',') FROM api_keys")) {
            rs.next();
            assertThat(rs.getString(1)).doesNotContain(key).contains(ApiKeys.hash(key));
        }
    }
}
