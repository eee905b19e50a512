package io.credits.cli;

import io.credits.catalog.Catalog;
import io.credits.catalog.CatalogLoader;
import io.credits.store.Database;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the database is, shared by the commands that work on one (as {@code serve} takes it). */
final class DatabaseOptions {
    @Option(names = "--data", defaultValue = "./data", paramLabel = "DIR",
            description = "Directory of the embedded database (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--database-url", paramLabel = "JDBC_URL", description = "Use this PostgreSQL instead of the embedded one.")
    String databaseUrl;

    @Option(names = "--catalog", paramLabel = "FILE", description = "Catalog file in force (default: the built-in one).")
    Path catalog;

    Database open() {
        return databaseUrl != null ? Database.external(databaseUrl) : Database.embedded(data);
    }

    Catalog catalog() {
        return catalog == null ? CatalogLoader.defaultCatalog() : CatalogLoader.load(catalog);
    }
}
