package io.credits.store;

import io.credits.account.Answer;

/** Stores an answer with its idempotency key and reads it back for a replay. */
final class AnswerCodec {
    private AnswerCodec() {}

    static String encode(Answer answer) {
        return answer.getClass().getSimpleName() + "|" + Json.write(answer);
    }

    static Answer decode(String stored) {
        int bar = stored.indexOf('|');
        String type = stored.substring(0, bar);
        String json = stored.substring(bar + 1);
        Class<? extends Answer> cls = switch (type) {
            case "Ok" -> Answer.Ok.class;
            case "Used" -> Answer.Used.class;
            case "Held" -> Answer.Held.class;
            case "Captured" -> Answer.Captured.class;
            case "Released" -> Answer.Released.class;
            case "Refunded" -> Answer.Refunded.class;
            case "Granted" -> Answer.Granted.class;
            default -> throw new IllegalStateException("unknown stored answer type " + type);
        };
        return Json.read(json, cls);
    }
}
