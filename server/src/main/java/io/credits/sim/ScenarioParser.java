package io.credits.sim;

import io.credits.catalog.YamlNodes;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a scenario file (SCENARIOS.md, a contract: every key works as written) into a
 * {@link Scenario}, or refuses it with a {@link ScenarioFileException} naming the line and the reason.
 *
 * <p>The parser checks form, not rules: a number is read as a long and kept even if negative or zero
 * ({@code reserve: {credits: -5}} parses; the engine refuses it with {@code invalid_request}), and
 * names of plans, features, terms and roles are kept as written for the engine to judge. What it
 * refuses is what no engine could run: unknown or missing keys, wrong types, bad instants and
 * durations, a step going back in time, an unknown error code.
 *
 * <p>It reads SnakeYAML's node graph ({@code compose}), not loaded objects: nodes keep their lines,
 * duplicate keys stay visible, and an instant is read from the scalar's own text instead of being
 * turned into a {@code java.util.Date}.
 */
public final class ScenarioParser {

    /** A scenario is a hand-written timeline; anything larger is a mistake. */
    public static final int FILE_BYTES_MAX = 4 << 20;
    /** Most steps in one file. */
    public static final int STEPS_MAX = 100_000;
    /** A hold's ttl when {@code reserve} gives none. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
    /** The catalog value that names the server's default catalog. */
    public static final String DEFAULT_CATALOG = "default";
    /** The codes {@code expect_error} may name (SCENARIOS.md, RULES.md "Refusals"). */
    public static final List<String> ERROR_CODES = List.of("insufficient_credits", "feature_not_in_plan", "forbidden",
            "not_found", "hold_expired", "conflict", "invalid_request", "idempotency_conflict");

    private static final List<String> TOP_KEYS = List.of("name", "timezone", "catalog", "steps");
    private static final String AT = "at";
    private static final String EXPECT_ERROR = "expect_error";
    private static final String EXPECT = "expect";
    private static final List<String> EXPECT_FIELDS = List.of("available", "held", "carried_over", "current",
            "used_this_period", "will_carry_over", "will_expire", "plan", "next_plan", "period_start", "period_end",
            "charged_cents");
    /** Each action's keys, in the order messages list them. */
    private static final Map<String, List<String>> ACTION_KEYS = actionKeys();
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(0|[1-9][0-9]*)");

    private ScenarioParser() {
    }

    private static Map<String, List<String>> actionKeys() {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        keys.put("main_plan", List.of("account", "plan", "term", "anchor"));
        keys.put("cancel_main_plan", List.of("account"));
        keys.put("book_ai_plan", List.of("account", "plan"));
        keys.put("change_ai_plan", List.of("account", "plan"));
        keys.put("cancel_ai_plan", List.of("account", "immediately"));
        keys.put("project", List.of("id", "account"));
        keys.put("member", List.of("project", "user", "role"));
        keys.put("use", List.of("feature", "times", "account", "project", "user", "name"));
        keys.put("reserve", List.of("feature", "credits", "hold", "ttl", "account", "project", "user"));
        keys.put("capture", List.of("hold", "credits"));
        keys.put("release", List.of("hold"));
        keys.put("refund", List.of("use"));
        keys.put("grant", List.of("account", "credits", "expires", "reason"));
        List<String> expect = new ArrayList<>(List.of("account"));
        expect.addAll(EXPECT_FIELDS);
        keys.put(EXPECT, List.copyOf(expect));
        return java.util.Collections.unmodifiableMap(keys);
    }

    /** The action keys a step may carry, in the order of SCENARIOS.md. */
    public static List<String> actions() {
        return List.copyOf(ACTION_KEYS.keySet());
    }

    /** Reads and parses the scenario file; errors name the file as given. */
    public static Scenario parse(Path file) {
        try {
            long bytes = Files.size(file);
            if (bytes > FILE_BYTES_MAX) {
                throw new ScenarioFileException(file, 0, "the file has " + bytes + " bytes, more than the "
                        + FILE_BYTES_MAX + " bytes a scenario may have");
            }
            return parse(file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new ScenarioFileException(file, 0, "cannot read the file: it does not exist", e);
        } catch (CharacterCodingException e) {
            throw new ScenarioFileException(file, 0, "cannot read the file: it is not UTF-8 text", e);
        } catch (IOException e) {
            throw new ScenarioFileException(file, 0, "cannot read the file: " + e, e);
        }
    }

    /**
     * Parses scenario text as if read from {@code file}: errors name {@code file}, and a
     * {@code catalog} path is resolved against its folder.
     */
    public static Scenario parse(Path file, String yamlText) {
        return new Reading(file).scenario(yamlText);
    }

    private record Entry(String key, Node keyNode, Node value) {
    }

    /** One reading of one file: holds the file that every error names. */
    private static final class Reading {
        private final Path file;

        Reading(Path file) {
            this.file = file;
        }

        Scenario scenario(String yamlText) {
            if (yamlText.length() > FILE_BYTES_MAX) {
                throw new ScenarioFileException(file, 0, "the text has " + yamlText.length()
                        + " characters, more than the " + FILE_BYTES_MAX + " a scenario may have");
            }
            Node root = compose(yamlText);
            if (!(root instanceof MappingNode)) {
                throw error(root, "expected a mapping with keys " + String.join(", ", TOP_KEYS) + ", found "
                        + (root == null ? "an empty file" : describe(root)));
            }
            Map<String, Entry> top = mapping(root, TOP_KEYS, "unknown top-level key '%s' (expected: %s)", "");
            String name = top.containsKey("name")
                    ? text(top.get("name").value(), "name must be text")
                    : String.valueOf(file.getFileName());
            ZoneId timezone = top.containsKey("timezone") ? timezone(top.get("timezone").value()) : ZoneId.of("UTC");
            Optional<Path> catalog = top.containsKey("catalog") ? catalog(top.get("catalog").value()) : Optional.empty();
            Entry stepsEntry = top.get("steps");
            if (stepsEntry == null) {
                throw error(root, "missing key 'steps': a list of steps, each with 'at' and one action");
            }
            return new Scenario(file, name, timezone, catalog, steps(stepsEntry.value()));
        }

        private Node compose(String yamlText) {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(50);
            options.setNestingDepthLimit(20);
            options.setCodePointLimit(FILE_BYTES_MAX);
            try {
                return new Yaml(options).compose(new StringReader(yamlText));
            } catch (MarkedYAMLException e) {
                Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
                String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
                String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
                throw new ScenarioFileException(file, mark == null ? 0 : mark.getLine() + 1,
                        "not valid YAML: " + problem + context, e);
            } catch (YAMLException e) {
                throw new ScenarioFileException(file, 0, "not valid YAML: " + e.getMessage(), e);
            }
        }

        private ZoneId timezone(Node node) {
            String id = text(node, "timezone must be an IANA time-zone id such as UTC or Europe/Berlin");
            if (!ZoneId.getAvailableZoneIds().contains(id)) {
                throw error(node, "timezone '" + id + "' is not an IANA time-zone id (such as UTC or Europe/Berlin)");
            }
            return ZoneId.of(id);
        }

        private Optional<Path> catalog(Node node) {
            String value = text(node, "catalog must be 'default' or a catalog file path relative to this file");
            if (value.equals(DEFAULT_CATALOG)) {
                return Optional.empty();
            }
            Path resolved;
            try {
                resolved = file.toAbsolutePath().getParent().resolve(value).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw error(node, "catalog '" + value + "' is not a file path: " + e.getReason());
            }
            if (value.isBlank() || !Files.isRegularFile(resolved)) {
                throw error(node, "catalog file '" + value + "' not found (looked for " + resolved
                        + "): give 'default' or a path relative to this file");
            }
            return Optional.of(resolved);
        }

        private List<Step> steps(Node node) {
            if (!(node instanceof SequenceNode list)) {
                throw error(node, "steps must be a list of steps, each with 'at' and one action, found "
                        + describe(node));
            }
            if (list.getValue().isEmpty()) {
                throw error(node, "steps is empty: a scenario needs at least one step");
            }
            if (list.getValue().size() > STEPS_MAX) {
                throw error(node, "steps has " + list.getValue().size() + " steps, more than the " + STEPS_MAX
                        + " a scenario may have: split it into several files");
            }
            List<Step> steps = new ArrayList<>();
            for (Node item : list.getValue()) {
                Step step = step(steps.size() + 1, item);
                if (!steps.isEmpty() && step.at().isBefore(steps.getLast().at())) {
                    Step before = steps.getLast();
                    throw error(item, "step " + step.number() + ": at " + step.at() + " is earlier than step "
                            + before.number() + "'s " + before.at() + ": steps never go back in time");
                }
                steps.add(step);
            }
            return steps;
        }

        private Step step(int number, Node node) {
            String prefix = "step " + number + ": ";
            if (!(node instanceof MappingNode)) {
                throw error(node, prefix + "must be a mapping with 'at' and one action, found " + describe(node));
            }
            Map<String, Entry> keys = mapping(node, null, null, prefix);
            Entry action = null;
            for (Entry e : keys.values()) {
                if (e.key().equals(AT) || e.key().equals(EXPECT_ERROR)) continue;
                if (!ACTION_KEYS.containsKey(e.key())) {
                    throw error(e.keyNode(), prefix + "unknown key '" + e.key() + "' (expected: at, expect_error"
                            + " and one action of " + String.join(", ", ACTION_KEYS.keySet()) + ")");
                }
                if (action != null) {
                    throw error(e.keyNode(), prefix + "two actions, '" + action.key() + "' and '" + e.key()
                            + "': a step has exactly one (write two steps at the same instant)");
                }
                action = e;
            }
            Entry at = keys.get(AT);
            if (at == null) {
                throw error(node, prefix + "missing 'at': the step's instant, such as 2026-01-01T00:00:00Z");
            }
            if (action == null) {
                throw error(node, prefix + "no action (expected one of " + String.join(", ", ACTION_KEYS.keySet()) + ")");
            }
            Instant instant = instant(at.value(), prefix + "at");
            Optional<String> expectError = Optional.empty();
            Entry code = keys.get(EXPECT_ERROR);
            if (code != null) {
                if (action.key().equals(EXPECT)) {
                    throw error(code.keyNode(), prefix + "expect_error cannot stand on expect:"
                            + " an expect step compares, it does not act");
                }
                String value = text(code.value(), prefix + "expect_error must be one of " + String.join(", ", ERROR_CODES));
                if (!ERROR_CODES.contains(value)) {
                    throw error(code.value(), prefix + "unknown error code '" + value + "' in expect_error (expected one of "
                            + String.join(", ", ERROR_CODES) + ")");
                }
                expectError = Optional.of(value);
            }
            return new Step(number, line(node), instant, action(prefix, action), expectError);
        }

        private Action action(String prefix, Entry entry) {
            Fields f = new Fields(prefix, entry);
            return switch (entry.key()) {
                case "main_plan" -> new Action.MainPlan(f.text("account"), f.text("plan"), f.text("term"),
                        f.optionalInstant("anchor"));
                case "cancel_main_plan" -> new Action.CancelMainPlan(f.text("account"));
                case "book_ai_plan" -> new Action.BookAiPlan(f.text("account"), f.text("plan"));
                case "change_ai_plan" -> new Action.ChangeAiPlan(f.text("account"), f.text("plan"));
                case "cancel_ai_plan" -> new Action.CancelAiPlan(f.text("account"), f.bool("immediately", false));
                case "project" -> new Action.CreateProject(f.text("id"), f.text("account"));
                case "member" -> new Action.Member(f.text("project"), f.text("user"), f.text("role"));
                case "use" -> new Action.Use(f.actor(), f.text("feature"), f.optionalLong("times").orElse(1),
                        f.optionalText("name"));
                case "reserve" -> reserve(f);
                case "capture" -> new Action.Capture(f.text("hold"), boxed(f.optionalLong("credits")));
                case "release" -> new Action.Release(f.text("hold"));
                case "refund" -> new Action.Refund(f.text("use"));
                case "grant" -> new Action.Grant(f.text("account"), f.wholeNumber("credits"),
                        f.optionalInstant("expires"), f.text("reason"));
                case EXPECT -> expect(f);
                default -> throw new IllegalStateException("action without a parser: " + entry.key());
            };
        }

        private Action reserve(Fields f) {
            Actor actor = f.actor();
            Optional<String> feature = f.optionalText("feature");
            Optional<Long> credits = boxed(f.optionalLong("credits"));
            if (feature.isPresent() && credits.isPresent()) {
                throw error(f.entries.get("credits").keyNode(), f.prefix
                        + "reserve names both feature and credits: hold either a feature's cost or a number of credits");
            }
            if (feature.isEmpty() && credits.isEmpty()) {
                throw error(f.node, f.prefix + "reserve needs 'feature' or 'credits': what to hold");
            }
            return new Action.Reserve(actor, feature, credits, f.text("hold"), f.duration("ttl", DEFAULT_TTL));
        }

        private Action expect(Fields f) {
            Expectation x = new Expectation(f.optionalLong("available"), f.optionalLong("held"),
                    f.optionalLong("carried_over"), f.optionalLong("current"), f.optionalLong("used_this_period"),
                    f.optionalLong("will_carry_over"), f.optionalLong("will_expire"), f.optionalText("plan"),
                    f.optionalText("next_plan"), f.optionalInstant("period_start"), f.optionalInstant("period_end"),
                    f.optionalLong("charged_cents"));
            String account = f.text("account");
            if (x.isEmpty()) {
                throw error(f.node, f.prefix + "expect names no field to compare (fields: "
                        + String.join(", ", EXPECT_FIELDS) + ")");
            }
            return new Action.Expect(account, x);
        }

        /** The keys of one action, checked against its list, read by type with messages naming the action. */
        private final class Fields {
            final String prefix;
            final String action;
            final Node node;
            final Map<String, Entry> entries;

            Fields(String prefix, Entry action) {
                this.prefix = prefix;
                this.action = action.key();
                List<String> allowed = ACTION_KEYS.get(this.action);
                if (!(action.value() instanceof MappingNode)) {
                    throw error(action.value(), prefix + this.action + " must be a mapping of "
                            + String.join(", ", allowed) + ", found " + describe(action.value()));
                }
                this.node = action.value();
                this.entries = mapping(node, allowed, "unknown key '%s' in " + this.action + " (expected: %s)", prefix);
            }

            String text(String key) {
                return optionalText(key).orElseThrow(() -> missing(key));
            }

            Optional<String> optionalText(String key) {
                Entry e = entries.get(key);
                return e == null ? Optional.empty()
                        : Optional.of(Reading.this.text(e.value(), prefix + action + "." + key + " must be text"));
            }

            long wholeNumber(String key) {
                return optionalLong(key).orElseThrow(() -> missing(key));
            }

            OptionalLong optionalLong(String key) {
                Entry e = entries.get(key);
                if (e == null) return OptionalLong.empty();
                if (e.value() instanceof ScalarNode s && s.getTag().equals(Tag.INT) && DECIMAL.matcher(s.getValue()).matches()) {
                    try {
                        return OptionalLong.of(Long.parseLong(s.getValue()));
                    } catch (NumberFormatException tooLarge) {
                        throw error(e.value(), prefix + action + "." + key + " '" + s.getValue() + "' is too large");
                    }
                }
                throw error(e.value(), prefix + action + "." + key + " must be a whole number in decimal digits, found "
                        + describe(e.value()));
            }

            boolean bool(String key, boolean absent) {
                Entry e = entries.get(key);
                if (e == null) return absent;
                if (e.value() instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
                    if (s.getValue().equals("true")) return true;
                    if (s.getValue().equals("false")) return false;
                }
                throw error(e.value(), prefix + action + "." + key + " must be true or false, found " + describe(e.value()));
            }

            Optional<Instant> optionalInstant(String key) {
                Entry e = entries.get(key);
                return e == null ? Optional.empty() : Optional.of(instant(e.value(), prefix + action + "." + key));
            }

            Duration duration(String key, Duration absent) {
                Entry e = entries.get(key);
                if (e == null) return absent;
                String what = prefix + action + "." + key;
                String value = Reading.this.text(e.value(), what + " must be an ISO-8601 duration such as PT10M");
                try {
                    return Duration.parse(value);
                } catch (DateTimeParseException bad) {
                    throw error(e.value(), what + " must be an ISO-8601 duration such as PT10M or PT30S, found '"
                            + value + "'");
                }
            }

            /** Either account, or project and user (SCENARIOS.md, use and reserve). */
            Actor actor() {
                Optional<String> account = optionalText("account");
                Optional<String> project = optionalText("project");
                Optional<String> user = optionalText("user");
                String choose = ": give either account, or project and user";
                if (account.isPresent() && (project.isPresent() || user.isPresent())) {
                    Entry other = entries.getOrDefault("project", entries.get("user"));
                    throw error(other.keyNode(), prefix + action + " names both account and "
                            + (project.isPresent() ? "project" : "user") + choose);
                }
                if (account.isPresent()) {
                    return new Actor.OfAccount(account.get());
                }
                if (project.isPresent() && user.isPresent()) {
                    return new Actor.InProject(project.get(), user.get());
                }
                if (project.isPresent()) {
                    throw error(entries.get("project").keyNode(), prefix + action + " names a project but no user" + choose);
                }
                if (user.isPresent()) {
                    throw error(entries.get("user").keyNode(), prefix + action + " names a user but no project" + choose);
                }
                throw error(node, prefix + action + " names no one to act" + choose);
            }

            private ScenarioFileException missing(String key) {
                return error(node, prefix + action + " needs '" + key + "' (keys: "
                        + String.join(", ", ACTION_KEYS.get(action)) + ")");
            }
        }

        /**
         * A mapping's entries by key, refusing non-scalar, merge and duplicate keys, and (when
         * {@code allowed} is given) keys not in it, with {@code unknownFormat} taking the key and the list.
         */
        private Map<String, Entry> mapping(Node node, List<String> allowed, String unknownFormat, String prefix) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (NodeTuple t : ((MappingNode) node).getValue()) {
                Node keyNode = t.getKeyNode();
                if (!(keyNode instanceof ScalarNode k) || k.getTag().equals(Tag.NULL) || k.getTag().equals(Tag.MERGE)) {
                    throw error(keyNode, prefix + "keys must be plain names, found " + describe(keyNode));
                }
                String key = k.getValue();
                if (allowed != null && !allowed.contains(key)) {
                    throw error(keyNode, prefix + unknownFormat.formatted(key, String.join(", ", allowed)));
                }
                Entry first = entries.putIfAbsent(key, new Entry(key, keyNode, t.getValueNode()));
                if (first != null) {
                    throw error(keyNode, prefix + "key '" + key + "' given twice (first at line "
                            + line(first.keyNode()) + "): keep one");
                }
            }
            return entries;
        }

        /** A scalar's text; {@code mustBe} is the whole reason when it is missing or not a scalar. */
        private String text(Node node, String mustBe) {
            if (node instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
                return s.getValue();
            }
            throw error(node, mustBe + ", found " + describe(node));
        }

        /** An ISO-8601 instant with offset, read from the scalar's own text. */
        private Instant instant(Node node, String what) {
            String value = text(node, what + " must be an ISO-8601 instant with offset, such as 2026-01-01T00:00:00Z");
            try {
                return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeException bad) {
                String hint = lacksOnlyTheOffset(value)
                        ? ": it lacks the offset (add Z for UTC, or one such as +01:00)"
                        : " (such as 2026-01-01T00:00:00Z or 2026-03-01T00:00:00+01:00)";
                throw error(node, what + " must be an ISO-8601 instant with offset, found '" + value + "'" + hint);
            }
        }

        private ScenarioFileException error(Node node, String reason) {
            return new ScenarioFileException(file, node == null ? 1 : line(node), reason);
        }
    }

    private static boolean lacksOnlyTheOffset(String value) {
        try {
            LocalDateTime.parse(value);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static Optional<Long> boxed(OptionalLong value) {
        return value.isPresent() ? Optional.of(value.getAsLong()) : Optional.empty();
    }

    private static int line(Node node) {
        return YamlNodes.line(node, 1);
    }

    private static String describe(Node node) {
        return YamlNodes.describe(node);
    }
}
