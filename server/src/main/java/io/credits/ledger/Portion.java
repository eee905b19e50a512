package io.credits.ledger;

/** Credits taken from one grant by a use or a hold, so that they can go back to it. */
public record Portion(long grantSeq, long credits) {
    public Portion {
        if (grantSeq <= 0) throw new IllegalArgumentException("grantSeq must be > 0: " + grantSeq);
        if (credits <= 0) throw new IllegalArgumentException("portion credits must be > 0: " + credits);
    }
}
