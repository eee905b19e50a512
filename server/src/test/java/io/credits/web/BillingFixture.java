package io.credits.web;

import io.credits.testing.MutableClock;
import io.credits.account.Actor;
import io.credits.account.Answer;
import io.credits.account.Balance;
import io.credits.account.Command;
import io.credits.account.Outcome;
import io.credits.catalog.CatalogLoader;
import io.credits.plan.Term;
import io.credits.project.Role;
import io.credits.store.Database;
import io.credits.store.EmbeddedServer;
import io.credits.store.Engine;
import io.credits.store.Verifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A fresh database, an engine on a clock the test moves, and the billing page on both; ledger verified after each test. */
abstract class BillingFixture {
    static final Map<String, String> SAME_SITE = Map.of("Host", "localhost:7070", "Origin", "http://localhost:7070");

    Database db;
    MutableClock clock;
    Engine engine;
    PortalLinks links;
    BillingPage page;

    @BeforeEach
    void open() {
        db = EmbeddedServer.shared().freshDatabase();
        clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        engine = new Engine(db.dataSource(), CatalogLoader.defaultCatalog(), clock, ZoneOffset.UTC, 2);
        links = PortalLinks.fromDatabase(db.dataSource(), clock.instant());
        page = new BillingPage(engine, links);
    }

    @AfterEach
    void close() {
        engine.close();
        assertThat(Verifier.verify(db.dataSource(), CatalogLoader.defaultCatalog()).violations()).isEmpty();
        db.close();
    }

    void at(String localDateTime, ZoneId zone) {
        clock.set(LocalDateTime.parse(localDateTime).atZone(zone).toInstant());
    }

    Answer done(Engine.Target target, Command command) {
        Outcome o = engine.execute(new Engine.Request(target, command, UUID.randomUUID().toString()));
        assertThat(o).as("%s", command).isInstanceOf(Outcome.Done.class);
        return ((Outcome.Done) o).answer();
    }

    Answer owner(String account, Command command) {
        return done(new Engine.Target.OfAccount(account, true), command);
    }

    /** An account in a zone, on a monthly main plan anchored now, with an AI plan booked now. */
    void openAccount(String account, ZoneId zone, String aiPlan) {
        owner(account, new Command.UpdateAccount(Optional.empty(), Optional.of(zone)));
        owner(account, new Command.SetMainPlan("PRO", Optional.of(Term.MONTHLY), Optional.of(clock.instant())));
        owner(account, new Command.BookAiPlan(aiPlan));
    }

    void editorIn(String account, String project, String user) {
        owner(account, new Command.CreateProject(project));
        owner(account, new Command.SetMember(project, user, Optional.of(Role.EDITOR)));
    }

    Answer use(String account, String feature, long times) {
        return owner(account, new Command.Use(Actor.owner(account), feature, times));
    }

    Answer useInProject(String project, String user, String feature, long times) {
        return done(new Engine.Target.OfProject(project), new Command.Use(Actor.inProject(project, user), feature, times));
    }

    Balance balance(String account) {
        return engine.read(account).orElseThrow().balance();
    }

    /** A link to the account's page, made now, and its query. */
    Map<String, String> link(String account) {
        return Html.query(page.createSession(account, Duration.ofHours(2)).orElseThrow().path());
    }

    String html(String account) {
        return get(account, link(account)).body();
    }

    WebResponse get(String account, Map<String, String> query) {
        return page.get(account, query);
    }

    WebResponse get(String account, Map<String, String> query, String name, String value) {
        Map<String, String> q = new HashMap<>(query);
        q.put(name, value);
        return page.get(account, q);
    }

    /** Posts a form as the browser would: its hidden fields plus {@code extra}, to its action. */
    WebResponse submit(String account, Map<String, String> form, Map<String, String> extra, Map<String, String> headers) {
        Map<String, String> fields = new HashMap<>(form);
        String action = fields.remove("@action");
        fields.putAll(extra);
        return page.post(account, Html.query(action), fields, headers);
    }

    long charges(String account) {
        return count("SELECT count(*) FROM charges WHERE account_id = ?", account);
    }

    long count(String sql, String account) {
        try (var c = db.dataSource().getConnection(); var ps = c.prepareStatement(sql)) {
            ps.setString(1, account);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static long sum(List<Map<String, String>> rows, String attr) {
        return rows.stream().mapToLong(r -> Long.parseLong(r.get(attr))).sum();
    }
}
