package io.credits.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Line charts as SVG, written by hand: axes (linear or logarithmic), ticks, a line and points per
 * series, and a legend. Enough for benchmark figures, with no plotting library to depend on.
 */
public final class Svg {
    public record Point(double x, double y) {}

    public record Series(String name, List<Point> points) {
        public Series {
            points = List.copyOf(points);
        }
    }

    /** A chart; with a logarithmic axis every value on it must be above zero. */
    public record Chart(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series) {
        public Chart {
            series = List.copyOf(series);
        }
    }

    static final int WIDTH = 760;
    static final int HEIGHT = 430;
    private static final int LEFT = 80;
    private static final int RIGHT = 200;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"};

    private Svg() {}

    public static String lineChart(Chart chart) {
        List<Point> all = chart.series().stream().flatMap(s -> s.points().stream()).toList();
        Axis x = Axis.of(all.stream().mapToDouble(Point::x).toArray(), chart.logX(), true, LEFT, WIDTH - RIGHT);
        Axis y = Axis.of(all.stream().mapToDouble(Point::y).toArray(), chart.logY(), false, HEIGHT - BOTTOM, TOP);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, """
                <?xml version="1.0" encoding="UTF-8"?>
                <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" \
                font-family="sans-serif" font-size="12">
                <rect width="100%%" height="100%%" fill="white"/>
                """, WIDTH, HEIGHT, WIDTH, HEIGHT));
        text(sb, WIDTH / 2.0 - RIGHT / 2.0, 22, "middle", 15, chart.title());
        for (double t : x.ticks) {
            double px = x.pixel(t);
            line(sb, px, TOP, px, HEIGHT - BOTTOM, "#e0e0e0");
            text(sb, px, HEIGHT - BOTTOM + 16, "middle", 11, label(t));
        }
        for (double t : y.ticks) {
            double py = y.pixel(t);
            line(sb, LEFT, py, WIDTH - RIGHT, py, "#e0e0e0");
            text(sb, LEFT - 6, py + 4, "end", 11, label(t));
        }
        line(sb, LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM, "#333");
        line(sb, LEFT, TOP, LEFT, HEIGHT - BOTTOM, "#333");
        text(sb, (LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 18, "middle", 12, chart.xLabel() + (chart.logX() ? " (log scale)" : ""));
        sb.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">%s</text>%n",
                (TOP + HEIGHT - BOTTOM) / 2.0, (TOP + HEIGHT - BOTTOM) / 2.0,
                escape(chart.yLabel() + (chart.logY() ? " (log scale)" : ""))));
        for (int i = 0; i < chart.series().size(); i++) {
            Series s = chart.series().get(i);
            String color = COLORS[i % COLORS.length];
            StringBuilder pts = new StringBuilder();
            for (Point p : s.points()) pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.pixel(p.x()), y.pixel(p.y())));
            sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                    color, pts.toString().trim()));
            for (Point p : s.points())
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s</title></circle>%n",
                        x.pixel(p.x()), y.pixel(p.y()), color, escape(s.name() + ": " + label(p.x()) + ", " + label(p.y()))));
            double ly = TOP + 10 + i * 20;
            line(sb, WIDTH - RIGHT + 14, ly, WIDTH - RIGHT + 38, ly, color);
            text(sb, WIDTH - RIGHT + 44, ly + 4, "start", 12, s.name());
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** An axis: value range, ticks and the mapping to pixels (from {@code p0} at the low end to {@code p1}). */
    private record Axis(double lo, double hi, boolean log, double p0, double p1, List<Double> ticks) {
        static Axis of(double[] values, boolean log, boolean ticksAtValues, double p0, double p1) {
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (double v : values) {
                if (log && v <= 0) throw new IllegalArgumentException("a logarithmic axis takes values above 0: " + v);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (values.length == 0) {
                min = log ? 1 : 0;
                max = log ? 10 : 1;
            }
            TreeSet<Double> distinct = new TreeSet<>();
            for (double v : values) distinct.add(v);
            if (log) {
                double lo = Math.pow(10, Math.floor(Math.log10(min)));
                double hi = Math.pow(10, Math.ceil(Math.log10(max)));
                if (hi <= lo) hi = lo * 10;
                List<Double> ticks = ticksAtValues && distinct.size() <= 12 ? new ArrayList<>(distinct) : logTicks(lo, hi);
                return new Axis(lo, hi, true, p0, p1, ticks);
            }
            double lo = Math.min(0, min);
            double step = niceStep((max - lo) / 6);
            double hi = Math.max(step, Math.ceil(max / step) * step);
            List<Double> ticks = new ArrayList<>();
            if (ticksAtValues && distinct.size() <= 12) {
                ticks.addAll(distinct);
            } else {
                for (double t = lo; t <= hi + step / 2; t += step) ticks.add(t);
            }
            return new Axis(lo, hi, false, p0, p1, ticks);
        }

        double pixel(double v) {
            double f = log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
            return p0 + f * (p1 - p0);
        }
    }

    /** Decades, with 2 and 5 between them when there are few decades. */
    private static List<Double> logTicks(double lo, double hi) {
        List<Double> ticks = new ArrayList<>();
        boolean fine = Math.log10(hi / lo) <= 3;
        for (double d = lo; d <= hi * 1.0001; d *= 10) {
            ticks.add(d);
            if (fine && d * 10 <= hi * 1.0001) {
                ticks.add(d * 2);
                ticks.add(d * 5);
            }
        }
        return ticks;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        if (raw <= 0) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) if (m * p >= raw) return m * p;
        return 10 * p;
    }

    /** A tick or point value, short: 1,500 as 1.5k, 2,000,000 as 2M. */
    static String label(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) return trim(v / 1e6) + "M";
        if (a >= 1e3) return trim(v / 1e3) + "k";
        if (a >= 100 || v == Math.rint(v)) return String.format(Locale.ROOT, "%.0f", v);
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static void line(StringBuilder sb, double x1, double y1, double x2, double y2, String color) {
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                x1, y1, x2, y2, color));
    }

    private static void text(StringBuilder sb, double x, double y, String anchor, int size, String text) {
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, escape(text)));
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }
}
