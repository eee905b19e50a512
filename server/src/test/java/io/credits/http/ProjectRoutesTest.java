package io.credits.http;

import io.credits.http.TestClient.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.credits.http.TestClient.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves projects, members and the AI-access answer over raw HTTP: who may start AI actions in a
 * project, whose credits they spend, how many are left and what an editor is told.
 */
class ProjectRoutesTest {
    static ApiServer server;
    static TestClient admin;

    @BeforeAll
    static void start() {
        server = ApiServer.start();
        admin = server.admin;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void putProject_200_ownedByTheAccount_otherOwnerIs409_unknownAccountIs404() {
        admin.put("/v1/accounts/pr-a", null);
        admin.put("/v1/accounts/pr-b", null);
        Resp p = admin.put("/v1/projects/pr-site", obj("account", "pr-a"));
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.text("id")).isEqualTo("pr-site");
        assertThat(p.text("account")).isEqualTo("pr-a");
        assertThat(admin.put("/v1/projects/pr-site", obj("account", "pr-a")).status()).as("again").isEqualTo(200);
        assertThat(admin.put("/v1/projects/pr-site", obj("account", "pr-b")).code()).isEqualTo("conflict");
        assertThat(admin.put("/v1/projects/pr-other", obj("account", "nobody")).code()).isEqualTo("not_found");
    }

    @Test
    void members_putAndDelete_unknownProjectIs404_badRoleIs400() {
        admin.put("/v1/accounts/pr-c", null);
        admin.put("/v1/projects/pr-site2", obj("account", "pr-c"));
        Resp m = admin.put("/v1/projects/pr-site2/members/alice", obj("role", "editor"));
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.json()).isEqualTo(TestClient.JSON.valueToTree(obj("project", "pr-site2", "user", "alice",
                "role", "editor")));
        assertThat(admin.put("/v1/projects/pr-site2/members/alice", obj("role", "owner")).status()).isEqualTo(400);
        assertThat(admin.delete("/v1/projects/pr-site2/members/alice").status()).isEqualTo(204);
        assertThat(admin.put("/v1/projects/nowhere/members/alice", obj("role", "editor")).code()).isEqualTo("not_found");
        assertThat(admin.delete("/v1/projects/nowhere/members/alice").code()).isEqualTo("not_found");
    }

    @Test
    void removedEditor_losesAccessAtOnce() {
        server.accountWithCredits("pr-d");
        admin.put("/v1/projects/pr-site3", obj("account", "pr-d"));
        admin.put("/v1/projects/pr-site3/members/bob", obj("role", "editor"));
        assertThat(server.spend.post("/v1/uses", obj("project", "pr-site3", "user", "bob", "feature", "ai_image"))
                .status()).isEqualTo(201);
        admin.delete("/v1/projects/pr-site3/members/bob");
        assertThat(server.spend.post("/v1/uses", obj("project", "pr-site3", "user", "bob", "feature", "ai_image"))
                .code()).isEqualTo("forbidden");
    }

    @Test
    void aiAccess_ownerEditorViewerStranger() {
        server.accountWithCredits("pr-e");
        admin.put("/v1/projects/pr-site4", obj("account", "pr-e"));
        admin.put("/v1/projects/pr-site4/members/ed", obj("role", "editor"));
        admin.put("/v1/projects/pr-site4/members/vi", obj("role", "viewer"));

        Resp owner = server.spend.get("/v1/projects/pr-site4/ai-access?user=pr-e");
        assertThat(owner.status()).isEqualTo(200);
        assertThat(owner.json().get("allowed").asBoolean()).isTrue();
        assertThat(owner.text("account")).isEqualTo("pr-e");
        assertThat(owner.num("available")).isEqualTo(1000);
        assertThat(owner.text("role")).isEqualTo("owner");
        assertThat(owner.json().get("notice").isNull()).isTrue();

        Resp editor = server.read.get("/v1/projects/pr-site4/ai-access?user=ed");
        assertThat(editor.json().get("allowed").asBoolean()).isTrue();
        assertThat(editor.text("notice")).isEqualTo(Views.EDITOR_NOTICE);

        Resp viewer = server.read.get("/v1/projects/pr-site4/ai-access?user=vi");
        assertThat(viewer.json().get("allowed").asBoolean()).isFalse();
        assertThat(viewer.text("role")).isEqualTo("viewer");
        assertThat(viewer.text("reason")).contains("not the owner or an editor");

        Resp stranger = server.read.get("/v1/projects/pr-site4/ai-access?user=zed");
        assertThat(stranger.json().get("allowed").asBoolean()).isFalse();
        assertThat(stranger.text("role")).isEqualTo("none");
    }

    @Test
    void aiAccess_ownerWithoutCredits_editorIsToldTheOwnerHasNoneLeft() {
        admin.put("/v1/accounts/pr-f", null);
        admin.put("/v1/projects/pr-site5", obj("account", "pr-f"));
        admin.put("/v1/projects/pr-site5/members/ed", obj("role", "editor"));
        Resp editor = server.read.get("/v1/projects/pr-site5/ai-access?user=ed");
        assertThat(editor.json().get("allowed").asBoolean()).isFalse();
        assertThat(editor.num("available")).isZero();
        assertThat(editor.text("notice")).isEqualTo("the owner of this project has no AI credits left");
    }

    @Test
    void aiAccess_missingUserIs400_unknownProjectIs404() {
        Resp missing = server.read.get("/v1/projects/pr-site4/ai-access");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("errors").get(0).get("field").asText()).isEqualTo("query.user");
        assertThat(server.read.get("/v1/projects/nowhere/ai-access?user=u").code()).isEqualTo("not_found");
    }
}
