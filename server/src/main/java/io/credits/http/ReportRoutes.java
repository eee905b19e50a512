package io.credits.http;

import io.credits.account.RefusalCode;
import io.credits.store.LedgerQueries;
import io.credits.store.Reports;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an account can see behind its balance: the ledger, usage totals and the money charged.
 * Lists are newest first and cursor-paginated: {@code ?after=CURSOR&limit=N} gives the page after
 * the one whose {@code nextCursor} was CURSOR.
 */
final class ReportRoutes {
    static final int LIMIT_DEFAULT = 50;
    static final int LIMIT_MAX = 200;
    /** The longest span one usage request may sum. */
    static final Duration USAGE_RANGE_MAX = Duration.ofDays(366);
    /** Without {@code from}, usage covers this long before {@code to}. */
    static final Duration USAGE_RANGE_DEFAULT = Duration.ofDays(30);

    private ReportRoutes() {}

    static void ledger(Router.Call call) {
        String account = call.in.pathId("account");
        call.in.allowQuery("after", "limit");
        Long after = cursor(call.in);
        int limit = call.in.queryLong("limit", 1, LIMIT_MAX).orElse((long) LIMIT_DEFAULT).intValue();
        call.in.check();
        exists(call, account);
        List<LedgerQueries.EntryRow> rows = LedgerQueries.entries(call.engine().dataSource(), account, after, limit + 1);
        List<Views.EntryView> page = rows.stream().limit(limit).map(Views.EntryView::of).toList();
        String next = rows.size() > limit ? Long.toString(rows.get(limit - 1).entryId()) : null;
        call.json(200, new Views.Page<>(page, next));
    }

    static void charges(Router.Call call) {
        String account = call.in.pathId("account");
        call.in.allowQuery("after", "limit");
        Long after = cursor(call.in);
        int limit = call.in.queryLong("limit", 1, LIMIT_MAX).orElse((long) LIMIT_DEFAULT).intValue();
        call.in.check();
        exists(call, account);
        List<Reports.ChargeRow> rows = Reports.charges(call.engine().dataSource(), account, after, limit + 1);
        List<Views.ChargeView> page = rows.stream().limit(limit).map(Views.ChargeView::of).toList();
        String next = rows.size() > limit ? Long.toString(rows.get(limit - 1).id()) : null;
        call.json(200, new Views.Page<>(page, next));
    }

    /**
     * {@code ?from&to&groupBy=day|feature|user|project}: credits of the uses in {@code [from, to)}
     * that were not refunded. Days are the account's local dates. Defaults: {@code to} now (the next
     * whole second),
     * {@code from} 30 days before, {@code groupBy} day.
     */
    static void usage(Router.Call call) {
        String account = call.in.pathId("account");
        call.in.allowQuery("from", "to", "groupBy");
        Optional<Instant> fromGiven = call.in.queryInstant("from");
        Optional<Instant> toGiven = call.in.queryInstant("to");
        String groupText = call.in.query("groupBy").orElse("day");
        Optional<Reports.UsageGroup> group = Reports.UsageGroup.parse(groupText);
        if (group.isEmpty()) call.in.error("query.groupBy", "must be day, feature, user or project");
        call.in.check();
        // Up to and including now: the next whole second, as `to` is exclusive.
        Instant to = toGiven.orElseGet(() -> call.engine().clock().instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1));
        Instant from = fromGiven.orElse(to.minus(USAGE_RANGE_DEFAULT));
        if (!from.isBefore(to)) call.in.error("query.from", "must be before to (" + to + ")");
        else if (Duration.between(from, to).compareTo(USAGE_RANGE_MAX) > 0)
            call.in.error("query.to", "at most " + USAGE_RANGE_MAX.toDays() + " days after from");
        call.in.check();
        ZoneId zone = exists(call, account);
        List<Views.UsageGroupView> data = group.get() == Reports.UsageGroup.DAY
                ? byDay(Reports.usageBuckets(call.engine().dataSource(), account, from, to), zone)
                : Reports.usage(call.engine().dataSource(), account, from, to, group.get()).stream()
                .map(r -> new Views.UsageGroupView(r.key(), r.credits(), r.uses())).toList();
        long credits = data.stream().mapToLong(Views.UsageGroupView::credits).sum();
        long uses = data.stream().mapToLong(Views.UsageGroupView::uses).sum();
        call.json(200, new Views.UsageView(account, from, to, group.get().code(), Views.zoneName(zone), data, credits, uses));
    }

    private static List<Views.UsageGroupView> byDay(List<Reports.UsageBucket> buckets, ZoneId zone) {
        Map<LocalDate, long[]> days = new TreeMap<>();
        for (Reports.UsageBucket b : buckets) {
            long[] sum = days.computeIfAbsent(LocalDate.ofInstant(b.start(), zone), d -> new long[2]);
            sum[0] += b.credits();
            sum[1] += b.uses();
        }
        List<Views.UsageGroupView> out = new ArrayList<>();
        days.forEach((d, s) -> out.add(new Views.UsageGroupView(d.toString(), s[0], s[1])));
        return out;
    }

    /** The cursor of {@code after}: the id of the last item of the page before. */
    private static Long cursor(Input in) {
        Optional<String> after = in.query("after");
        if (after.isEmpty()) return null;
        String s = after.get();
        if (s.matches("[1-9][0-9]{0,17}")) return Long.parseLong(s);
        in.error("query.after", "must be a nextCursor this API returned");
        return null;
    }

    /** The account's time zone; 404 when there is no such account. */
    private static ZoneId exists(Router.Call call, String account) {
        return Reports.accountZone(call.engine().dataSource(), account).orElseThrow(() -> new ApiException(
                Refusals.problem(RefusalCode.NOT_FOUND, "no account '" + account + "'")));
    }

    /** {@code GET /v1/catalog}: plans, prices, features and their costs. */
    static void catalog(Router.Call call) {
        call.in.allowQuery().check();
        call.json(200, Views.CatalogView.of(call.engine().catalog()));
    }
}
