package io.credits.account;

import java.time.Instant;

/**
 * The account's credits at an instant, as the billing page and a scenario's {@code expect} see
 * them (RULES.md, decisions 7 to 10). Period bounds are null when there is no period to show.
 */
public record Balance(String account, long available, long held, long carriedOver, long current,
                      long usedThisPeriod, long willCarryOver, long willExpire, String plan, String nextPlan,
                      Instant periodStart, Instant periodEnd, long chargedCents, String currency,
                      Instant carriedOverExpiresAt) {}
