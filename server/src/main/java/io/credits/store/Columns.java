package io.credits.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Column arrays for one {@code UPDATE ... FROM unnest(...)} over many rows. Instants go as text
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
        if (types.length != columns.size()) throw new IllegalArgumentException("one type per column");
        for (int i = 0; i < types.length; i++) ps.setArray(i + 1, c.createArrayOf(types[i], columns.get(i).toArray()));
    }
}
