package io.credits.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/** Proves that the loader accepts exactly the plan tables whose price per credit strictly falls as the credits rise. */
class CatalogLoaderPropertyTest {

    private static final String SOURCE = "catalog.yaml";

    /**
     * For random plan tables, the loader accepts exactly those in which, sorted by credits, the
     * credits differ and each price per credit is strictly below the one before. The oracle compares
     * fractions by their continued-fraction expansion (integer parts, then reciprocals of the
     * remainders), with no multiplication and no big numbers, so it shares nothing with the loader's
     * cross-multiplication.
     */
    @Property(tries = 2000)
    void loaderAcceptsExactlyTheTablesWhosePricePerCreditFalls(@ForAll("planTables") List<Tuple.Tuple2<Long, Long>> table) {
        StringBuilder yaml = new StringBuilder("main_plans: [FREE]\nfeatures: {}\nai_plans:\n");
        for (int i = 0; i < table.size(); i++) {
            yaml.append("  P").append(i).append(": {credits: ").append(table.get(i).get1())
                    .append(", price_cents: ").append(table.get(i).get2()).append("}\n");
        }
        boolean falls = pricePerCreditFalls(table);
        Statistics.label("outcome").collect(falls ? "accepted" : "refused");
        Statistics.label("outcome").coverage(c -> {
            c.check("accepted").percentage(p -> p > 15);
            c.check("refused").percentage(p -> p > 15);
        });

        if (falls) {
            Catalog c = CatalogLoader.parse(yaml.toString(), SOURCE);
            List<Long> credits = c.aiPlans().values().stream().map(Catalog.AiPlan::credits).toList();
            assertThat(credits).hasSize(table.size() + 1).isSorted().startsWith(0L);
        } else {
            assertThatThrownBy(() -> CatalogLoader.parse(yaml.toString(), SOURCE))
                    .isInstanceOf(CatalogException.class)
                    .hasMessageMatching("catalog\\.yaml line \\d+: ai_plans\\.P\\d+: (price per credit|credits) .*");
        }
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<Long, Long>>> planTables() {
        Arbitrary<Long> smallCredits = Arbitraries.longs().between(1, 12);
        Arbitrary<Long> smallPrices = Arbitraries.longs().between(0, 40);
        Arbitrary<Long> anyCredits = Arbitraries.longs().between(1, CatalogLoader.CREDITS_MAX);
        Arbitrary<Long> anyPrices = Arbitraries.longs().between(0, CatalogLoader.PRICE_CENTS_MAX);
        Arbitrary<List<Tuple.Tuple2<Long, Long>>> small = Combinators.combine(smallCredits, smallPrices).as(Tuple::of)
                .list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<List<Tuple.Tuple2<Long, Long>>> large = Combinators.combine(anyCredits, anyPrices).as(Tuple::of)
                .list().ofMinSize(1).ofMaxSize(3);
        return Arbitraries.oneOf(small, large, nearTheBoundary());
    }

    /** Tables whose price per credit falls, stays or rises by a cent or two: the cases where an off-by-one hides. */
    private Arbitrary<List<Tuple.Tuple2<Long, Long>>> nearTheBoundary() {
        Arbitrary<Long> firstCredits = Arbitraries.longs().between(1, 1000);
        Arbitrary<Long> firstPrice = Arbitraries.longs().between(1, 1000);
        Arbitrary<List<Tuple.Tuple2<Long, Long>>> steps = Combinators.combine(
                        Arbitraries.longs().between(1, 10), Arbitraries.longs().between(-2, 1)).as(Tuple::of)
                .list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(firstCredits, firstPrice, steps, Arbitraries.randoms()).as((c0, p0, growth, random) -> {
            List<Tuple.Tuple2<Long, Long>> table = new ArrayList<>();
            long credits = c0;
            long price = p0;
            table.add(Tuple.of(credits, price));
            for (Tuple.Tuple2<Long, Long> step : growth) {
                long next = credits * (step.get1() + 1);
                // the price at an unchanged price per credit, floored, then nudged down or up
                price = Math.max(0, price * next / credits + step.get2());
                credits = next;
                table.add(Tuple.of(credits, price));
            }
            Collections.shuffle(table, random);
            return table;
        });
    }

    /** The oracle: sorted by credits, credits distinct and price per credit strictly falling. */
    private static boolean pricePerCreditFalls(List<Tuple.Tuple2<Long, Long>> table) {
        List<Tuple.Tuple2<Long, Long>> sorted = table.stream().sorted(Comparator.comparing(Tuple.Tuple2::get1)).toList();
        for (int i = 1; i < sorted.size(); i++) {
            var smaller = sorted.get(i - 1);
            var larger = sorted.get(i);
            if (larger.get1().equals(smaller.get1())) return false;
            if (compareFractions(larger.get2(), larger.get1(), smaller.get2(), smaller.get1()) >= 0) return false;
        }
        return true;
    }

    /** Sign of a/b − c/d for a, c ≥ 0 and b, d > 0, by the Euclidean expansion: no products, no overflow. */
    static int compareFractions(long a, long b, long c, long d) {
        while (true) {
            long qa = a / b;
            long qc = c / d;
            if (qa != qc) return Long.compare(qa, qc);
            long ra = a % b;
            long rc = c % d;
            if (ra == 0 || rc == 0) return Long.compare(ra == 0 ? 0 : 1, rc == 0 ? 0 : 1);
            // ra/b < rc/d exactly when d/rc < b/ra
            long na = d, nb = rc, nc = b, nd = ra;
            a = na;
            b = nb;
            c = nc;
            d = nd;
        }
    }

    @Example
    void compareFractions_agreesWithHandWorkedCases() {
        assertThat(compareFractions(1, 2, 2, 4)).isZero();
        assertThat(compareFractions(1, 3, 1, 2)).isNegative();
        assertThat(compareFractions(5900, 2000, 2900, 1000)).isPositive();
        assertThat(compareFractions(8701, 3000, 2903, 1000)).isNegative();
        assertThat(compareFractions(0, 7, 0, 9)).isZero();
        assertThat(compareFractions(999_999_999, 1_000_000_000, 999_999_998, 999_999_999)).isPositive();
    }
}
