package io.credits.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The writes of one unit of work, sent as one multi-statement request: PostgreSQL runs them in
 * order and the driver reads every answer after a single round trip. A unit of work holds its
 * accounts' locks until it commits, so each round trip saved shortens the time a hot account is
 * locked; a statement per table, and a COPY (two round trips each), cost the lanes more than the
 * work itself.
 */
final class Pipeline {
    private record Part(String sql, Columns values, String[] types) {}

    private final List<Part> parts = new ArrayList<>();

    /**
     * Adds a statement whose parameters are the columns of {@code values}, each bound as an array
     * of its type; nothing is added when there are no rows.
     */
    Pipeline add(String sql, Columns values, String... types) {
        if (values.rows() > 0) parts.add(new Part(sql, values, types));
        return this;
    }

    void execute(Connection c) throws SQLException {
        if (parts.isEmpty()) return;
        StringBuilder sql = new StringBuilder();
        for (Part p : parts) sql.append(p.sql()).append(";\n");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int next = 1;
            for (Part p : parts) next = p.values().bind(c, ps, next, p.types());
            ps.execute();
            // Every statement's answer is read, so that an error in any of them is raised here.
            while (ps.getMoreResults() || ps.getUpdateCount() != -1) {
                // nothing to read: these are writes
            }
        }
    }
}
