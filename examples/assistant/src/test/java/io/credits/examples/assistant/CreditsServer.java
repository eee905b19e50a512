package io.credits.examples.assistant;

import io.credits.app.App;
import io.credits.app.ServeConfig;
import io.credits.sdk.CreditsClient;
import io.credits.store.Database;
import io.credits.store.EmbeddedServer;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** A real Credits server in-process for a test class: a fresh embedded PostgreSQL database, a random port, a known admin key. */
public final class CreditsServer implements AutoCloseable {
    public static final String ADMIN_KEY = "ck_assistant_test_admin_0123456789";

    private final Database db;
    private final App app;

    private CreditsServer(Database db, App app) {
        this.db = db;
        this.app = app;
    }

    public static CreditsServer start() {
        Database db = EmbeddedServer.shared().freshDatabase(8);
        try {
            ServeConfig config = new ServeConfig("127.0.0.1", 0, Path.of("unused"), Optional.empty(), Optional.empty());
            return new CreditsServer(db, App.start(config, db, Clock.systemUTC(), Optional.of(ADMIN_KEY)));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public URI url() {
        return URI.create(app.url());
    }

    public CreditsClient client() {
        return CreditsClient.builder(url(), ADMIN_KEY).build();
    }

    /** The demo's settings for this server, with its own account, project and editor. */
    public DemoConfig config(String account, String project, String editor) {
        return new DemoConfig(url(), ADMIN_KEY, "127.0.0.1", 0, account, project, editor);
    }

    @Override
    public void close() {
        try {
            app.close();
        } finally {
            db.close();
        }
    }
}
