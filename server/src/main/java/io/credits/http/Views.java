package io.credits.http;

import io.credits.account.Account;
import io.credits.account.AccountSnapshot;
import io.credits.account.Balance;
import io.credits.catalog.Catalog;
import io.credits.plan.AiSubscription;
import io.credits.plan.MainPlan;
import io.credits.store.LedgerQueries;
import io.credits.store.Reports;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The JSON bodies the API answers with (camelCase, instants in UTC, credits and cents as
 * integers). Each is described under the same name in {@code /openapi.json}.
 */
final class Views {
    private Views() {}

    /** A zone's id, with UTC named so rather than {@code Z}. */
    static String zoneName(java.time.ZoneId zone) {
        return zone.equals(java.time.ZoneOffset.UTC) ? "UTC" : zone.getId();
    }

    /** What the editor of a project is told when a use or hold spends the owner's credits. */
    static final String EDITOR_NOTICE = "This project's AI credits belong to its owner: you are using the owner's credits.";

    record AccountView(String id, String name, String timeZone, Instant createdAt, MainPlanView mainPlan,
                       AiPlanView aiPlan, long lowThreshold) {
        static AccountView of(Account a) {
            return of(a.snapshot());
        }

        static AccountView of(AccountSnapshot s) {
            return new AccountView(s.id(), s.name(), zoneName(s.zone()), s.createdAt(),
                    s.mainPlan() == null ? null : MainPlanView.of(s.mainPlan()),
                    s.aiPlan() == null ? null : AiPlanView.of(s.aiPlan()), s.lowThreshold());
        }
    }

    record MainPlanView(String plan, String term, Instant anchor) {
        static MainPlanView of(MainPlan m) {
            return new MainPlanView(m.plan(), m.term().code(), m.anchor());
        }
    }

    /** {@code nextPlan}: the plan of the next period; {@code none} or {@code FREE} when a cancellation is due. */
    record AiPlanView(String plan, String nextPlan, Instant periodStart, Instant periodEnd, Instant anchor,
                      Instant bookedAt) {
        static AiPlanView of(AiSubscription s) {
            return new AiPlanView(s.plan(), s.nextPlan(), s.period().start(), s.period().end(), s.anchor(), s.bookedAt());
        }
    }

    record BalanceView(String account, long available, long held, long carriedOver, long current, long usedThisPeriod,
                       long willCarryOver, long willExpire, String plan, String nextPlan, Instant periodStart,
                       Instant periodEnd, Instant carriedOverExpiresAt, long chargedCents, String currency) {
        static BalanceView of(Balance b) {
            return new BalanceView(b.account(), b.available(), b.held(), b.carriedOver(), b.current(),
                    b.usedThisPeriod(), b.willCarryOver(), b.willExpire(), b.plan(), b.nextPlan(), b.periodStart(),
                    b.periodEnd(), b.carriedOverExpiresAt(), b.chargedCents(), b.currency());
        }
    }

    record UseView(String id, long credits, String account, long available, String user, String project,
                   String feature, String notice) {}

    record HoldView(String id, long credits, Instant expiresAt, String account, long available, String user,
                    String project, String feature, String notice) {}

    /** {@code status}: {@code captured}, or {@code released} when 0 credits were captured. */
    record CaptureView(String id, String status, long captured, long released, String use, String account,
                       long available) {}

    record ReleaseView(String id, String status, long released, String account, long available) {}

    record RefundView(String id, String status, long credits, String account, long available) {}

    record GrantView(long grant, long credits, Instant expiresAt, String reason, String operator, String account,
                     long available) {}

    record ProjectView(String id, String account) {}

    record MemberView(String project, String user, String role) {}

    record AiAccessView(boolean allowed, String account, long available, String role, String notice, String reason) {}

    record EntryView(long id, String type, String cause, long credits, Long grant, Instant effectiveAt,
                     Instant recordedAt, String ref, String user, String project, String feature) {
        static EntryView of(LedgerQueries.EntryRow r) {
            return new EntryView(r.entryId(), r.type().toLowerCase(Locale.ROOT), r.cause().toLowerCase(Locale.ROOT),
                    r.credits(), r.grantSeq(), r.effectiveAt(), r.recordedAt(), r.ref(), r.userId(), r.projectId(),
                    r.feature());
        }
    }

    record ChargeView(long id, long cents, String currency, String reason, String plan, Instant effectiveAt,
                      Instant periodStart, Instant periodEnd) {
        static ChargeView of(Reports.ChargeRow r) {
            return new ChargeView(r.id(), r.cents(), r.currency(), r.reason(), r.plan(), r.effectiveAt(),
                    r.periodStart(), r.periodEnd());
        }
    }

    /** A page of a list, newest first; {@code nextCursor} fetches the next, null at the end. */
    record Page<T>(List<T> data, String nextCursor) {}

    record UsageGroupView(String key, long credits, long uses) {}

    record UsageView(String account, Instant from, Instant to, String groupBy, String timeZone,
                     List<UsageGroupView> data, long totalCredits, long totalUses) {}

    record CatalogView(String currency, List<String> mainPlans, List<AiPlanEntry> aiPlans, List<FeatureEntry> features) {
        static CatalogView of(Catalog c) {
            List<String> aiFeatures = c.features().values().stream().filter(Catalog.Feature::needsAiPlan)
                    .map(Catalog.Feature::name).toList();
            List<AiPlanEntry> plans = c.aiPlans().values().stream().map(p -> new AiPlanEntry(p.name(), p.credits(),
                    p.priceCents(), c.currency(), p.isFree() ? List.of() : p.features().orElse(aiFeatures))).toList();
            List<FeatureEntry> features = c.features().values().stream().map(f -> new FeatureEntry(f.name(), f.cost(),
                    f.needsAiPlan(), f.minMainPlan().orElse(null))).toList();
            return new CatalogView(c.currency(), c.mainPlans(), plans, features);
        }
    }

    record AiPlanEntry(String name, long credits, long priceCents, String currency, List<String> features) {}

    record FeatureEntry(String name, long cost, boolean needsAiPlan, String minMainPlan) {}
}
