package io.credits.http;

import io.credits.account.RefusalCode;
import io.credits.events.Deliveries;
import io.credits.events.EventLog;
import io.credits.events.FieldErrors;
import io.credits.events.WebhookEndpoints;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The event log and the webhook endpoints: {@code GET /v1/events},
 * {@code POST /v1/webhook-endpoints} and {@code GET /v1/webhook-endpoints/{id}/deliveries}.
 * The work is done in {@code io.credits.events}; this class maps its inputs and errors to HTTP.
 */
final class EventRoutes {
    /** Event types and webhook endpoint ids are short; this bounds what is read before the checks. */
    static final int TYPE_LENGTH_MAX = 100;

    private final EventLog log;
    private final WebhookEndpoints endpoints;
    private final Deliveries deliveries;

    EventRoutes(EventLog log, WebhookEndpoints endpoints, Deliveries deliveries) {
        this.log = log;
        this.endpoints = endpoints;
        this.deliveries = deliveries;
    }

    /** {@code GET /v1/events?after&type&account&limit}: events, oldest first. */
    void events(Router.Call call) {
        call.in.allowQuery("after", "type", "account", "limit").check();
        EventLog.Query query;
        try {
            query = EventLog.Query.parse(call.in.query("after").orElse(null), call.in.query("type").orElse(null),
                    call.in.query("account").orElse(null), call.in.query("limit").orElse(null));
        } catch (FieldErrors e) {
            throw invalid(e, f -> "query." + f);
        }
        call.json(200, log.page(query));
    }

    /** {@code POST /v1/webhook-endpoints {url, events}}: 201 with the secret, shown once. */
    void createEndpoint(Router.Call call) {
        call.in.body(true, "url", "events");
        String url = call.in.optionalText("url", WebhookEndpoints.URL_LENGTH_MAX).orElse(null);
        List<String> events = call.in.optionalTextList("events", TYPE_LENGTH_MAX);
        call.in.check();
        try {
            call.json(201, endpoints.create(new WebhookEndpoints.Registration(url, events)));
        } catch (FieldErrors e) {
            throw invalid(e, UnaryOperator.identity());
        } catch (WebhookEndpoints.TooManyEndpoints e) {
            throw new ApiException(Refusals.problem(RefusalCode.CONFLICT, e.getMessage()));
        }
    }

    /** {@code GET /v1/webhook-endpoints/{id}/deliveries?after&limit}: the delivery log, newest first. */
    void deliveries(Router.Call call) {
        String id = call.in.pathRef("id");
        call.in.allowQuery("after", "limit").check();
        var page = guard(() -> deliveries.list(id, call.in.query("after").orElse(null),
                call.in.query("limit").orElse(null)));
        call.json(200, page.orElseThrow(() -> new ApiException(
                Refusals.problem(RefusalCode.NOT_FOUND, "no webhook endpoint '" + id + "'"))));
    }

    private static <T> T guard(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (FieldErrors e) {
            // Deliveries names its cursor "cursor"; on the wire it is ?after=, like every list.
            throw invalid(e, f -> "query." + (f.equals("cursor") ? "after" : f));
        }
    }

    private static ApiException invalid(FieldErrors e, UnaryOperator<String> field) {
        return new ApiException(Problem.invalid(e.errors().stream()
                .map(x -> new Problem.FieldError(field.apply(x.field()), x.message())).toList()));
    }
}
