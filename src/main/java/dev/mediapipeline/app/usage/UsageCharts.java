package dev.mediapipeline.app.usage;

import java.util.List;
import java.util.Locale;

/**
 * Usage charts drawn on the server as SVG: one bar per point, each {@code <rect class="point">} carrying
 * its key and value ({@code data-key}, {@code data-value}) and a {@code <title>}, so that what is drawn
 * can be checked against {@code /usage}. Every text is escaped; the SVG holds no script.
 */
final class UsageCharts {

    /** One bar: its label (a day or a format) and value. */
    record Point(String key, long value) {
    }

    static final int WIDTH = 640;
    static final int HEIGHT = 220;
    private static final int LEFT = 70;
    private static final int BOTTOM = 40;
    private static final int TOP = 28;

    private UsageCharts() {
    }

    static String bars(String title, String unit, List<Point> points) {
        long max = points.stream().mapToLong(Point::value).max().orElse(0);
        int plotWidth = WIDTH - LEFT - 10;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder(512 + points.size() * 200);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"")
                .append(escape(title)).append("\">");
        svg.append("<title>").append(escape(title)).append("</title>");
        svg.append("<text x=\"").append(LEFT).append("\" y=\"16\" font-family=\"sans-serif\" font-size=\"13\" font-weight=\"bold\">")
                .append(escape(title)).append("</text>");
        svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP + plotHeight).append("\" x2=\"").append(WIDTH - 10)
                .append("\" y2=\"").append(TOP + plotHeight).append("\" stroke=\"#888\"/>");
        svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(TOP + 10)
                .append("\" text-anchor=\"end\" font-family=\"sans-serif\" font-size=\"11\">").append(escape(human(max, unit))).append("</text>");
        svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(TOP + plotHeight)
                .append("\" text-anchor=\"end\" font-family=\"sans-serif\" font-size=\"11\">0</text>");
        if (points.isEmpty()) {
            svg.append("<text x=\"").append(LEFT + plotWidth / 2).append("\" y=\"").append(TOP + plotHeight / 2)
                    .append("\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#666\">no usage in this range</text>");
        }
        double slot = points.isEmpty() ? 0 : (double) plotWidth / points.size();
        double barWidth = Math.max(1, slot * 0.7);
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            double h = max == 0 ? 0 : (double) p.value() / max * plotHeight;
            double x = LEFT + i * slot + (slot - barWidth) / 2;
            svg.append("<rect class=\"point\" data-key=\"").append(escape(p.key())).append("\" data-value=\"").append(p.value())
                    .append("\" x=\"").append(format(x)).append("\" y=\"").append(format(TOP + plotHeight - h)).append("\" width=\"")
                    .append(format(barWidth)).append("\" height=\"").append(format(h)).append("\" fill=\"#3b6ea8\"><title>")
                    .append(escape(p.key() + ": " + human(p.value(), unit))).append("</title></rect>");
            // a label under the first, the last and every few bars, as many as fit
            int every = Math.max(1, (int) Math.ceil(points.size() / 8.0));
            if (i % every == 0 && points.size() - 1 - i >= every || i == points.size() - 1) {
                svg.append("<text x=\"").append(format(x + barWidth / 2)).append("\" y=\"").append(TOP + plotHeight + 14)
                        .append("\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"10\">").append(escape(short_(p.key())))
                        .append("</text>");
            }
        }
        return svg.append("</svg>").toString();
    }

    /** A day's label without its year. */
    private static String short_(String key) {
        return key.matches("\\d{4}-\\d{2}-\\d{2}") ? key.substring(5) : key;
    }

    static String human(long value, String unit) {
        if (!unit.equals("bytes")) {
            return value + " " + unit;
        }
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        double v = value;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? value + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return out.toString();
    }
}
