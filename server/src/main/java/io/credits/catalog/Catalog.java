package io.credits.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plans, prices and feature costs in force. Data, never code: loaded from a file by
 * {@link CatalogLoader}, which refuses a catalog that breaks the rules of RULES.md.
 *
 * @param currency  ISO code of the currency that all cents are in
 * @param mainPlans main plans ranked lowest first
 * @param aiPlans   AI plans by name, FREE (0 credits, 0 cents) included, in ascending credits
 * @param features  chargeable features by name
 */
public record Catalog(String currency, List<String> mainPlans, Map<String, AiPlan> aiPlans,
                      Map<String, Feature> features) {

    public static final String FREE = "FREE";

    public Catalog {
        currency = java.util.Objects.requireNonNull(currency, "currency");
        mainPlans = List.copyOf(mainPlans);
        aiPlans = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(aiPlans));
        features = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(features));
        if (!aiPlans.containsKey(FREE)) throw new IllegalArgumentException("catalog lacks the FREE AI plan");
    }

    public Optional<AiPlan> aiPlan(String name) {
        return Optional.ofNullable(aiPlans.get(name));
    }

    public Optional<Feature> feature(String name) {
        return Optional.ofNullable(features.get(name));
    }

    /** Rank of a main plan, lowest 0; -1 when unknown. */
    public int mainPlanRank(String name) {
        return mainPlans.indexOf(name);
    }

    public boolean hasMainPlan(String name) {
        return mainPlans.contains(name);
    }

    /** An AI plan with credits and a price. */
    public record AiPlan(String name, long credits, long priceCents, Optional<List<String>> features) {
        public AiPlan {
            if (credits < 0) throw new IllegalArgumentException("credits must be >= 0: " + credits);
            if (priceCents < 0) throw new IllegalArgumentException("price_cents must be >= 0: " + priceCents);
            features = features.map(List::copyOf);
        }

        public boolean isFree() {
            return FREE.equals(name);
        }
    }

    /**
     * A chargeable AI action. {@code needsAiPlan} false means the feature is free of an AI plan and
     * only asks for a main plan of at least {@code minMainPlan} (the AI Writer).
     */
    public record Feature(String name, long cost, boolean needsAiPlan, Optional<String> minMainPlan) {
        public Feature {
            if (cost < 0) throw new IllegalArgumentException("cost must be >= 0: " + cost);
        }
    }

    /** Whether an account on these plans may use the feature (RULES.md: features, ai_writer). */
    public boolean includes(Feature feature, String aiPlanName, Optional<String> mainPlanName) {
        if (!feature.needsAiPlan()) {
            int need = feature.minMainPlan().map(this::mainPlanRank).orElse(0);
            return mainPlanName.map(this::mainPlanRank).filter(r -> r >= 0 && r >= need).isPresent();
        }
        AiPlan plan = aiPlans.get(aiPlanName);
        if (plan == null || plan.isFree()) return false;
        return plan.features().map(list -> list.contains(feature.name())).orElse(true);
    }
}
