package io.credits.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks a real answer against {@code /openapi.json}: the route and method are described, the
 * status is listed for that operation, the content type is one it names, and the body validates
 * against its schema. Every response the HTTP tests receive goes through here.
 */
final class Contract {
    static final ObjectNode DOCUMENT = OpenApi.document();
    static final SchemaValidator VALIDATOR = new SchemaValidator(DOCUMENT);

    private record Template(String path, Pattern pattern, boolean literal) {}

    private static final List<Template> TEMPLATES = new ArrayList<>();

    static {
        for (Iterator<String> it = DOCUMENT.get("paths").fieldNames(); it.hasNext(); ) {
            String p = it.next();
            String regex = Pattern.quote(p).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            TEMPLATES.add(new Template(p, Pattern.compile(regex), !p.contains("{")));
        }
        TEMPLATES.sort((a, b) -> Boolean.compare(b.literal(), a.literal()));
    }

    private Contract() {}

    /** The documented path that a request path falls under, or null. */
    static String template(String rawPath) {
        for (Template t : TEMPLATES) if (t.pattern().matcher(rawPath).matches()) return t.path();
        return null;
    }

    /** What is wrong with this answer by the document; empty when it conforms. */
    static List<String> check(String method, String rawPath, int status, String contentType, JsonNode body) {
        List<String> errors = new ArrayList<>();
        String where = method + " " + rawPath + " -> " + status;
        if (status >= 500 && status != 503) {
            errors.add(where + ": a 5xx");
            return errors;
        }
        String template = template(rawPath);
        JsonNode op = template == null ? null : DOCUMENT.get("paths").get(template).get(method.toLowerCase(Locale.ROOT));
        JsonNode response;
        if (op == null) {
            if (status != 404) errors.add(where + ": undocumented route answered other than 404");
            response = DOCUMENT.at("/components/responses/NotFound");
        } else {
            JsonNode r = op.path("responses").get(Integer.toString(status));
            if (r == null) {
                errors.add(where + ": status not documented for " + method + " " + template);
                return errors;
            }
            response = VALIDATOR.resolve(r);
        }
        if (status == 204) {
            if (body != null) errors.add(where + ": 204 with a body");
            return errors;
        }
        String type = contentType == null ? "" : contentType.split(";")[0].trim();
        JsonNode media = response.path("content").get(type);
        if (media == null) {
            errors.add(where + ": content type '" + type + "' not documented; documented: " + response.path("content"));
            return errors;
        }
        if (type.endsWith("json")) {
            if (body == null) errors.add(where + ": no JSON body");
            else VALIDATOR.validate(media.get("schema"), body).forEach(e -> errors.add(where + ": " + e));
        }
        return errors;
    }
}
