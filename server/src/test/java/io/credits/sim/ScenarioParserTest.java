package io.credits.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

import io.credits.catalog.CatalogLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves that every scenario key of SCENARIOS.md parses as written, and that every malformed file is refused with its line and reason. */
class ScenarioParserTest {

    private static final Path FILE = Path.of("t.yaml");

    // ---- the shared examples ----

    @Test
    void allSharedExamples_parse() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(examples())) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }

        assertThat(files).hasSize(18);
        for (Path f : files) {
            Scenario s = ScenarioParser.parse(f);
            assertThat(s.steps()).as(f.toString()).isNotEmpty();
            assertThat(s.name()).as(f.toString()).isNotBlank();
            s.catalogFile().ifPresent(CatalogLoader::load);
            for (int i = 0; i < s.steps().size(); i++) {
                assertThat(s.steps().get(i).number()).isEqualTo(i + 1);
            }
        }
    }

    @Test
    void example13_readsTheTimezoneAndInstantsWithOffsets() {
        Scenario s = example("13_timezone_dst.yaml");

        assertThat(s.timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(s.catalogFile()).isEmpty();
        assertThat(s.steps().get(0).at()).isEqualTo(Instant.parse("2026-02-28T23:00:00Z"));
        assertThat(s.steps().get(0).line()).isEqualTo(4);
        assertThat(s.steps().get(0).action()).isEqualTo(new Action.MainPlan("acme", "ESSENTIAL", "monthly", Optional.empty()));
        assertThat(s.steps().get(1).at()).isEqualTo(Instant.parse("2026-03-14T23:30:00Z"));
        Action.Expect expect = (Action.Expect) s.steps().get(2).action();
        assertThat(expect.account()).isEqualTo("acme");
        assertThat(expect.expectation()).isEqualTo(new Expectation(OptionalLong.of(548), OptionalLong.empty(),
                OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
                Optional.empty(), Optional.empty(), Optional.of(Instant.parse("2026-02-28T23:00:00Z")),
                Optional.of(Instant.parse("2026-03-31T22:00:00Z")), OptionalLong.of(1590)));
    }

    @Test
    void example04_readsHolds_includingANegativeAmountForTheEngineToRefuse() {
        List<Step> steps = example("04_holds.yaml").steps();

        assertThat(steps).hasSize(16);
        assertThat(steps.get(1).action()).isEqualTo(new Action.Reserve(new Actor.OfAccount("acme"), Optional.empty(),
                Optional.of(100L), "h1", Duration.ofMinutes(10)));
        assertThat(steps.get(3).action()).isEqualTo(new Action.Capture("h1", Optional.of(30L)));
        assertThat(steps.get(5).action()).isEqualTo(new Action.Capture("h1", Optional.empty()));
        assertThat(steps.get(5).expectError()).contains("conflict");
        assertThat(steps.get(6).action()).isEqualTo(new Action.Reserve(new Actor.OfAccount("acme"),
                Optional.of("generate_code"), Optional.empty(), "h2", Duration.ofMinutes(10)));
        assertThat(steps.get(7).action()).isEqualTo(new Action.Release("h2"));
        assertThat(((Action.Reserve) steps.get(9).action()).ttl()).isEqualTo(Duration.ofMinutes(5));
        Step last = steps.get(15);
        assertThat(last.number()).isEqualTo(16);
        assertThat(last.line()).isEqualTo(38);
        assertThat(last.at()).isEqualTo(Instant.parse("2026-01-02T12:09:00Z"));
        assertThat(last.action()).isEqualTo(new Action.Reserve(new Actor.OfAccount("acme"), Optional.empty(),
                Optional.of(-5L), "h5", Duration.ofMinutes(10)));
        assertThat(last.expectError()).contains("invalid_request");
    }

    @Test
    void example17_resolvesTheCatalogAgainstTheScenarioFolder() {
        Scenario s = example("17_catalog_half_even.yaml");

        assertThat(s.catalogFile()).contains(examples().toAbsolutePath().resolve("catalogs/halfeven.yaml").normalize());
        assertThat(s.catalogFile().orElseThrow()).isRegularFile();
        assertThat(s.name()).isEqualTo("a catalog file; prorated prices round half-even to the cent");
        assertThat(s.timezone()).isEqualTo(ZoneId.of("UTC"));
    }

    @Test
    void example09_readsProjectsMembersAndUsesInAProject() {
        List<Step> steps = example("09_editors.yaml").steps();

        assertThat(steps.get(1).action()).isEqualTo(new Action.CreateProject("site", "owner"));
        assertThat(steps.get(2).action()).isEqualTo(new Action.Member("site", "ed", "editor"));
        assertThat(steps.get(4).action()).isEqualTo(new Action.Use(new Actor.InProject("site", "ed"), "generate_section", 3, Optional.empty()));
        assertThat(steps.get(10).action()).isEqualTo(new Action.Member("site", "ed", "none"));
        assertThat(steps.get(11).action()).isEqualTo(new Action.Reserve(new Actor.InProject("site", "ed"),
                Optional.of("vibe_coding"), Optional.empty(), "x", Duration.ofMinutes(10)));
        assertThat(steps.get(11).expectError()).contains("forbidden");
    }

    @Test
    void examples_readDefaultsAndOptionalKeys() {
        List<Step> cancel = example("08_cancel.yaml").steps();
        assertThat(cancel.get(2).action()).isEqualTo(new Action.CancelAiPlan("acme", false));
        assertThat(cancel.get(10).action()).isEqualTo(new Action.CancelAiPlan("acme", true));
        assertThat(cancel.get(1).action()).isEqualTo(new Action.Grant("acme", 50, Optional.empty(), "support"));

        List<Step> features = example("10_features.yaml").steps();
        assertThat(features.get(1).action()).isEqualTo(new Action.Use(new Actor.OfAccount("basic"), "ai_writer", 1, Optional.empty()));
        assertThat(features.get(8).action()).isEqualTo(new Action.Use(new Actor.OfAccount("ess"), "ai_writer", 0, Optional.empty()));
        assertThat(features.get(3).action()).isEqualTo(new Action.MainPlan("ess", "ESSENTIAL", "yearly", Optional.empty()));

        List<Step> refunds = example("15_refund.yaml").steps();
        assertThat(refunds.get(1).action()).isEqualTo(new Action.Use(new Actor.OfAccount("acme"), "generate_page", 1, Optional.of("broken")));
        assertThat(refunds.get(3).action()).isEqualTo(new Action.Refund("broken"));

        List<Step> grants = example("16_idle_and_manual_grants.yaml").steps();
        assertThat(grants.get(2).action()).isEqualTo(new Action.Grant("acme", 300,
                Optional.of(Instant.parse("2026-03-15T00:00:00Z")), "apology"));
        assertThat(grants.get(3).action()).isEqualTo(new Action.Grant("acme", 0, Optional.empty(), "nothing"));

        Action.Expect first = (Action.Expect) example("01_article_proration.yaml").steps().get(4).action();
        assertThat(first.expectation().plan()).contains("T1000");
        assertThat(first.expectation().nextPlan()).contains("T1000");
        assertThat(first.expectation().chargedCents()).hasValue(1547);
        assertThat(first.expectation().carriedOver()).hasValue(0);

        assertThat(example("06_upgrade.yaml").steps().get(3).action()).isEqualTo(new Action.ChangeAiPlan("acme", "T2000"));
    }

    @Test
    void minimalFile_takesTheDefaults() {
        Scenario s = parse("""
                steps:
                  - at: 2026-01-01T00:00:00Z
                    main_plan: {account: a, plan: PRO, term: monthly, anchor: 2025-12-15T00:00:00+01:00}
                  - at: 2026-01-01T00:00:00Z
                    cancel_main_plan: {account: a}
                """);

        assertThat(s.name()).isEqualTo("t.yaml");
        assertThat(s.timezone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(s.catalogFile()).isEmpty();
        assertThat(s.steps().get(0).action()).isEqualTo(new Action.MainPlan("a", "PRO", "monthly",
                Optional.of(Instant.parse("2025-12-14T23:00:00Z"))));
        assertThat(s.steps().get(1).action()).isEqualTo(new Action.CancelMainPlan("a"));
        assertThat(s.steps().get(1).line()).isEqualTo(4);
    }

    @Test
    void catalogDefault_meansNoFile() {
        assertThat(parse("catalog: default\nsteps:\n  - {at: 2026-01-01T00:00:00Z, cancel_main_plan: {account: a}}\n")
                .catalogFile()).isEmpty();
    }

    @Test
    void quotedInstant_isReadAsText() {
        assertThat(parse("steps:\n  - {at: '2026-01-01T00:00:00Z', release: {hold: h}}\n").steps().get(0).at())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    // ---- file errors: the file ----

    @Test
    void missingFile_isRefused(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> ScenarioParser.parse(file))
                .isInstanceOf(ScenarioFileException.class)
                .hasMessage(file + ": cannot read the file: it does not exist");
    }

    @Test
    void fileThatIsNotUtf8_isRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'s', ':', ' ', (byte) 0xE9});

        assertThatThrownBy(() -> ScenarioParser.parse(file)).hasMessage(file + ": cannot read the file: it is not UTF-8 text");
    }

    @Test
    void fileThatIsNotYaml_isRefused_withTheLine() {
        assertThat(refusal("steps:\n  - at: 2026-01-01T00:00:00Z\n    use: {account: a, feature: x\n  - at: x\n"))
                .startsWith("t.yaml line 4: not valid YAML: ");
    }

    @Test
    void emptyFile_isRefused() {
        assertThat(refusal("")).isEqualTo("t.yaml line 1: expected a mapping with keys name, timezone, catalog, steps, found an empty file");
    }

    @Test
    void fileThatIsNotAMapping_isRefused() {
        assertThat(refusal("# a comment\njust text\n"))
                .isEqualTo("t.yaml line 2: expected a mapping with keys name, timezone, catalog, steps, found 'just text'");
    }

    @Test
    void unknownTopLevelKey_isRefused() {
        assertThat(refusal("name: x\nstpes: []\n"))
                .isEqualTo("t.yaml line 2: unknown top-level key 'stpes' (expected: name, timezone, catalog, steps)");
    }

    @Test
    void duplicateTopLevelKey_isRefused() {
        assertThat(refusal("name: x\nname: y\nsteps: []\n")).isEqualTo("t.yaml line 2: key 'name' given twice (first at line 1): keep one");
    }

    @Test
    void missingSteps_isRefused() {
        assertThat(refusal("name: x\n")).isEqualTo("t.yaml line 1: missing key 'steps': a list of steps, each with 'at' and one action");
    }

    @Test
    void stepsThatAreNotAList_isRefused() {
        assertThat(refusal("name: x\nsteps: {at: 2026-01-01T00:00:00Z}\n"))
                .isEqualTo("t.yaml line 2: steps must be a list of steps, each with 'at' and one action, found a mapping");
    }

    @Test
    void emptySteps_isRefused() {
        assertThat(refusal("steps: []\n")).isEqualTo("t.yaml line 1: steps is empty: a scenario needs at least one step");
    }

    @Test
    void badTimezone_isRefused() {
        assertThat(refusal("timezone: Europe/Berln\n" + ONE_STEP))
                .isEqualTo("t.yaml line 1: timezone 'Europe/Berln' is not an IANA time-zone id (such as UTC or Europe/Berlin)");
        assertThat(refusal("timezone: +01:00\n" + ONE_STEP)).startsWith("t.yaml line 1: timezone '+01:00' is not an IANA");
    }

    @Test
    void missingCatalogFile_isRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, "catalog: catalogs/nope.yaml\n" + ONE_STEP);

        assertThatThrownBy(() -> ScenarioParser.parse(file)).hasMessage(file + " line 1: catalog file 'catalogs/nope.yaml'"
                + " not found (looked for " + dir.resolve("catalogs/nope.yaml") + "): give 'default' or a path relative to this file");
    }

    @Test
    void catalogPath_isResolvedAgainstTheScenarioFolder(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("sub/cat"));
        Files.writeString(dir.resolve("sub/cat/c.yaml"), "main_plans: [FREE]\n");
        Path file = dir.resolve("sub/s.yaml");
        Files.writeString(file, "catalog: ./cat/../cat/c.yaml\n" + ONE_STEP);

        assertThat(ScenarioParser.parse(file).catalogFile()).contains(dir.resolve("sub/cat/c.yaml"));
    }

    // ---- file errors: steps ----

    @Test
    void stepThatIsNotAMapping_isRefused() {
        assertThat(refusal("steps:\n  - at 2026-01-01T00:00:00Z\n"))
                .isEqualTo("t.yaml line 2: step 1: must be a mapping with 'at' and one action, found 'at 2026-01-01T00:00:00Z'");
    }

    @Test
    void stepWithoutAt_isRefused() {
        assertThat(refusal(ONE_STEP + "  - release: {hold: h}\n"))
                .isEqualTo("t.yaml line 4: step 2: missing 'at': the step's instant, such as 2026-01-01T00:00:00Z");
    }

    @Test
    void instantWithoutOffset_isRefused() {
        assertThat(refusal("steps:\n  - at: 2026-01-01T00:00:00\n    release: {hold: h}\n"))
                .isEqualTo("t.yaml line 2: step 1: at must be an ISO-8601 instant with offset, found '2026-01-01T00:00:00':"
                        + " it lacks the offset (add Z for UTC, or one such as +01:00)");
    }

    @Test
    void badInstant_isRefused() {
        assertThat(refusal("steps:\n  - at: 2026-02-30T00:00:00Z\n    release: {hold: h}\n"))
                .isEqualTo("t.yaml line 2: step 1: at must be an ISO-8601 instant with offset, found '2026-02-30T00:00:00Z'"
                        + " (such as 2026-01-01T00:00:00Z or 2026-03-01T00:00:00+01:00)");
        assertThat(refusal("steps:\n  - at: 2026-01-01\n    release: {hold: h}\n"))
                .startsWith("t.yaml line 2: step 1: at must be an ISO-8601 instant with offset, found '2026-01-01' (such as");
    }

    @Test
    void stepEarlierThanTheOneBefore_isRefused() {
        assertThat(refusal("""
                steps:
                  - at: 2026-01-02T00:00:00Z
                    release: {hold: h}
                  - at: 2026-01-02T00:00:00+01:00
                    release: {hold: h}
                """)).isEqualTo("t.yaml line 4: step 2: at 2026-01-01T23:00:00Z is earlier than step 1's"
                + " 2026-01-02T00:00:00Z: steps never go back in time");
    }

    @Test
    void stepsAtTheSameInstant_areAccepted() {
        assertThat(parse(ONE_STEP + "  - at: 2026-01-01T01:00:00+01:00\n    release: {hold: h}\n").steps()).hasSize(2);
    }

    @Test
    void stepWithoutAction_isRefused() {
        assertThat(refusal("steps:\n  - at: 2026-01-01T00:00:00Z\n    expect_error: conflict\n"))
                .isEqualTo("t.yaml line 2: step 1: no action (expected one of main_plan, cancel_main_plan, book_ai_plan,"
                        + " change_ai_plan, cancel_ai_plan, project, member, use, reserve, capture, release, refund, grant, expect)");
    }

    @Test
    void stepWithTwoActions_isRefused() {
        assertThat(refusal("steps:\n  - at: 2026-01-01T00:00:00Z\n    release: {hold: h}\n    refund: {use: u}\n"))
                .isEqualTo("t.yaml line 4: step 1: two actions, 'release' and 'refund': a step has exactly one"
                        + " (write two steps at the same instant)");
    }

    @Test
    void unknownStepKey_isRefused() {
        assertThat(refusal("steps:\n  - at: 2026-01-01T00:00:00Z\n    release: {hold: h}\n    expect_errors: conflict\n"))
                .startsWith("t.yaml line 4: step 1: unknown key 'expect_errors' (expected: at, expect_error and one action of main_plan, ");
    }

    @Test
    void duplicateStepKey_isRefused() {
        assertThat(refusal("steps:\n  - at: 2026-01-01T00:00:00Z\n    at: 2026-01-02T00:00:00Z\n    release: {hold: h}\n"))
                .isEqualTo("t.yaml line 3: step 1: key 'at' given twice (first at line 2): keep one");
    }

    @Test
    void unknownErrorCode_isRefused() {
        assertThat(refusal("steps:\n  - at: 2026-01-01T00:00:00Z\n    release: {hold: h}\n    expect_error: gone\n"))
                .isEqualTo("t.yaml line 4: step 1: unknown error code 'gone' in expect_error (expected one of insufficient_credits,"
                        + " feature_not_in_plan, forbidden, not_found, hold_expired, conflict, invalid_request, idempotency_conflict)");
    }

    @Test
    void expectErrorOnExpect_isRefused() {
        assertThat(refusal("steps:\n  - at: 2026-01-01T00:00:00Z\n    expect: {account: a, available: 0}\n    expect_error: conflict\n"))
                .isEqualTo("t.yaml line 4: step 1: expect_error cannot stand on expect: an expect step compares, it does not act");
    }

    // ---- file errors: actions ----

    @Test
    void unknownKeyInAnAction_isRefused_listingTheKeys() {
        Throwable thrown = catchThrowable(() -> ScenarioParser.parse(Path.of("04_holds.yaml"), """
                name: holds
                steps:
                  - at: 2026-01-01T00:00:00Z
                    book_ai_plan: {account: acme, plan: T1000}
                  - at: 2026-01-02T10:00:00Z
                    reserve: {account: acme, credits: 100, hold: h1}
                  # a comment
                  # and another

                  - at: 2026-01-02T10:00:00Z
                    use:
                      acount: acme
                      feature: vibe_coding
                """));

        assertThat(thrown).isInstanceOf(ScenarioFileException.class).hasMessage("04_holds.yaml line 12: step 3: unknown key"
                + " 'acount' in use (expected: feature, times, account, project, user, name)");
        assertThat(((ScenarioFileException) thrown).line()).isEqualTo(12);
    }

    @Test
    void actionThatIsNotAMapping_isRefused() {
        assertThat(refusal(step("cancel_main_plan: acme")))
                .isEqualTo("t.yaml line 3: step 1: cancel_main_plan must be a mapping of account, found 'acme'");
    }

    @Test
    void missingRequiredKey_isRefused() {
        assertThat(refusal(step("book_ai_plan: {account: a}")))
                .isEqualTo("t.yaml line 3: step 1: book_ai_plan needs 'plan' (keys: account, plan)");
        assertThat(refusal(step("grant: {account: a, credits: 5}")))
                .isEqualTo("t.yaml line 3: step 1: grant needs 'reason' (keys: account, credits, expires, reason)");
    }

    @Test
    void duplicateKeyInAnAction_isRefused() {
        assertThat(refusal(step("use: {account: a, feature: f, feature: g}")))
                .isEqualTo("t.yaml line 3: step 1: key 'feature' given twice (first at line 3): keep one");
    }

    @Test
    void textKeyWithNothing_isRefused() {
        assertThat(refusal(step("release: {hold: }")))
                .isEqualTo("t.yaml line 3: step 1: release.hold must be text, found nothing");
        assertThat(refusal(step("release: {hold: [a, b]}")))
                .isEqualTo("t.yaml line 3: step 1: release.hold must be text, found a list");
    }

    @Test
    void nonIntegerNumber_isRefused() {
        assertThat(refusal(step("use: {account: a, feature: f, times: five}")))
                .isEqualTo("t.yaml line 3: step 1: use.times must be a whole number in decimal digits, found 'five'");
        assertThat(refusal(step("grant: {account: a, credits: 1.5, reason: r}")))
                .isEqualTo("t.yaml line 3: step 1: grant.credits must be a whole number in decimal digits, found '1.5'");
        assertThat(refusal(step("capture: {hold: h, credits: '5'}")))
                .isEqualTo("t.yaml line 3: step 1: capture.credits must be a whole number in decimal digits, found '5'");
        assertThat(refusal(step("capture: {hold: h, credits: 0x10}")))
                .isEqualTo("t.yaml line 3: step 1: capture.credits must be a whole number in decimal digits, found '0x10'");
    }

    @Test
    void numberBeyondALong_isRefused() {
        assertThat(refusal(step("capture: {hold: h, credits: 9223372036854775808}")))
                .isEqualTo("t.yaml line 3: step 1: capture.credits '9223372036854775808' is too large");
    }

    @Test
    void numbersOutOfRange_areKeptForTheEngine() {
        Scenario s = parse(step("use: {account: a, feature: f, times: -3}"));

        assertThat(s.steps().get(0).action()).isEqualTo(new Action.Use(new Actor.OfAccount("a"), "f", -3, Optional.empty()));
    }

    @Test
    void notABoolean_isRefused() {
        assertThat(refusal(step("cancel_ai_plan: {account: a, immediately: 'yes'}")))
                .isEqualTo("t.yaml line 3: step 1: cancel_ai_plan.immediately must be true or false, found 'yes'");
    }

    @Test
    void accountAndProject_isRefused() {
        assertThat(refusal(step("use: {account: a, project: p, user: u, feature: f}")))
                .isEqualTo("t.yaml line 3: step 1: use names both account and project: give either account, or project and user");
    }

    @Test
    void neitherAccountNorProject_isRefused() {
        assertThat(refusal(step("use: {feature: f}")))
                .isEqualTo("t.yaml line 3: step 1: use names no one to act: give either account, or project and user");
    }

    @Test
    void projectWithoutUser_isRefused() {
        assertThat(refusal(step("reserve: {project: p, credits: 5, hold: h}")))
                .isEqualTo("t.yaml line 3: step 1: reserve names a project but no user: give either account, or project and user");
        assertThat(refusal(step("use: {user: u, feature: f}")))
                .isEqualTo("t.yaml line 3: step 1: use names a user but no project: give either account, or project and user");
    }

    @Test
    void reserveWithFeatureAndCredits_isRefused() {
        assertThat(refusal(step("reserve: {account: a, feature: f, credits: 5, hold: h}")))
                .isEqualTo("t.yaml line 3: step 1: reserve names both feature and credits: hold either a feature's cost or a number of credits");
    }

    @Test
    void reserveWithNeitherFeatureNorCredits_isRefused() {
        assertThat(refusal(step("reserve: {account: a, hold: h}")))
                .isEqualTo("t.yaml line 3: step 1: reserve needs 'feature' or 'credits': what to hold");
    }

    @Test
    void badDuration_isRefused() {
        assertThat(refusal(step("reserve: {account: a, credits: 5, hold: h, ttl: 10m}")))
                .isEqualTo("t.yaml line 3: step 1: reserve.ttl must be an ISO-8601 duration such as PT10M or PT30S, found '10m'");
    }

    @Test
    void badInstantInAnAction_isRefused() {
        assertThat(refusal(step("grant: {account: a, credits: 5, reason: r, expires: tomorrow}")))
                .startsWith("t.yaml line 3: step 1: grant.expires must be an ISO-8601 instant with offset, found 'tomorrow'");
        assertThat(refusal(step("expect: {account: a, period_end: 2026-02-01}")))
                .startsWith("t.yaml line 3: step 1: expect.period_end must be an ISO-8601 instant with offset, found '2026-02-01'");
    }

    @Test
    void unknownExpectField_isRefused() {
        assertThat(refusal(step("expect: {account: a, avaliable: 5}")))
                .startsWith("t.yaml line 3: step 1: unknown key 'avaliable' in expect (expected: account, available, held,");
    }

    @Test
    void expectWithoutFields_isRefused() {
        assertThat(refusal(step("expect: {account: a}")))
                .startsWith("t.yaml line 3: step 1: expect names no field to compare (fields: available, held, ");
    }

    @Test
    void expectWithEveryField_parses() {
        Scenario s = parse(step("""
                expect: {account: a, available: 1, held: 2, carried_over: 3, current: 4, used_this_period: 5,
                             will_carry_over: 6, will_expire: 7, plan: FREE, next_plan: none,
                             period_start: 2026-01-01T00:00:00Z, period_end: 2026-02-01T01:00:00+01:00, charged_cents: 8}"""));

        assertThat(s.steps().get(0).action()).isEqualTo(new Action.Expect("a", new Expectation(OptionalLong.of(1),
                OptionalLong.of(2), OptionalLong.of(3), OptionalLong.of(4), OptionalLong.of(5), OptionalLong.of(6),
                OptionalLong.of(7), Optional.of("FREE"), Optional.of("none"), Optional.of(Instant.parse("2026-01-01T00:00:00Z")),
                Optional.of(Instant.parse("2026-02-01T00:00:00Z")), OptionalLong.of(8))));
    }

    // ---- helpers ----

    private static final String ONE_STEP = "steps:\n  - at: 2026-01-01T00:00:00Z\n    release: {hold: h}\n";

    /** A file whose single step has its action on line 3. */
    private static String step(String action) {
        return "steps:\n  - at: 2026-01-01T00:00:00Z\n    " + action + "\n";
    }

    private static Scenario parse(String yaml) {
        return ScenarioParser.parse(FILE, yaml);
    }

    private static String refusal(String yaml) {
        Throwable thrown = catchThrowable(() -> ScenarioParser.parse(FILE, yaml));
        assertThat(thrown).isInstanceOf(ScenarioFileException.class);
        return thrown.getMessage();
    }

    private static Path examples() {
        try {
            return Path.of(Objects.requireNonNull(ScenarioParserTest.class.getResource("/scenarios/shared-examples")).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Scenario example(String name) {
        return ScenarioParser.parse(examples().resolve(name));
    }
}
