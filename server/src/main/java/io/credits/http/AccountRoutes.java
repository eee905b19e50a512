package io.credits.http;

import io.credits.account.Account;
import io.credits.account.Answer;
import io.credits.account.Command;
import io.credits.plan.Term;
import io.credits.store.Engine.Target;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Accounts, their plans, their balance and operators' grants. An account comes into being at its
 * first mention by {@code PUT /v1/accounts/{account}}, the main plan or an AI plan booking; every
 * other request naming an unknown account is {@code not_found}.
 */
final class AccountRoutes {
    /** The most credits one operator's grant may give. */
    static final long GRANT_CREDITS_MAX = 1_000_000_000L;
    static final int NAME_LENGTH_MAX = 200;
    static final int PLAN_LENGTH_MAX = 100;
    static final int ZONE_LENGTH_MAX = 100;

    private AccountRoutes() {}

    /** {@code PUT /v1/accounts/{account}}: creates or updates; 200 with the account. */
    static void put(Router.Call call) {
        String account = call.in.pathId("account");
        call.in.body(false, "name", "timeZone");
        Optional<String> name = call.in.optionalText("name", NAME_LENGTH_MAX);
        Optional<ZoneId> zone = call.in.optionalText("timeZone", ZONE_LENGTH_MAX)
                .filter(z -> !z.isEmpty()).map(z -> zone(call.in, z));
        Answer done = call.run(new Target.OfAccount(account, true), new Command.UpdateAccount(name, zone), "timeZone");
        call.json(200, view(call, account, done));
    }

    static void get(Router.Call call) {
        String account = call.in.pathId("account");
        call.in.allowQuery().check();
        call.json(200, Views.AccountView.of(read(call, account)));
    }

    /** {@code PUT .../main-plan}: {@code {plan, term, anchor?}}; starts or changes the main plan. */
    static void putMainPlan(Router.Call call) {
        String account = call.in.pathId("account");
        call.in.body(true, "plan", "term", "anchor");
        String plan = call.in.requiredText("plan", PLAN_LENGTH_MAX);
        Term term = term(call.in, call.in.requiredText("term", 20));
        Optional<Instant> anchor = call.in.optionalInstant("anchor");
        Answer done = call.run(new Target.OfAccount(account, true),
                new Command.SetMainPlan(plan, Optional.ofNullable(term), anchor), "anchor");
        call.json(200, view(call, account, done));
    }

    static void deleteMainPlan(Router.Call call) {
        String account = call.in.pathId("account");
        call.in.body(false);
        Answer done = call.run(new Target.OfAccount(account, false), new Command.EndMainPlan(), "body");
        call.json(200, view(call, account, done));
    }

    /** {@code POST .../ai-plan}: books an AI plan; 201 with the account. */
    static void bookAiPlan(Router.Call call) {
        String account = call.in.pathId("account");
        call.in.body(true, "plan");
        String plan = call.in.requiredText("plan", PLAN_LENGTH_MAX);
        Answer done = call.run(new Target.OfAccount(account, true), new Command.BookAiPlan(plan), "plan");
        call.json(201, view(call, account, done));
    }

    static void changeAiPlan(Router.Call call) {
        String account = call.in.pathId("account");
        call.in.body(true, "plan");
        String plan = call.in.requiredText("plan", PLAN_LENGTH_MAX);
        Answer done = call.run(new Target.OfAccount(account, false), new Command.ChangeAiPlan(plan), "plan");
        call.json(200, view(call, account, done));
    }

    /** {@code DELETE .../ai-plan?when=period_end|now}: by default at the period's end. */
    static void cancelAiPlan(Router.Call call) {
        String account = call.in.pathId("account");
        call.in.allowQuery("when").body(false);
        String when = call.in.query("when").orElse("period_end");
        if (!when.equals("period_end") && !when.equals("now")) call.in.error("query.when", "must be period_end or now");
        Answer done = call.run(new Target.OfAccount(account, false), new Command.CancelAiPlan(when.equals("now")), "query.when");
        call.json(200, view(call, account, done));
    }

    static void balance(Router.Call call) {
        String account = call.in.pathId("account");
        call.in.allowQuery().check();
        call.json(200, Views.BalanceView.of(read(call, account).balance()));
    }

    /** {@code POST .../grants}: {@code {credits, expiresAt?, reason}}; the operator is the key's name. */
    static void grant(Router.Call call) {
        String account = call.in.pathId("account");
        call.in.body(true, "credits", "expiresAt", "reason");
        long credits = call.in.requiredLong("credits", 1, GRANT_CREDITS_MAX);
        Optional<Instant> expiresAt = call.in.optionalInstant("expiresAt");
        String reason = call.in.requiredText("reason", Input.TEXT_LENGTH_MAX);
        String operator = call.caller.name();
        Answer.Granted g = (Answer.Granted) call.run(new Target.OfAccount(account, false),
                new Command.ManualGrant(credits, expiresAt, reason, operator), "expiresAt");
        call.json(201, new Views.GrantView(g.grantSeq(), g.credits(), g.expiresAt(), reason, operator, g.account(),
                g.available()));
    }

    /**
     * The account as the command left it, which a replay answers too; answers stored before they
     * carried it answer the account as it is now.
     */
    private static Views.AccountView view(Router.Call call, String account, Answer answer) {
        if (answer instanceof Answer.Ok ok && ok.after() != null) return Views.AccountView.of(ok.after());
        return Views.AccountView.of(call.engine().read(account).orElseThrow());
    }

    static Account read(Router.Call call, String account) {
        return call.engine().read(account).orElseThrow(() -> new ApiException(
                Refusals.problem(io.credits.account.RefusalCode.NOT_FOUND, "no account '" + account + "'")));
    }

    private static ZoneId zone(Input in, String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            in.error("timeZone", "must be an IANA time zone such as Europe/Paris or UTC");
            return null;
        }
    }

    private static Term term(Input in, String s) {
        if (s.isEmpty()) return null; // reported as missing
        return Term.parse(s).orElseGet(() -> {
            in.error("term", "must be monthly or yearly");
            return null;
        });
    }
}
