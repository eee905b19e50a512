package io.credits.store;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Proves which database failures count as "unavailable" (503, retry later) and which are bugs (500). */
class StoreExceptionTest {

    @Test
    void noConnectionFromThePool_isUnavailable() {
        assertThat(StoreException.isUnavailable(new StoreException("the transaction failed",
                new SQLTransientConnectionException("credits - Connection is not available, request timed out after 1000ms")))).isTrue();
    }

    @Test
    void connectionRefusedOrBroken_isUnavailable_evenWrapped() {
        SQLException refused = new SQLException("Connection to localhost:5432 refused", "08001");
        SQLException broken = new SQLException("An I/O error occurred while sending to the backend", "08006");
        assertThat(StoreException.isUnavailable(refused)).isTrue();
        assertThat(StoreException.isUnavailable(new IllegalStateException(new StoreException("cannot read", broken)))).isTrue();
    }

    @Test
    void serverShuttingDown_isUnavailable() {
        assertThat(StoreException.isUnavailable(new SQLException("terminating connection due to administrator command", "57P01"))).isTrue();
        assertThat(StoreException.isUnavailable(new SQLException("the database system is starting up", "57P03"))).isTrue();
    }

    @Test
    void refusalsOfTheDatabase_andOtherErrors_areNot() {
        assertThat(StoreException.isUnavailable(new StoreException("insert", new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(StoreException.isUnavailable(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(StoreException.isUnavailable(new SQLException("no state"))).isFalse();
        assertThat(StoreException.isUnavailable(new IllegalStateException("overloaded"))).isFalse();
    }
}
