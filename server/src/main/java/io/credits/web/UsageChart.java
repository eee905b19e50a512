package io.credits.web;

import io.credits.store.BillingQueries.Day;

import java.time.LocalDate;
import java.util.List;

/**
 * Usage by day as an inline SVG bar chart, drawn on the server: one bar per day of the period, its
 * exact figure in a {@code <title>} and in {@code data-} attributes, so the chart needs no script
 * and the numbers can be read by a screen reader or a test. The same figures are in a table beside it.
 */
final class UsageChart {
    static final int WIDTH = 720;
    static final int HEIGHT = 200;
    private static final int LEFT = 56, RIGHT = 8, TOP = 14, BOTTOM = 26;

    private UsageChart() {}

    static String svg(List<Day> days, LocalDate today) {
        long max = 0;
        for (Day d : days) max = Math.max(max, d.credits());
        int plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM;
        double step = days.isEmpty() ? plotW : (double) plotW / days.size();
        StringBuilder sb = new StringBuilder();
        sb.append("<svg id=\"usage-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" aria-labelledby=\"usage-chart-title\" data-max=\"").append(max)
                .append("\"><title id=\"usage-chart-title\">Credits used per day");
        if (!days.isEmpty())
            sb.append(", ").append(Formats.day(days.getFirst().day())).append(" to ").append(Formats.day(days.getLast().day()));
        sb.append("</title>");
        int base = TOP + plotH;
        // Gridlines at the maximum and half of it, labelled, so bars can be read against them.
        for (long g : max == 0 ? new long[]{0} : new long[]{max, max / 2, 0}) {
            double y = base - (max == 0 ? 0 : (double) g / max * plotH);
            sb.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(fmt(y)).append("\" y2=\"").append(fmt(y)).append("\"/>")
                    .append("<text class=\"axis\" x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(y + 4))
                    .append("\" text-anchor=\"end\">").append(Formats.credits(g)).append("</text>");
        }
        for (int i = 0; i < days.size(); i++) {
            Day d = days.get(i);
            double h = max == 0 ? 0 : (double) d.credits() / max * plotH;
            double x = LEFT + i * step + step * 0.15;
            String cls = d.day().equals(today) ? "bar today" : d.day().isAfter(today) ? "bar future" : "bar";
            sb.append("<rect class=\"").append(cls).append("\" x=\"").append(fmt(x)).append("\" y=\"")
                    .append(fmt(base - h)).append("\" width=\"").append(fmt(step * 0.7)).append("\" height=\"")
                    .append(fmt(h)).append("\" data-day=\"").append(d.day()).append("\" data-credits=\"")
                    .append(d.credits()).append("\"><title>").append(Formats.day(d.day())).append(": ")
                    .append(Formats.credits(d.credits())).append(d.credits() == 1 ? " credit" : " credits").append(", ")
                    .append(Formats.credits(d.uses())).append(d.uses() == 1 ? " use" : " uses").append("</title></rect>");
            boolean label = i == 0 || i == days.size() - 1 || (i % 7 == 0 && days.size() - 1 - i >= 3);
            if (label)
                sb.append("<text class=\"axis\" x=\"").append(fmt(LEFT + i * step + step / 2)).append("\" y=\"")
                        .append(HEIGHT - 8).append("\" text-anchor=\"middle\">").append(Formats.shortDay(d.day()))
                        .append("</text>");
        }
        if (max == 0)
            sb.append("<text class=\"empty\" x=\"").append(LEFT + plotW / 2).append("\" y=\"").append(TOP + plotH / 2)
                    .append("\" text-anchor=\"middle\">No credits used in these days</text>");
        return sb.append("</svg>").toString();
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
