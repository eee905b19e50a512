package io.credits.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the page as a test would read it: figures by element id, rows by their data attributes, forms by id. */
final class Html {
    private static final Pattern ATTR = Pattern.compile("([a-z-]+)=\"([^\"]*)\"");

    private Html() {}

    /** The {@code value} of {@code <data id="...">}. */
    static long data(String html, String id) {
        return Long.parseLong(dataText(html, id));
    }

    static String dataText(String html, String id) {
        Matcher m = Pattern.compile("<data id=\"" + Pattern.quote(id) + "\" value=\"([^\"]*)\">").matcher(html);
        if (!m.find()) throw new AssertionError("no <data id=\"" + id + "\"> in the page");
        return unescape(m.group(1));
    }

    static Optional<String> attr(String html, String elementStart, String name) {
        int at = html.indexOf(elementStart);
        if (at < 0) return Optional.empty();
        String tag = html.substring(at, html.indexOf('>', at));
        return Optional.ofNullable(attrs(tag).get(name));
    }

    /** The data attributes of every row of a table, in order. */
    static List<Map<String, String>> rows(String html, String tableId) {
        int start = html.indexOf("<table id=\"" + tableId + "\"");
        if (start < 0) throw new AssertionError("no table " + tableId);
        String table = html.substring(start, html.indexOf("</table>", start));
        List<Map<String, String>> out = new ArrayList<>();
        Matcher m = Pattern.compile("<tr( [^>]*)>").matcher(table);
        while (m.find()) {
            Map<String, String> a = attrs(m.group(1));
            if (!a.isEmpty()) out.add(a);
        }
        return out;
    }

    /** Every element opening with {@code <tag ...data-...>} inside the SVG, with its attributes. */
    static List<Map<String, String>> svgBars(String html) {
        int start = html.indexOf("<svg id=\"usage-chart\"");
        if (start < 0) throw new AssertionError("no usage chart");
        String svg = html.substring(start, html.indexOf("</svg>", start));
        List<Map<String, String>> out = new ArrayList<>();
        Matcher m = Pattern.compile("<rect ([^>]*)>").matcher(svg);
        while (m.find()) out.add(attrs(m.group(1)));
        return out;
    }

    /** The form's action and its fields (hidden inputs, and the first option of each select). */
    static Map<String, String> form(String html, String formId) {
        int start = html.indexOf("<form id=\"" + formId + "\"");
        if (start < 0) throw new AssertionError("no form " + formId);
        String form = html.substring(start, html.indexOf("</form>", start));
        Map<String, String> out = new LinkedHashMap<>();
        out.put("@action", attrs(form.substring(0, form.indexOf('>'))).get("action"));
        Matcher m = Pattern.compile("<input ([^>]*)>").matcher(form);
        while (m.find()) {
            Map<String, String> a = attrs(m.group(1));
            if ("hidden".equals(a.get("type"))) out.put(a.get("name"), a.get("value"));
        }
        return out;
    }

    static Map<String, String> attrs(String tag) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ATTR.matcher(tag);
        while (m.find()) out.put(m.group(1), unescape(m.group(2)));
        return out;
    }

    static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    }

    /** The query parameters of a path like {@code /billing/a?expires=1&sig=x}. */
    static Map<String, String> query(String path) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = path.indexOf('?');
        if (q < 0) return out;
        String rest = path.substring(q + 1);
        int hash = rest.indexOf('#');
        if (hash >= 0) rest = rest.substring(0, hash);
        for (String part : rest.split("&")) {
            int eq = part.indexOf('=');
            out.put(java.net.URLDecoder.decode(part.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(part.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The account of a path like {@code /billing/a%20b?...}, decoded as a router decodes it. */
    static String account(String path) {
        String seg = path.substring(PortalLinks.PATH_PREFIX.length(), path.indexOf('?'));
        return java.net.URLDecoder.decode(seg.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
