package io.credits.http;

import io.credits.account.Outcome;
import io.credits.account.RefusalCode;

/** The one mapper from a refusal code to an HTTP status and problem (API.md's table). */
final class Refusals {
    private Refusals() {}

    static int status(RefusalCode code) {
        return switch (code) {
            case INVALID_REQUEST -> 400;
            case INSUFFICIENT_CREDITS, FEATURE_NOT_IN_PLAN -> 402;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case HOLD_EXPIRED -> 410;
            case IDEMPOTENCY_CONFLICT -> 422;
        };
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 422 -> "Unprocessable Content";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }

    static Problem problem(Outcome.Refused refused) {
        int status = status(refused.code());
        return Problem.of(status, title(status), refused.code().code(), refused.detail());
    }

    static Problem problem(RefusalCode code, String detail) {
        int status = status(code);
        return Problem.of(status, title(status), code.code(), detail);
    }
}
