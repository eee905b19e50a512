package io.credits.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The part of JSON Schema (2020-12, as OpenAPI 3.1 uses it) that {@code openapi/credits.yaml}
 * uses: $ref to the document, type (one or several), enum, properties, required,
 * additionalProperties, items, oneOf, anyOf, minimum, maximum, minLength, maxLength and the
 * date-time format. Anything else in a schema is refused, so the document cannot use a keyword
 * this check would silently skip.
 */
final class SchemaValidator {
    private static final java.util.Set<String> KNOWN = java.util.Set.of("$ref", "type", "enum", "properties",
            "required", "additionalProperties", "items", "oneOf", "anyOf", "minimum", "maximum", "minLength",
            "maxLength", "format", "description", "default");

    private final JsonNode document;

    SchemaValidator(JsonNode document) {
        this.document = document;
    }

    /** What is wrong with {@code value} under {@code schema}; empty when it conforms. */
    List<String> validate(JsonNode schema, JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "$", errors);
        return errors;
    }

    JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#/")) throw new IllegalArgumentException("only local refs: " + ref);
            JsonNode target = document;
            for (String part : ref.substring(2).split("/")) target = target.path(part);
            if (target.isMissingNode()) throw new IllegalArgumentException("unresolved " + ref);
            node = target;
        }
        return node;
    }

    private void check(JsonNode schema, JsonNode v, String at, List<String> errors) {
        schema = resolve(schema);
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KNOWN.contains(k)) throw new IllegalArgumentException("schema keyword not checked here: " + k + " at " + at);
        }
        if (schema.has("type") && !typeMatches(schema.get("type"), v)) {
            errors.add(at + ": expected type " + schema.get("type") + ", was " + v.getNodeType());
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) found |= e.equals(v);
            if (!found) errors.add(at + ": " + v + " is not one of " + schema.get("enum"));
        }
        if (schema.has("oneOf")) {
            int matches = 0;
            for (JsonNode s : schema.get("oneOf")) if (validate(s, v).isEmpty()) matches++;
            if (matches != 1) errors.add(at + ": matches " + matches + " of oneOf, not exactly 1: " + v);
        }
        if (schema.has("anyOf")) {
            boolean any = false;
            for (JsonNode s : schema.get("anyOf")) any |= validate(s, v).isEmpty();
            if (!any) errors.add(at + ": matches none of anyOf: " + v);
        }
        if (v.isNumber()) {
            if (schema.has("minimum") && v.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0)
                errors.add(at + ": " + v + " < minimum " + schema.get("minimum"));
            if (schema.has("maximum") && v.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0)
                errors.add(at + ": " + v + " > maximum " + schema.get("maximum"));
        }
        if (v.isTextual()) {
            int len = v.asText().codePointCount(0, v.asText().length());
            if (schema.has("minLength") && len < schema.get("minLength").asInt()) errors.add(at + ": shorter than minLength");
            if (schema.has("maxLength") && len > schema.get("maxLength").asInt()) errors.add(at + ": longer than maxLength");
            if ("date-time".equals(schema.path("format").asText())) {
                try {
                    Instant.parse(v.asText());
                    if (!v.asText().endsWith("Z")) errors.add(at + ": instant not in UTC: " + v);
                } catch (DateTimeException e) {
                    errors.add(at + ": not an ISO-8601 instant: " + v);
                }
            }
        }
        if (v.isObject()) {
            JsonNode props = schema.path("properties");
            for (JsonNode r : schema.path("required")) {
                if (!v.has(r.asText())) errors.add(at + ": missing required " + r.asText());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (props.has(f.getKey())) {
                    check(props.get(f.getKey()), f.getValue(), at + "." + f.getKey(), errors);
                } else if (schema.has("additionalProperties")) {
                    JsonNode ap = schema.get("additionalProperties");
                    if (ap.isBoolean() && !ap.asBoolean()) errors.add(at + ": undescribed field " + f.getKey());
                    else if (ap.isObject()) check(ap, f.getValue(), at + "." + f.getKey(), errors);
                }
            }
        }
        if (v.isArray() && schema.has("items")) {
            int i = 0;
            for (JsonNode item : v) check(schema.get("items"), item, at + "[" + i++ + "]", errors);
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode v) {
        if (type.isArray()) {
            for (JsonNode t : type) if (typeMatches(t, v)) return true;
            return false;
        }
        return switch (type.asText()) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }
}
