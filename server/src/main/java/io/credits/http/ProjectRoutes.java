package io.credits.http;

import io.credits.account.Account;
import io.credits.account.Command;
import io.credits.account.RefusalCode;
import io.credits.project.Role;
import io.credits.store.Engine.Target;
import io.credits.store.Reports;

import java.util.Optional;

/**
 * Projects and their members. A project belongs to one account for life; its editors spend the
 * owner's credits. Member changes go to the owner's account, so they are ordered with its uses.
 */
final class ProjectRoutes {
    private ProjectRoutes() {}

    /** {@code PUT /v1/projects/{project}}: {@code {account}}; the account must exist. */
    static void put(Router.Call call) {
        String project = call.in.pathId("project");
        call.in.body(true, "account");
        String account = call.in.requiredText("account", Input.ID_LENGTH_MAX);
        call.run(new Target.OfAccount(account, false), new Command.CreateProject(project), "account");
        call.json(200, new Views.ProjectView(project, account));
    }

    /** {@code PUT .../members/{user}}: {@code {role: editor|viewer}}. */
    static void putMember(Router.Call call) {
        String project = call.in.pathId("project");
        String user = call.in.pathId("user");
        call.in.body(true, "role");
        String roleText = call.in.requiredText("role", 20);
        Optional<Role> role = Role.parse(roleText);
        if (role.isEmpty() && !roleText.isEmpty()) call.in.error("role", "must be editor or viewer");
        String owner = owner(call, project);
        call.run(new Target.OfAccount(owner, false), new Command.SetMember(project, user, role), "role");
        call.json(200, new Views.MemberView(project, user, role.map(Role::code).orElse(null)));
    }

    /** {@code DELETE .../members/{user}}: 204; removing someone who is no member changes nothing. */
    static void deleteMember(Router.Call call) {
        String project = call.in.pathId("project");
        String user = call.in.pathId("user");
        call.in.body(false);
        String owner = owner(call, project);
        call.run(new Target.OfAccount(owner, false), new Command.SetMember(project, user, Optional.empty()), "path.user");
        call.noContent();
    }

    /**
     * {@code GET .../ai-access?user=U}: whether the user may start an AI action now. Allowed when
     * the user is the owner or an editor and the owner's account has credits available; a feature
     * outside the account's plans is still refused when used ({@code feature_not_in_plan}).
     */
    static void aiAccess(Router.Call call) {
        String project = call.in.pathId("project");
        call.in.allowQuery("user");
        Optional<String> user = call.in.queryText("user", Input.ID_LENGTH_MAX);
        if (user.isEmpty() && !call.in.hasErrors()) call.in.error("query.user", "is required: the user who would act");
        call.in.check();
        String owner = owner(call, project);
        Account account = AccountRoutes.read(call, owner);
        long available = account.balance().available();
        String u = user.get();
        String role = u.equals(owner) ? "owner"
                : Reports.memberRole(call.engine().dataSource(), owner, project, u).map(Role::code).orElse("none");
        boolean editor = role.equals("editor");
        boolean mayAct = editor || role.equals("owner");
        String reason = null;
        String notice = null;
        if (!mayAct) {
            reason = "user '" + u + "' is not the owner or an editor of project '" + project + "'"
                    + (role.equals("viewer") ? " (viewer)" : "");
        } else if (available <= 0) {
            reason = "the owner of this project has no AI credits left";
            if (editor) notice = io.credits.account.Account.EDITOR_NOTICE;
        } else if (editor) {
            notice = Views.EDITOR_NOTICE;
        }
        call.json(200, new Views.AiAccessView(reason == null, owner, available, role, notice, reason));
    }

    private static String owner(Router.Call call, String project) {
        call.in.check();
        return call.engine().projectOwner(project).orElseThrow(() -> new ApiException(
                Refusals.problem(RefusalCode.NOT_FOUND, "no project '" + project + "'")));
    }
}
