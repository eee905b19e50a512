package io.credits.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Column arrays for one {@code UPDATE ... FROM unnest(...)} or {@code INSERT ... SELECT FROM
 * unnest(...)} over many rows. Instants go as text
 * (ISO-8601 with Z) and are cast in SQL, so no time zone of the JVM can shift them.
 */
final class Columns {
    private final List<List<Object>> columns = new ArrayList<>();
    private int rows;

    Columns(int width) {
        for (int i = 0; i < width; i++) columns.add(new ArrayList<>());
    }

    void add(Object... values) {
        if (values.length != columns.size())
            throw new IllegalArgumentException("row of " + values.length + " values, expected " + columns.size());
        for (int i = 0; i < values.length; i++) columns.get(i).add(values[i] instanceof Instant t ? t.toString() : values[i]);
        rows++;
    }

    int rows() {
        return rows;
    }

    /** Binds column i as an array of the given element type, in order. */
    void bind(Connection c, PreparedStatement ps, String... types) throws SQLException {
        bind(c, ps, 1, types);
    }

    /** Binds the columns from parameter {@code first} on; returns the next free parameter. */
    int bind(Connection c, PreparedStatement ps, int first, String... types) throws SQLException {
        if (types.length != columns.size()) throw new IllegalArgumentException("one type per column");
        for (int i = 0; i < types.length; i++) ps.setArray(first + i, c.createArrayOf(types[i], columns.get(i).toArray()));
        return first + types.length;
    }
}
