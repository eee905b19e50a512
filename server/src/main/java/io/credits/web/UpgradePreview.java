package io.credits.web;

import io.credits.account.Account;
import io.credits.catalog.Catalog;
import io.credits.period.Period;
import io.credits.period.Periods;
import io.credits.period.Proration;
import io.credits.plan.AiSubscription;

import java.time.Instant;
import java.util.Optional;

/**
 * What an upgrade would do now (RULES.md, "Changing and cancelling the AI plan"): a top-up of
 * {@code floor((new - old allowance) * daysLeft / daysInPeriod)} credits and a charge of the price
 * difference prorated the same way, rounded half-even; never a negative charge (decision 8). The
 * same arithmetic as the engine's upgrade, over the same period, so the page shows what confirming
 * will grant and charge, to the credit and the cent, on the same day.
 */
record UpgradePreview(String from, String to, long credits, long cents, String currency, long daysLeft,
                      long daysInPeriod, Instant periodEnd, long nextCredits, long nextPriceCents) {

    /** Empty unless the account has an AI plan and {@code target} has more credits than it. */
    static Optional<UpgradePreview> of(Account account, Catalog catalog, String target, Instant now) {
        Optional<AiSubscription> ai = account.aiPlan();
        Optional<Catalog.AiPlan> to = catalog.aiPlan(target);
        if (ai.isEmpty() || to.isEmpty()) return Optional.empty();
        Optional<Catalog.AiPlan> from = catalog.aiPlan(ai.get().plan());
        if (from.isEmpty() || to.get().credits() <= from.get().credits()) return Optional.empty();
        Period p = ai.get().period();
        long daysLeft = Math.min(Periods.daysLeft(now, p.end(), account.zone()), p.daysInPeriod());
        long credits = Proration.credits(to.get().credits() - from.get().credits(), daysLeft, p.daysInPeriod());
        long cents = Proration.cents(Math.max(0, to.get().priceCents() - from.get().priceCents()), daysLeft,
                p.daysInPeriod());
        return Optional.of(new UpgradePreview(from.get().name(), to.get().name(), credits, cents, catalog.currency(),
                daysLeft, p.daysInPeriod(), p.end(), to.get().credits(), to.get().priceCents()));
    }
}
