package io.credits.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Reads a catalog file (RULES.md, "The catalog file") and refuses one that breaks the rules, with a
 * {@link CatalogException} naming the file, the line, the entry and the reason.
 *
 * <p>It works on SnakeYAML's node graph ({@code compose}) rather than on loaded Java objects, for
 * three reasons: every node keeps its line, so errors can name it; duplicate keys stay visible
 * (loading keeps the last one silently, and a plan defined twice must be refused); and a scalar's
 * type is read from its resolved tag, so {@code credits: "1000"} is a string, not a number.
 */
public final class CatalogLoader {

    /** Where {@link #defaultCatalog()} reads the default catalog from. */
    public static final String DEFAULT_RESOURCE = "catalog/default.yaml";
    /** Currency when the file names none. */
    public static final String DEFAULT_CURRENCY = "EUR";
    /** The features RULES.md knows; a catalog may define any of them, and no others. */
    public static final List<String> KNOWN_FEATURES = List.of("generate_page", "generate_section",
            "generate_code", "edit_section", "vibe_coding", "ai_image", "text_suggestion", "ai_writer");

    /** A catalog is a short hand-written file; anything larger is a mistake. */
    public static final int FILE_BYTES_MAX = 1 << 20;
    /**
     * Largest credits of one AI plan. With {@link #PRICE_CENTS_MAX} it keeps the products of the
     * price-per-credit comparison (at most 10^18) inside a long, so the comparison is exact.
     */
    public static final long CREDITS_MAX = 1_000_000_000L;
    /** Largest monthly price of one AI plan, in cents (ten million euros). */
    public static final long PRICE_CENTS_MAX = 1_000_000_000L;
    /** Largest cost of one use of a feature, in credits. */
    public static final long COST_MAX = CREDITS_MAX;
    /** Longest plan name, in characters. */
    public static final int NAME_LENGTH_MAX = 64;

    private static final List<String> TOP_KEYS = List.of("currency", "main_plans", "ai_plans", "features");
    private static final List<String> AI_PLAN_KEYS = List.of("credits", "price_cents", "features");
    private static final List<String> FEATURE_KEYS = List.of("cost", "ai_plan", "min_main_plan");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
    /** Means "no next plan" in scenarios and the API, so it cannot be a plan's name. */
    private static final String NONE = "none";

    private CatalogLoader() {
    }

    /** Reads and checks the catalog file at {@code file}; errors name it as given. */
    public static Catalog load(Path file) {
        String source = file.toString();
        try {
            long bytes = Files.size(file);
            if (bytes > FILE_BYTES_MAX) {
                throw new CatalogException(source, 0, null, "the file has " + bytes
                        + " bytes, more than the " + FILE_BYTES_MAX + " bytes a catalog may have");
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8), source);
        } catch (NoSuchFileException e) {
            throw new CatalogException(source, 0, null, "cannot read the file: it does not exist", e);
        } catch (CharacterCodingException e) {
            throw new CatalogException(source, 0, null, "cannot read the file: it is not UTF-8 text", e);
        } catch (IOException e) {
            throw new CatalogException(source, 0, null, "cannot read the file: " + e, e);
        }
    }

    /** Checks a catalog given as text; {@code sourceName} is the name errors give the file. */
    public static Catalog parse(String yamlText, String sourceName) {
        return new Reading(sourceName).catalog(yamlText);
    }

    /** The catalog shipped with the server (RULES.md, "The default catalog"). */
    public static Catalog defaultCatalog() {
        return DefaultHolder.CATALOG;
    }

    private static final class DefaultHolder {
        static final Catalog CATALOG = readDefault();

        private static Catalog readDefault() {
            try (InputStream in = CatalogLoader.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("classpath resource " + DEFAULT_RESOURCE
                            + " is missing: the build must ship the default catalog");
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + DEFAULT_RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read classpath resource " + DEFAULT_RESOURCE, e);
            }
        }
    }

    /** A key of a mapping with its value; the key node gives the line. */
    private record Entry(String key, Node keyNode, Node value) {
    }

    /** A paid or FREE AI plan with the line of its entry, for messages. */
    private record PlanAt(Catalog.AiPlan plan, int line) {
    }

    /** One reading of one file: holds the source name that every error carries. */
    private static final class Reading {
        private final String source;

        Reading(String source) {
            this.source = source;
        }

        Catalog catalog(String yamlText) {
            if (yamlText.length() > FILE_BYTES_MAX) {
                throw error(null, null, "the text has " + yamlText.length() + " characters, more than the "
                        + FILE_BYTES_MAX + " a catalog may have");
            }
            Node root = compose(yamlText);
            if (!(root instanceof MappingNode)) {
                throw error(root, null, "expected a mapping with keys " + String.join(", ", TOP_KEYS)
                        + ", found " + (root == null ? "an empty file" : describe(root)));
            }
            Map<String, Entry> top = mapping(root, null, TOP_KEYS);
            String currency = top.containsKey("currency") ? currency(top.get("currency")) : DEFAULT_CURRENCY;
            List<String> mainPlans = mainPlans(required(top, root, null, "main_plans",
                    "the main plans, lowest first, e.g. main_plans: [FREE, ESSENTIAL, PRO, BUSINESS]"));
            Entry aiPlansEntry = required(top, root, null, "ai_plans",
                    "the AI plans, e.g. ai_plans: {T1000: {credits: 1000, price_cents: 2900}}");
            Map<String, Catalog.Feature> features = features(required(top, root, null, "features",
                    "the features with their costs, e.g. features: {vibe_coding: {cost: 10}}"), mainPlans);
            List<PlanAt> plans = aiPlans(aiPlansEntry, features);
            checkPricePerCreditFalls(plans);

            Map<String, Catalog.AiPlan> ordered = new LinkedHashMap<>();
            ordered.put(Catalog.FREE, new Catalog.AiPlan(Catalog.FREE, 0, 0, Optional.empty()));
            plans.stream()
                    .map(PlanAt::plan)
                    .filter(p -> !p.isFree())
                    .sorted(Comparator.comparingLong(Catalog.AiPlan::credits))
                    .forEach(p -> ordered.put(p.name(), p));
            return new Catalog(currency, mainPlans, ordered, features);
        }

        private Node compose(String yamlText) {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(10);
            options.setNestingDepthLimit(20);
            options.setCodePointLimit(FILE_BYTES_MAX);
            try {
                return new Yaml(options).compose(new StringReader(yamlText));
            } catch (MarkedYAMLException e) {
                Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
                String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
                String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
                throw new CatalogException(source, mark == null ? 0 : mark.getLine() + 1, null,
                        "not valid YAML: " + problem + context, e);
            } catch (YAMLException e) {
                throw new CatalogException(source, 0, null, "not valid YAML: " + e.getMessage(), e);
            }
        }

        private String currency(Entry e) {
            String text = scalarText(e.value(), e.key(), "three upper-case letters");
            if (!CURRENCY.matcher(text).matches()) {
                throw error(e.value(), e.key(), "must be three upper-case letters (an ISO 4217 code such as EUR), found '"
                        + text + "'");
            }
            return text;
        }

        private List<String> mainPlans(Entry e) {
            List<Node> items = list(e.value(), e.key());
            if (items.isEmpty()) {
                throw error(e.value(), e.key(), "is empty: list at least one main plan, lowest first");
            }
            List<String> names = new ArrayList<>();
            Map<String, Integer> seenAt = new HashMap<>();
            for (int i = 0; i < items.size(); i++) {
                String path = e.key() + "[" + i + "]";
                String name = name(items.get(i), path);
                Integer first = seenAt.putIfAbsent(name, i);
                if (first != null) {
                    throw error(items.get(i), path, "main plan '" + name + "' is listed twice (first as main_plans["
                            + first + "]): list each main plan once");
                }
                names.add(name);
            }
            return names;
        }

        private Map<String, Catalog.Feature> features(Entry e, List<String> mainPlans) {
            Map<String, Catalog.Feature> features = new LinkedHashMap<>();
            for (Entry f : mapping(e.value(), e.key(), null).values()) {
                String path = e.key() + "." + f.key();
                if (!KNOWN_FEATURES.contains(f.key())) {
                    throw error(f.keyNode(), path, "unknown feature (known: " + String.join(", ", KNOWN_FEATURES) + ")");
                }
                Map<String, Entry> fields = mapping(f.value(), path, FEATURE_KEYS);
                long cost = amount(required(fields, f.value(), path, "cost", "the credits one use costs, e.g. {cost: 10}"),
                        path, COST_MAX);
                boolean needsAiPlan = !fields.containsKey("ai_plan") || bool(fields.get("ai_plan"), path);
                Optional<String> minMainPlan = Optional.empty();
                Entry min = fields.get("min_main_plan");
                if (min != null) {
                    String minPath = path + ".min_main_plan";
                    if (needsAiPlan) {
                        throw error(min.keyNode(), path, "min_main_plan applies only to a feature with ai_plan: false"
                                + " (a feature that needs an AI plan is open to every main plan); add ai_plan: false"
                                + " or remove min_main_plan");
                    }
                    String plan = scalarText(min.value(), minPath, "a main plan");
                    if (!mainPlans.contains(plan)) {
                        throw error(min.value(), minPath, "'" + plan + "' is not among main_plans ("
                                + String.join(", ", mainPlans) + ")");
                    }
                    minMainPlan = Optional.of(plan);
                }
                features.put(f.key(), new Catalog.Feature(f.key(), cost, needsAiPlan, minMainPlan));
            }
            return features;
        }

        private List<PlanAt> aiPlans(Entry e, Map<String, Catalog.Feature> features) {
            List<PlanAt> plans = new ArrayList<>();
            for (Entry p : mapping(e.value(), e.key(), null).values()) {
                String path = e.key() + "." + p.key();
                checkName(p.keyNode(), path, p.key());
                if (NONE.equals(p.key())) {
                    throw error(p.keyNode(), path, "'none' means \"no plan\" in scenarios and the API: choose another name");
                }
                Map<String, Entry> fields = mapping(p.value(), path, AI_PLAN_KEYS);
                long credits = amount(required(fields, p.value(), path, "credits",
                        "the credits the plan gives each month, e.g. {credits: 1000, price_cents: 2900}"), path, CREDITS_MAX);
                long priceCents = amount(required(fields, p.value(), path, "price_cents",
                        "the monthly price in cents, e.g. {credits: 1000, price_cents: 2900}"), path, PRICE_CENTS_MAX);
                Optional<List<String>> included = fields.containsKey("features")
                        ? Optional.of(planFeatures(fields.get("features"), path, features))
                        : Optional.empty();
                int line = line(p.keyNode());
                if (Catalog.FREE.equals(p.key())) {
                    if (credits != 0 || priceCents != 0) {
                        throw error(p.keyNode(), path, "FREE must have credits 0 and price_cents 0, found credits "
                                + credits + " and price_cents " + priceCents + " (FREE is implied: you may leave it out)");
                    }
                    if (included.isPresent() && !included.get().isEmpty()) {
                        throw error(fields.get("features").keyNode(), path, "FREE includes no features: remove its features list");
                    }
                    plans.add(new PlanAt(new Catalog.AiPlan(Catalog.FREE, 0, 0, Optional.empty()), line));
                    continue;
                }
                if (credits == 0) {
                    throw error(fields.get("credits").value(), path + ".credits",
                            "a paid plan must give at least 1 credit (only FREE has 0)");
                }
                plans.add(new PlanAt(new Catalog.AiPlan(p.key(), credits, priceCents, included), line));
            }
            return plans;
        }

        private List<String> planFeatures(Entry e, String planPath, Map<String, Catalog.Feature> features) {
            String path = planPath + "." + e.key();
            List<Node> items = list(e.value(), path);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String itemPath = path + "[" + i + "]";
                String name = scalarText(items.get(i), itemPath, "a feature name");
                if (!KNOWN_FEATURES.contains(name)) {
                    throw error(items.get(i), itemPath, "unknown feature '" + name + "' (known: "
                            + String.join(", ", KNOWN_FEATURES) + ")");
                }
                Catalog.Feature feature = features.get(name);
                if (feature == null) {
                    throw error(items.get(i), itemPath, "feature '" + name
                            + "' is not defined under features: define it there with its cost, or remove it here");
                }
                if (!feature.needsAiPlan()) {
                    throw error(items.get(i), itemPath, "feature '" + name
                            + "' has ai_plan: false, so it comes with the main plan and no AI plan lists it");
                }
                if (names.contains(name)) {
                    throw error(items.get(i), itemPath, "feature '" + name + "' is listed twice: list it once");
                }
                names.add(name);
            }
            return names;
        }

        /**
         * RULES.md: "the more credits included in the plan, the cheaper the credits are". Sorted by
         * credits, each paid plan's price per credit must be strictly below the one before. Exact:
         * price_a / credits_a < price_b / credits_b is compared as price_a * credits_b <
         * price_b * credits_a, which the maxima keep inside a long.
         */
        private void checkPricePerCreditFalls(List<PlanAt> plans) {
            List<PlanAt> paid = plans.stream()
                    .filter(p -> !p.plan().isFree())
                    .sorted(Comparator.comparingLong(p -> p.plan().credits()))
                    .toList();
            for (int i = 1; i < paid.size(); i++) {
                Catalog.AiPlan smaller = paid.get(i - 1).plan();
                Catalog.AiPlan larger = paid.get(i).plan();
                String path = "ai_plans." + larger.name();
                if (larger.credits() == smaller.credits()) {
                    throw new CatalogException(source, paid.get(i).line(), path, "credits (" + larger.credits()
                            + ") equal " + smaller.name() + "'s: two paid plans cannot give the same credits"
                            + " (the more credits, the cheaper each credit)");
                }
                if (!cheaperPerCredit(larger, smaller)) {
                    String[] shown = pricesPerCredit(larger, smaller);
                    throw new CatalogException(source, paid.get(i).line(), path, "price per credit (" + shown[0]
                            + " cents) must be lower than " + smaller.name() + "'s (" + shown[1]
                            + " cents): the more credits, the cheaper each credit");
                }
            }
        }

        private Entry required(Map<String, Entry> fields, Node parent, String path, String key, String hint) {
            Entry e = fields.get(key);
            if (e == null) {
                throw error(parent, path, "missing key '" + key + "': " + hint);
            }
            return e;
        }

        /** A mapping's entries by key, refusing non-scalar, merge, duplicate and (if given) unknown keys. */
        private Map<String, Entry> mapping(Node node, String path, List<String> allowed) {
            if (!(node instanceof MappingNode m)) {
                throw error(node, path, "must be a mapping, found " + describe(node));
            }
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                Node keyNode = t.getKeyNode();
                if (!(keyNode instanceof ScalarNode k) || k.getTag().equals(Tag.NULL) || k.getTag().equals(Tag.MERGE)) {
                    throw error(keyNode, path, "keys must be plain names, found " + describe(keyNode));
                }
                String key = k.getValue();
                if (allowed != null && !allowed.contains(key)) {
                    throw error(keyNode, path, "unknown key '" + key + "' (expected: " + String.join(", ", allowed) + ")");
                }
                Entry first = entries.putIfAbsent(key, new Entry(key, keyNode, t.getValueNode()));
                if (first != null) {
                    throw error(keyNode, child(path, key), "defined twice (first at line " + line(first.keyNode())
                            + "): keep one");
                }
            }
            return entries;
        }

        private List<Node> list(Node node, String path) {
            if (!(node instanceof SequenceNode s)) {
                throw error(node, path, "must be a list, e.g. [A, B], found " + describe(node));
            }
            return s.getValue();
        }

        private String scalarText(Node node, String path, String expected) {
            if (!(node instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) {
                throw error(node, path, "must be " + expected + ", found " + describe(node));
            }
            return s.getValue();
        }

        private String name(Node node, String path) {
            String name = scalarText(node, path, "a plan name");
            checkName(node, path, name);
            return name;
        }

        private void checkName(Node node, String path, String name) {
            if (!NAME.matcher(name).matches() || name.length() > NAME_LENGTH_MAX) {
                throw error(node, path, "'" + name + "' is not a plan name: use 1 to " + NAME_LENGTH_MAX
                        + " letters, digits, '_' or '-'");
            }
        }

        /** A whole number from 0 to {@code max}. */
        private long amount(Entry e, String parentPath, long max) {
            String path = parentPath + "." + e.key();
            Node node = e.value();
            long value = wholeNumber(node, path);
            if (value < 0) {
                throw error(node, path, "must not be negative, found " + value);
            }
            if (value > max) {
                throw error(node, path, "must be at most " + max + ", found " + value);
            }
            return value;
        }

        private long wholeNumber(Node node, String path) {
            if (node instanceof ScalarNode s && s.getTag().equals(Tag.INT) && DECIMAL.matcher(s.getValue()).matches()) {
                try {
                    return Long.parseLong(s.getValue());
                } catch (NumberFormatException tooLarge) {
                    throw error(node, path, "'" + s.getValue() + "' is too large for a whole number");
                }
            }
            throw error(node, path, "must be a whole number written in decimal digits, found " + describe(node));
        }

        private boolean bool(Entry e, String parentPath) {
            String path = parentPath + "." + e.key();
            if (e.value() instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
                if (s.getValue().equals("true")) return true;
                if (s.getValue().equals("false")) return false;
            }
            throw error(e.value(), path, "must be true or false, found " + describe(e.value()));
        }

        private CatalogException error(Node node, String path, String reason) {
            return new CatalogException(source, node == null ? 1 : line(node), path, reason);
        }
    }

    /** Whether {@code a} costs strictly less per credit than {@code b}; both have credits > 0. */
    static boolean cheaperPerCredit(Catalog.AiPlan a, Catalog.AiPlan b) {
        return Math.multiplyExact(a.priceCents(), b.credits()) < Math.multiplyExact(b.priceCents(), a.credits());
    }

    /**
     * Both prices per credit for a message: 4 decimals, or exact fractions where the decimals look
     * equal but the prices are not (a message must not claim 2.9000 is above 2.9000).
     */
    private static String[] pricesPerCredit(Catalog.AiPlan a, Catalog.AiPlan b) {
        String shownA = centsPerCredit(a.priceCents(), a.credits());
        String shownB = centsPerCredit(b.priceCents(), b.credits());
        boolean exactlyEqual = !cheaperPerCredit(a, b) && !cheaperPerCredit(b, a);
        if (shownA.equals(shownB) && !exactlyEqual) {
            return new String[] {a.priceCents() + "/" + a.credits(), b.priceCents() + "/" + b.credits()};
        }
        return new String[] {shownA, shownB};
    }

    /** price / credits rounded half-up to 4 decimals, in long arithmetic (price and credits are bounded). */
    private static String centsPerCredit(long priceCents, long credits) {
        long scaled = (priceCents * 20_000 + credits) / (2 * credits);
        return (scaled / 10_000) + "." + String.format("%04d", scaled % 10_000);
    }

    private static String child(String path, String key) {
        return path == null ? key : path + "." + key;
    }

    private static int line(Node node) {
        return YamlNodes.line(node, 0);
    }

    private static String describe(Node node) {
        return YamlNodes.describe(node);
    }
}
