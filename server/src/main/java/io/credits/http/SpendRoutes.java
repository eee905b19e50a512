package io.credits.http;

import io.credits.account.Account;
import io.credits.account.Actor;
import io.credits.account.Answer;
import io.credits.account.Command;
import io.credits.store.Engine.Target;

import java.time.Duration;
import java.util.Optional;

/**
 * Spending: uses, holds (capture, release) and refunds. A body names either {@code account} (the
 * owner acts) or {@code project} and {@code user} (an editor, or the owner, acts in a project, and
 * the project's owner is charged). The answer to an editor says whose credits were spent.
 */
final class SpendRoutes {
    /** The most credits one hold may reserve or one capture take. */
    static final long CREDITS_MAX = 1_000_000_000L;
    static final int FEATURE_LENGTH_MAX = 100;
    static final long TTL_SECONDS_DEFAULT = 600;
    static final long TTL_SECONDS_MAX = Account.HOLD_TTL_MAX.toSeconds();

    private SpendRoutes() {}

    /** Whom a spending request is for, and who acts. */
    private record Who(Target target, Actor actor) {}

    /** {@code POST /v1/uses}: charges a feature at once; 201. */
    static void use(Router.Call call) {
        call.in.body(true, "account", "project", "user", "feature");
        Who who = who(call.in);
        String feature = call.in.requiredText("feature", FEATURE_LENGTH_MAX);
        Answer.Used u = (Answer.Used) call.run(who.target(), new Command.Use(who.actor(), feature, 1), "feature");
        call.metrics().use(u.feature(), u.credits());
        call.json(201, new Views.UseView(u.useIds().getFirst(), u.credits(), u.account(), u.available(), u.userId(),
                u.projectId(), u.feature(), notice(u.account(), u.userId())));
    }

    /** {@code POST /v1/holds}: reserves a feature's cost or a number of credits; 201. */
    static void hold(Router.Call call) {
        call.in.body(true, "account", "project", "user", "feature", "credits", "ttlSeconds");
        Who who = who(call.in);
        Optional<String> feature = call.in.optionalText("feature", FEATURE_LENGTH_MAX);
        Optional<Long> credits = call.in.optionalLong("credits", 1, CREDITS_MAX);
        if (feature.isPresent() == credits.isPresent())
            call.in.error("feature", "give either feature (its cost is held) or credits, not both or neither");
        long ttl = call.in.optionalLong("ttlSeconds", 1, TTL_SECONDS_MAX).orElse(TTL_SECONDS_DEFAULT);
        Answer.Held h = (Answer.Held) call.run(who.target(),
                new Command.Reserve(who.actor(), feature, credits, Duration.ofSeconds(ttl)), "ttlSeconds");
        String user = who.actor().userId();
        call.json(201, new Views.HoldView(h.holdId(), h.credits(), h.expiresAt(), h.account(), h.available(), user,
                who.actor().projectId().orElse(null), feature.orElse(null), notice(h.account(), user)));
    }

    /** {@code POST /v1/holds/{id}/capture}: {@code {credits?}}, all held by default; 0 releases. */
    static void capture(Router.Call call) {
        String hold = call.in.pathRef("id");
        call.in.body(false, "credits");
        Optional<Long> credits = call.in.optionalLong("credits", 0, CREDITS_MAX);
        Answer.Captured c = (Answer.Captured) call.run(new Target.OfHold(hold), new Command.Capture(hold, credits),
                "credits");
        call.json(200, new Views.CaptureView(c.holdId(), c.captured() > 0 ? "captured" : "released", c.captured(),
                c.released(), c.useId(), c.account(), c.available()));
    }

    static void release(Router.Call call) {
        String hold = call.in.pathRef("id");
        call.in.body(false);
        Answer.Released r = (Answer.Released) call.run(new Target.OfHold(hold), new Command.Release(hold), "path.id");
        call.json(200, new Views.ReleaseView(r.holdId(), "released", r.released(), r.account(), r.available()));
    }

    /** {@code POST /v1/uses/{id}/refund}: the use's credits go back where they came from. */
    static void refund(Router.Call call) {
        String use = call.in.pathRef("id");
        call.in.body(false);
        Answer.Refunded r = (Answer.Refunded) call.run(new Target.OfUse(use), new Command.Refund(use), "path.id");
        call.json(200, new Views.RefundView(r.useId(), "refunded", r.credits(), r.account(), r.available()));
    }

    private static Who who(Input in) {
        Optional<String> account = in.optionalText("account", Input.ID_LENGTH_MAX);
        Optional<String> project = in.optionalText("project", Input.ID_LENGTH_MAX);
        Optional<String> user = in.optionalText("user", Input.ID_LENGTH_MAX);
        if (account.isPresent() == project.isPresent()) {
            in.error("account", "give either account (its owner acts) or project and user (who acts in the project)");
            return new Who(new Target.OfAccount("", false), Actor.owner(""));
        }
        if (project.isPresent()) {
            if (user.isEmpty()) in.error("user", "is required with project: the user who acts");
            return new Who(new Target.OfProject(project.get()), Actor.inProject(project.get(), user.orElse("")));
        }
        if (user.isPresent() && !user.get().equals(account.get()))
            in.error("user", "with account the owner acts: leave user out, or name the project an editor acts in");
        return new Who(new Target.OfAccount(account.get(), false), Actor.owner(account.get()));
    }

    /** For an editor (who is not the account), the notice that the owner's credits are spent. */
    static String notice(String account, String user) {
        return user == null || user.equals(account) ? null : Views.EDITOR_NOTICE;
    }
}
