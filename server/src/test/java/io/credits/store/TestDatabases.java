package io.credits.store;

/** For tests outside this package: a fresh database's JDBC URL with its credentials, as a CLI takes it. */
public final class TestDatabases {
    private TestDatabases() {}

    public static String urlWithCredentials(Database db) {
        return db.jdbcUrl() + "?user=" + EmbeddedCluster.SUPERUSER + "&password=" + EmbeddedServer.shared().password();
    }
}
