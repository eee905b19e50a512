package io.credits.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Ending transactions after a failure without hiding it. When the connection broke (the database
 * stopped), the rollback fails too, with the pool's bare "Connection is closed": thrown over the
 * first failure it would hide the real cause, and turn an unavailable database (503) into an
 * unexplained error (500).
 */
public final class Transactions {
    private Transactions() {}

    /** The work of one transaction, on its connection. */
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on a connection of the pool and commits; on a failure
     * rolls back without hiding it. A database error comes out as a {@link StoreException} with
     * {@code failure} as its message (what could not be done); other exceptions come out as they are.
     */
    public static <T> T inTransaction(DataSource dataSource, String failure, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackAfter(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(failure, e);
        }
    }

    /** Rolls back after {@code failure}; a rollback that fails as well is kept as suppressed by it. */
    public static void rollbackAfter(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Ends a read-only snapshot: rolls back and makes the connection writable again. A failure is
     * dropped: the rows were read already, and a broken connection is discarded by the pool.
     */
    public static void endReadOnly(Connection c) {
        try {
            c.rollback();
            c.setReadOnly(false);
        } catch (SQLException e) {
            // the connection broke: the pool closes it instead of lending it again
        }
    }
}
