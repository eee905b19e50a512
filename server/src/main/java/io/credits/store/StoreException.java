package io.credits.store;

/** The database failed or refused: infrastructure, never a refusal of the rules. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
