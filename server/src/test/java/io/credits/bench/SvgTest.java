package io.credits.bench;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SvgTest {
    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void lineChart_isWellFormedSvg_withALineAndPointsPerSeries() throws Exception {
        Svg.Chart chart = new Svg.Chart("Uses <per> second & more", "clients", "uses/s", true, true, List.of(
                new Svg.Series("credits \"in process\"", List.of(new Svg.Point(1, 300), new Svg.Point(4, 1200),
                        new Svg.Point(256, 9000))),
                new Svg.Series("redis", List.of(new Svg.Point(1, 450), new Svg.Point(256, 30000)))));
        Document doc = parse(Svg.lineChart(chart));
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(2);
        assertThat(doc.getElementsByTagName("circle").getLength()).isEqualTo(5);
        assertThat(doc.getDocumentElement().getTextContent()).contains("Uses <per> second & more", "credits \"in process\"");
    }

    @Test
    void lineChart_onLinearAxes_withOneSeriesEmpty_isStillWellFormed() throws Exception {
        Svg.Chart chart = new Svg.Chart("t", "x", "y", false, false, List.of(
                new Svg.Series("a", List.of(new Svg.Point(1, 0), new Svg.Point(2, 5), new Svg.Point(4, 7))),
                new Svg.Series("b", List.of())));
        Document doc = parse(Svg.lineChart(chart));
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(2);
    }

    @Test
    void logAxis_refusesZero() {
        Svg.Chart chart = new Svg.Chart("t", "x", "y", false, true,
                List.of(new Svg.Series("a", List.of(new Svg.Point(1, 0)))));
        assertThatThrownBy(() -> Svg.lineChart(chart)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void labels_areShort() {
        assertThat(Svg.label(256)).isEqualTo("256");
        assertThat(Svg.label(1500)).isEqualTo("1.5k");
        assertThat(Svg.label(20_000)).isEqualTo("20k");
        assertThat(Svg.label(1_000_000)).isEqualTo("1M");
        assertThat(Svg.label(2.5)).isEqualTo("2.5");
        assertThat(Svg.niceStep(7)).isEqualTo(10);
        assertThat(Svg.niceStep(130)).isEqualTo(200);
    }
}
