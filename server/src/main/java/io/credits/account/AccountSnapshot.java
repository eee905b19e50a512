package io.credits.account;

import io.credits.plan.AiSubscription;
import io.credits.plan.MainPlan;

import java.time.Instant;
import java.time.ZoneId;

/**
 * An account's settings and plans as a command left them: what a plan change answers, stored with
 * its idempotency key so that a replay answers the same body even after later changes.
 */
public record AccountSnapshot(String id, String name, ZoneId zone, Instant createdAt, MainPlan mainPlan,
                              AiSubscription aiPlan, long lowThreshold) {}
