package io.credits.account;

/** The result of a command: done with an answer, or refused with a code and a reason. */
public sealed interface Outcome {
    record Done(Answer answer) implements Outcome {}

    record Refused(RefusalCode code, String detail) implements Outcome {
        public Refused {
            java.util.Objects.requireNonNull(code);
            java.util.Objects.requireNonNull(detail);
        }
    }

    static Refused refuse(RefusalCode code, String detail) {
        return new Refused(code, detail);
    }
}
