package io.credits.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResultsTest {
    static Results compare() {
        List<Results.Measurement> ms = new ArrayList<>();
        long[] base = {300, 250, 150, 450};
        for (String w : List.of("spread", "hot"))
            for (int c : List.of(1, 16, 256))
                for (int s = 0; s < Compare.SYSTEMS.size(); s++)
                    ms.add(new Results.Measurement(Compare.SYSTEMS.get(s), w, c, Map.of("accounts", 10_000L),
                            base[s] * c, 0, 1.0, 1_000L * c, 5_000L * c, 9_000L * c, 12_000L * c));
        return new Results(Results.VERSION, "compare", "bin/credits bench --compare",
                Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T10:05:00Z"),
                new Results.Machine(2, "AMD EPYC", 24L << 30, "Linux 6.18", "25.0.3", "14.22", "7.0.15", 1.5, 2.5),
                ms, List.of(new Results.Timing("catch-up", 1_000_000, 80.5)));
    }

    @Test
    void json_roundTrips() {
        Results r = compare();
        String json = r.toJson();
        assertThat(Results.fromJson(json)).isEqualTo(r);
        assertThat(json).contains("\"usesPerSecond\" : 300", "\"p999Micros\"", "\"loadAverageAtStart\" : 1.5");
    }

    @Test
    void report_writesTheFileAndFourCompareCharts_andSaysHowFarFromTheGoals(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Results r = compare();
        Path file = r.write(dir);
        assertThat(Results.fromJson(Files.readString(file))).isEqualTo(r);
        List<Path> charts = Report.writeCharts(r, dir);
        assertThat(charts).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(
                "compare-spread-throughput.svg", "compare-spread-p99.svg", "compare-hot-throughput.svg", "compare-hot-p99.svg");
        for (Path chart : charts) assertThat(SvgTest.parse(Files.readString(chart)).getElementsByTagName("polyline").getLength()).isEqualTo(4);
        String md = Report.markdown(r);
        // credits 300·c against redis 450·c and naive 150·c: 0.67× and 2.00× at every level
        assertThat(md).contains("| spread | best | 76,800 | 64,000 | 38,400 | 115,200 | **0.67×** | **2.00×** |");
        assertThat(md).contains("| catch-up | 1,000,000 | 80.5 | 12,422 |");
    }

    @Test
    void withParam_addsOneParameter_andKeepsTheFigure() {
        Results.Measurement m = new Results.Measurement("credits", "hot", 64, Map.of("accounts", 1L), 400, 0, 2.0, 1, 2, 3, 4);
        Results.Measurement more = m.withParam("commits", 40);
        assertThat(more.params()).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("accounts", 1L, "commits", 40L)));
        assertThat(more.usesPerSecond()).isEqualTo(200);
        assertThat(more.withParam("commits", 0).param("accounts")).isEqualTo(1);
    }

    @Test
    void growthCharts_comeFromTheParametersEachStepVaried() {
        List<Results.Measurement> ms = List.of(
                new Results.Measurement("credits", "spread", 64, Map.of("accounts", 1L), 100, 0, 1, 1, 2, 3, 4),
                new Results.Measurement("credits", "spread", 64, Map.of("accounts", 1_000_000L), 90, 0, 1, 1, 2, 3, 4),
                new Results.Measurement("credits", "spread", 64, Map.of("accounts", 10_000L, "ledgerEntries", 5_000_000L),
                        80, 0, 1, 1, 2, 3, 4),
                new Results.Measurement("credits", "hot", 64, Map.of("accounts", 1000L, "grantsPerAccount", 100L),
                        70, 0, 1, 1, 2, 3, 4));
        Results r = new Results(1, "growth", "c", Instant.EPOCH, Instant.EPOCH,
                new Results.Machine(2, "x", 1, "os", "j", "pg", "", 0, 0), ms, List.of());
        var charts = Report.charts(r);
        assertThat(charts).containsOnlyKeys("growth-accounts.svg", "growth-ledger.svg", "growth-grants.svg");
        assertThat(charts.get("growth-accounts.svg").series().getFirst().points())
                .containsExactly(new Svg.Point(1, 100), new Svg.Point(1_000_000, 90));
    }
}
