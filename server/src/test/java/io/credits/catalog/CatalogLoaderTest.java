package io.credits.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves that the catalog loader reads the catalogs of RULES.md and refuses, by line, entry and reason, every broken one (the price-order property is in {@link CatalogLoaderPropertyTest}). */
class CatalogLoaderTest {

    private static final String SOURCE = "catalog.yaml";

    // ---- catalogs that load ----

    @Test
    void defaultCatalog_hasTheFiguresOfRules() {
        Catalog c = CatalogLoader.defaultCatalog();

        assertThat(c.currency()).isEqualTo("EUR");
        assertThat(c.mainPlans()).containsExactly("FREE", "ESSENTIAL", "PRO", "BUSINESS");
        assertThat(c.aiPlans().keySet()).containsExactly("FREE", "T1000", "T2000", "T4000", "T10000");
        assertThat(c.aiPlans().values()).extracting(Catalog.AiPlan::credits).containsExactly(0L, 1000L, 2000L, 4000L, 10000L);
        assertThat(c.aiPlans().values()).extracting(Catalog.AiPlan::priceCents).containsExactly(0L, 2900L, 5500L, 10500L, 25000L);
        assertThat(c.aiPlans().values()).allSatisfy(p -> assertThat(p.features()).isEmpty());
        assertThat(c.features().keySet()).containsExactlyInAnyOrderElementsOf(CatalogLoader.KNOWN_FEATURES);
        c.features().values().stream().filter(f -> !f.name().equals("ai_writer")).forEach(f -> {
            assertThat(f.cost()).as(f.name()).isEqualTo(10);
            assertThat(f.needsAiPlan()).as(f.name()).isTrue();
            assertThat(f.minMainPlan()).as(f.name()).isEmpty();
        });
        assertThat(c.features().get("ai_writer"))
                .isEqualTo(new Catalog.Feature("ai_writer", 0, false, Optional.of("ESSENTIAL")));
    }

    @Test
    void halfEvenCatalogFile_loads() throws URISyntaxException {
        Path file = Path.of(Objects.requireNonNull(getClass().getResource("/catalogs/halfeven.yaml")).toURI());

        Catalog c = CatalogLoader.load(file);

        assertThat(c.currency()).isEqualTo("EUR");
        assertThat(c.aiPlans().keySet()).containsExactly("FREE", "T1000", "T3000");
        assertThat(c.aiPlans().get("T1000").priceCents()).isEqualTo(2903);
        assertThat(c.aiPlans().get("T3000").priceCents()).isEqualTo(8701);
        assertThat(c.features().keySet()).containsExactly("vibe_coding", "ai_writer");
        assertThat(c.features().get("vibe_coding").cost()).isEqualTo(20);
    }

    @Test
    void aiPlans_areOrderedFreeFirstThenByCredits_whateverTheFileOrder() {
        Catalog c = parse("""
                currency: USD
                main_plans: [BASIC]
                ai_plans:
                  BIG: {credits: 5000, price_cents: 10000}
                  FREE: {credits: 0, price_cents: 0, features: []}
                  SMALL: {credits: 100, price_cents: 300, features: [vibe_coding]}
                features:
                  vibe_coding: {cost: 10}
                  ai_image: {cost: 25, ai_plan: true}
                """);

        assertThat(c.currency()).isEqualTo("USD");
        assertThat(c.aiPlans().keySet()).containsExactly("FREE", "SMALL", "BIG");
        assertThat(c.aiPlans().get("SMALL").features()).contains(List.of("vibe_coding"));
        assertThat(c.aiPlans().get("BIG").features()).isEmpty();
        assertThat(c.aiPlans().get("FREE").features()).isEmpty();
    }

    @Test
    void emptyAiPlansAndFeatures_load_asACatalogOfFreeOnly() {
        Catalog c = parse("main_plans: [FREE]\nai_plans: {}\nfeatures: {}\n");

        assertThat(c.aiPlans().keySet()).containsExactly("FREE");
        assertThat(c.features()).isEmpty();
    }

    // ---- refusals: the file ----

    @Test
    void missingFile_isRefused_namingTheFile(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> CatalogLoader.load(file))
                .isInstanceOf(CatalogException.class)
                .hasMessage(file + ": cannot read the file: it does not exist");
    }

    @Test
    void fileThatIsNotUtf8_isRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xE9});

        assertThatThrownBy(() -> CatalogLoader.load(file))
                .hasMessage(file + ": cannot read the file: it is not UTF-8 text");
    }

    @Test
    void fileLargerThanTheMaximum_isRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("huge.yaml");
        Files.writeString(file, "#".repeat(CatalogLoader.FILE_BYTES_MAX + 1), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> CatalogLoader.load(file))
                .hasMessageContaining("more than the " + CatalogLoader.FILE_BYTES_MAX + " bytes a catalog may have");
    }

    @Test
    void yamlSyntaxError_isRefused_withItsLine() {
        assertThat(refusal("""
                main_plans: [FREE]
                ai_plans:
                  T1000: {credits: 1000, price_cents: 2900
                features: {}
                """)).startsWith(SOURCE + " line 4: not valid YAML: ");
    }

    @Test
    void emptyFile_isRefused() {
        assertThat(refusal("# nothing here\n"))
                .isEqualTo(SOURCE + " line 1: expected a mapping with keys currency, main_plans, ai_plans, features, found an empty file");
    }

    @Test
    void fileThatIsAList_isRefused() {
        assertThat(refusal("- FREE\n- PRO\n")).isEqualTo(SOURCE
                + " line 1: expected a mapping with keys currency, main_plans, ai_plans, features, found a list");
    }

    @Test
    void unknownTopLevelKey_isRefused() {
        assertThat(refusal("main_plans: [FREE]\nai_plans: {}\nfeatures: {}\ncurency: EUR\n"))
                .isEqualTo(SOURCE + " line 4: unknown key 'curency' (expected: currency, main_plans, ai_plans, features)");
    }

    @Test
    void missingMainPlans_isRefused() {
        assertThat(refusal("ai_plans: {}\nfeatures: {}\n"))
                .startsWith(SOURCE + " line 1: missing key 'main_plans': the main plans, lowest first");
    }

    @Test
    void missingFeatures_isRefused() {
        assertThat(refusal("main_plans: [FREE]\nai_plans: {}\n"))
                .startsWith(SOURCE + " line 1: missing key 'features': ");
    }

    @Test
    void emptyMainPlans_isRefused() {
        assertThat(refusal("main_plans: []\nai_plans: {}\nfeatures: {}\n"))
                .isEqualTo(SOURCE + " line 1: main_plans: is empty: list at least one main plan, lowest first");
    }

    @Test
    void duplicateMainPlan_isRefused() {
        assertThat(refusal("main_plans: [FREE, PRO, FREE]\nai_plans: {}\nfeatures: {}\n"))
                .isEqualTo(SOURCE + " line 1: main_plans[2]: main plan 'FREE' is listed twice (first as main_plans[0]): list each main plan once");
    }

    @Test
    void badCurrency_isRefused() {
        assertThat(refusal("currency: eur\nmain_plans: [FREE]\nai_plans: {}\nfeatures: {}\n"))
                .isEqualTo(SOURCE + " line 1: currency: must be three upper-case letters (an ISO 4217 code such as EUR), found 'eur'");
    }

    // ---- refusals: AI plans ----

    @Test
    void pricePerCreditThatRises_isRefused_withBothPrices() {
        assertThat(refusal("""
                main_plans: [FREE]
                features: {}
                ai_plans:
                  T1000: {credits: 1000, price_cents: 2900}
                  T2000: {credits: 2000, price_cents: 5900}
                """)).isEqualTo(SOURCE + " line 5: ai_plans.T2000: price per credit (2.9500 cents) must be lower than"
                + " T1000's (2.9000 cents): the more credits, the cheaper each credit");
    }

    @Test
    void pricePerCreditThatStaysEqual_isRefused() {
        assertThat(refusal(plans("T1000: {credits: 1000, price_cents: 2900}", "T2000: {credits: 2000, price_cents: 5800}")))
                .isEqualTo(SOURCE + " line 4: ai_plans.T2000: price per credit (2.9000 cents) must be lower than"
                        + " T1000's (2.9000 cents): the more credits, the cheaper each credit");
    }

    @Test
    void pricesPerCreditThatLookEqualAtFourDecimals_areShownAsFractions() {
        assertThat(refusal(plans("A: {credits: 1000000, price_cents: 2900001}", "B: {credits: 2000000, price_cents: 5800003}")))
                .contains("ai_plans.B: price per credit (5800003/2000000 cents) must be lower than A's (2900001/1000000 cents)");
    }

    @Test
    void planListedBeforeASmallerOne_isBlamedWhenItIsTheLarger() {
        assertThat(refusal(plans("T2000: {credits: 2000, price_cents: 6000}", "T1000: {credits: 1000, price_cents: 2900}")))
                .startsWith(SOURCE + " line 3: ai_plans.T2000: price per credit (3.0000 cents) must be lower than T1000's");
    }

    @Test
    void twoPaidPlansWithEqualCredits_areRefused() {
        assertThat(refusal(plans("A: {credits: 1000, price_cents: 2900}", "B: {credits: 1000, price_cents: 2000}")))
                .isEqualTo(SOURCE + " line 4: ai_plans.B: credits (1000) equal A's: two paid plans cannot give the same credits"
                        + " (the more credits, the cheaper each credit)");
    }

    @Test
    void paidPlanWithZeroCredits_isRefused() {
        assertThat(refusal(plans("T0: {credits: 0, price_cents: 100}")))
                .isEqualTo(SOURCE + " line 3: ai_plans.T0.credits: a paid plan must give at least 1 credit (only FREE has 0)");
    }

    @Test
    void negativeCredits_areRefused() {
        assertThat(refusal(plans("T1: {credits: -1000, price_cents: 100}")))
                .isEqualTo(SOURCE + " line 3: ai_plans.T1.credits: must not be negative, found -1000");
    }

    @Test
    void negativePrice_isRefused() {
        assertThat(refusal(plans("T1: {credits: 1000, price_cents: -1}")))
                .isEqualTo(SOURCE + " line 3: ai_plans.T1.price_cents: must not be negative, found -1");
    }

    @Test
    void creditsAboveTheMaximum_areRefused() {
        assertThat(refusal(plans("T1: {credits: 1000000001, price_cents: 1}")))
                .isEqualTo(SOURCE + " line 3: ai_plans.T1.credits: must be at most 1000000000, found 1000000001");
    }

    @Test
    void quotedNumber_isRefusedAsWrongType() {
        assertThat(refusal(plans("T1: {credits: '1000', price_cents: 2900}")))
                .isEqualTo(SOURCE + " line 3: ai_plans.T1.credits: must be a whole number written in decimal digits, found '1000'");
    }

    @Test
    void fractionalPrice_isRefusedAsWrongType() {
        assertThat(refusal(plans("T1: {credits: 1000, price_cents: 29.5}")))
                .isEqualTo(SOURCE + " line 3: ai_plans.T1.price_cents: must be a whole number written in decimal digits, found '29.5'");
    }

    @Test
    void octalLookingNumber_isRefused_ratherThanReadAsEightOrTen() {
        assertThat(refusal(plans("T1: {credits: 010, price_cents: 2900}")))
                .contains("ai_plans.T1.credits: must be a whole number written in decimal digits, found '010'");
    }

    @Test
    void planThatIsNotAMapping_isRefused() {
        assertThat(refusal(plans("T1: 1000")))
                .isEqualTo(SOURCE + " line 3: ai_plans.T1: must be a mapping, found '1000'");
    }

    @Test
    void missingPrice_isRefused() {
        assertThat(refusal(plans("T1: {credits: 1000}")))
                .startsWith(SOURCE + " line 3: ai_plans.T1: missing key 'price_cents': the monthly price in cents");
    }

    @Test
    void unknownKeyInAPlan_isRefused() {
        assertThat(refusal(plans("T1000: {credit: 1000, price_cents: 2900}")))
                .isEqualTo(SOURCE + " line 3: ai_plans.T1000: unknown key 'credit' (expected: credits, price_cents, features)");
    }

    @Test
    void duplicatePlan_isRefused_thoughYamlWouldKeepTheLast() {
        assertThat(refusal(plans("T1000: {credits: 1000, price_cents: 2900}", "T1000: {credits: 1000, price_cents: 2800}")))
                .isEqualTo(SOURCE + " line 4: ai_plans.T1000: defined twice (first at line 3): keep one");
    }

    @Test
    void duplicateKeyInsideAPlan_isRefused() {
        assertThat(refusal(plans("T1000: {credits: 1000, credits: 900, price_cents: 2900}")))
                .isEqualTo(SOURCE + " line 3: ai_plans.T1000.credits: defined twice (first at line 3): keep one");
    }

    @Test
    void freeWithCredits_isRefused() {
        assertThat(refusal(plans("FREE: {credits: 10, price_cents: 0}")))
                .isEqualTo(SOURCE + " line 3: ai_plans.FREE: FREE must have credits 0 and price_cents 0, found credits 10"
                        + " and price_cents 0 (FREE is implied: you may leave it out)");
    }

    @Test
    void freeWithAPrice_isRefused() {
        assertThat(refusal(plans("FREE: {credits: 0, price_cents: 1}"))).contains("ai_plans.FREE: FREE must have credits 0 and price_cents 0");
    }

    @Test
    void freeWithFeatures_isRefused() {
        assertThat(refusal(plans("FREE: {credits: 0, price_cents: 0, features: [vibe_coding]}")))
                .isEqualTo(SOURCE + " line 3: ai_plans.FREE: FREE includes no features: remove its features list");
    }

    @Test
    void planNamedNone_isRefused() {
        assertThat(refusal(plans("none: {credits: 10, price_cents: 10}"))).contains("line 3: ai_plans.none: 'none' means");
    }

    @Test
    void planNameWithSpaces_isRefused() {
        assertThat(refusal(plans("'T 1000': {credits: 10, price_cents: 10}")))
                .contains("line 3: ai_plans.T 1000: 'T 1000' is not a plan name");
    }

    @Test
    void planListingAnUndefinedFeature_isRefused() {
        assertThat(refusal(plans("T1: {credits: 10, price_cents: 10, features: [vibe_coding, ai_image]}")))
                .isEqualTo(SOURCE + " line 3: ai_plans.T1.features[1]: feature 'ai_image' is not defined under features:"
                        + " define it there with its cost, or remove it here");
    }

    @Test
    void planListingAnUnknownFeature_isRefused() {
        assertThat(refusal(plans("T1: {credits: 10, price_cents: 10, features: [teleport]}")))
                .startsWith(SOURCE + " line 3: ai_plans.T1.features[0]: unknown feature 'teleport' (known: generate_page, ");
    }

    @Test
    void planListingAFeatureTwice_isRefused() {
        assertThat(refusal(plans("T1: {credits: 10, price_cents: 10, features: [vibe_coding, vibe_coding]}")))
                .isEqualTo(SOURCE + " line 3: ai_plans.T1.features[1]: feature 'vibe_coding' is listed twice: list it once");
    }

    @Test
    void planListingAFeatureThatNeedsNoAiPlan_isRefused() {
        assertThat(refusal(plans("T1: {credits: 10, price_cents: 10, features: [ai_writer]}")))
                .contains("ai_plans.T1.features[0]: feature 'ai_writer' has ai_plan: false");
    }

    // ---- refusals: features ----

    @Test
    void unknownFeature_isRefused() {
        assertThat(refusal(features("teleport: {cost: 10}")))
                .isEqualTo(SOURCE + " line 4: features.teleport: unknown feature (known: generate_page, generate_section,"
                        + " generate_code, edit_section, vibe_coding, ai_image, text_suggestion, ai_writer)");
    }

    @Test
    void duplicateFeature_isRefused() {
        assertThat(refusal(features("vibe_coding: {cost: 10}", "ai_image: {cost: 10}", "vibe_coding: {cost: 20}")))
                .isEqualTo(SOURCE + " line 6: features.vibe_coding: defined twice (first at line 4): keep one");
    }

    @Test
    void negativeCost_isRefused() {
        assertThat(refusal(features("ai_image: {cost: -10}")))
                .isEqualTo(SOURCE + " line 4: features.ai_image.cost: must not be negative, found -10");
    }

    @Test
    void missingCost_isRefused() {
        assertThat(refusal(features("ai_image: {ai_plan: true}")))
                .startsWith(SOURCE + " line 4: features.ai_image: missing key 'cost': ");
    }

    @Test
    void unknownKeyInAFeature_isRefused() {
        assertThat(refusal(features("ai_image: {cost: 10, min_plan: PRO}")))
                .isEqualTo(SOURCE + " line 4: features.ai_image: unknown key 'min_plan' (expected: cost, ai_plan, min_main_plan)");
    }

    @Test
    void aiPlanThatIsNotABoolean_isRefused() {
        assertThat(refusal(features("ai_writer: {cost: 0, ai_plan: 'no'}")))
                .isEqualTo(SOURCE + " line 4: features.ai_writer.ai_plan: must be true or false, found 'no'");
    }

    @Test
    void minMainPlanNotAmongMainPlans_isRefused() {
        assertThat(refusal(features("ai_writer: {cost: 0, ai_plan: false, min_main_plan: GOLD}")))
                .isEqualTo(SOURCE + " line 4: features.ai_writer.min_main_plan: 'GOLD' is not among main_plans (FREE, ESSENTIAL, PRO)");
    }

    @Test
    void minMainPlanOnAFeatureThatNeedsAnAiPlan_isRefused() {
        assertThat(refusal(features("ai_writer: {cost: 0, min_main_plan: ESSENTIAL}")))
                .startsWith(SOURCE + " line 4: features.ai_writer: min_main_plan applies only to a feature with ai_plan: false");
        assertThat(refusal(features("ai_writer: {cost: 0, ai_plan: true, min_main_plan: ESSENTIAL}")))
                .startsWith(SOURCE + " line 4: features.ai_writer: min_main_plan applies only to a feature with ai_plan: false");
    }

    @Test
    void featureWithoutAiPlanAndWithoutMinimum_isOpenToEveryMainPlan() {
        Catalog c = CatalogLoader.parse(features("ai_writer: {cost: 0, ai_plan: false}"), SOURCE);

        assertThat(c.includes(c.features().get("ai_writer"), "FREE", Optional.of("FREE"))).isTrue();
    }

    // ---- helpers ----

    private static Catalog parse(String yaml) {
        return CatalogLoader.parse(yaml, SOURCE);
    }

    private static String refusal(String yaml) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> CatalogLoader.parse(yaml, SOURCE));
        assertThat(thrown).isInstanceOf(CatalogException.class);
        return thrown.getMessage();
    }

    /** A catalog whose ai_plans entries start on line 3. */
    private static String plans(String... entries) {
        StringBuilder b = new StringBuilder("main_plans: [FREE, ESSENTIAL, PRO]\nai_plans:\n");
        for (String e : entries) b.append("  ").append(e).append('\n');
        return b.append("features:\n  vibe_coding: {cost: 10}\n  ai_writer: {cost: 0, ai_plan: false, min_main_plan: ESSENTIAL}\n")
                .toString();
    }

    /** A catalog whose features entries start on line 4. */
    private static String features(String... entries) {
        StringBuilder b = new StringBuilder("main_plans: [FREE, ESSENTIAL, PRO]\nai_plans: {}\nfeatures:\n");
        for (String e : entries) b.append("  ").append(e).append('\n');
        return b.toString();
    }
}
