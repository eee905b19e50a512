package io.credits.http;

/**
 * A request that cannot be served, carrying the problem to answer with. Thrown by the checks of a
 * request before anything is changed; the route wrapper turns it into the response.
 */
final class ApiException extends RuntimeException {
    final Problem problem;

    ApiException(Problem problem) {
        super(problem.code() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }
}
