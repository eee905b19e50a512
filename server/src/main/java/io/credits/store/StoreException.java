package io.credits.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** The database failed or refused: infrastructure, never a refusal of the rules. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }

    /**
     * Whether {@code e} or one of its causes says the database could not be reached or went away
     * (no connection within the pool's timeout, a connection refused or broken, the server
     * shutting down): the same request may succeed later, and nothing was committed by this
     * attempt unless the commit itself was cut off, which an idempotency key settles on retry.
     */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException) return true;
            if (t instanceof SQLException s && s.getSQLState() != null && unavailableState(s.getSQLState())) return true;
        }
        return false;
    }

    /** SQLSTATE class 08 (connection exception) and 57P01-57P03 (admin or crash shutdown, cannot connect now). */
    private static boolean unavailableState(String state) {
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
    }
}
