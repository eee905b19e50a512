package io.credits.store;

import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Rows for PostgreSQL's COPY, in its text format: the cheapest way to append the many rows of a
 * batch (ledger entries, uses, idempotency keys), one round trip and no per-row planning.
 */
final class CopyRows {
    private final String table;
    private final String columns;
    private final StringBuilder text = new StringBuilder(4096);
    private int rows;

    CopyRows(String table, String columns) {
        this.table = table;
        this.columns = columns;
    }

    CopyRows row(Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) text.append('\t');
            append(values[i]);
        }
        text.append('\n');
        rows++;
        return this;
    }

    private void append(Object v) {
        switch (v) {
            case null -> text.append("\\N");
            case Long n -> text.append(n.longValue());
            case Integer n -> text.append(n.intValue());
            case Instant t -> text.append(t);
            case String s -> escape(s);
            default -> throw new IllegalArgumentException("no COPY text form for " + v.getClass());
        }
    }

    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(ch);
            }
        }
    }

    void copy(Connection c) throws SQLException {
        if (rows == 0) return;
        try {
            c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table + " (" + columns + ") FROM STDIN", new StringReader(text.toString()));
        } catch (IOException e) {
            throw new SQLException("COPY into " + table + " failed", e);
        }
    }
}
