package io.credits.store;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Proves that ending a transaction on a broken connection never hides the failure that broke it. */
class TransactionsTest {

    @Test
    void rollbackOnAClosedConnection_isKeptAsSuppressed_theFirstFailureStands() throws Exception {
        try (Database db = EmbeddedServer.shared().freshDatabase()) {
            Connection c = db.dataSource().getConnection();
            c.close(); // as the pool does with a connection the server ended
            SQLException failure = new SQLException("terminating connection due to administrator command", "57P01");

            Transactions.rollbackAfter(c, failure);

            assertThat(failure.getSuppressed()).singleElement()
                    .satisfies(s -> assertThat(s).hasMessageContaining("closed"));
            assertThat(StoreException.isUnavailable(new StoreException("the transaction failed", failure))).isTrue();
            assertThatCode(() -> Transactions.endReadOnly(c)).doesNotThrowAnyException();
        }
    }
}
