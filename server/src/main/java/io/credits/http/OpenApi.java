package io.credits.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI 3.1 document served at {@code /openapi.json}, written as YAML resources under
 * {@code openapi/}: the first is the document, each further one adds its {@code paths} and
 * {@code components} (so the routes of another feature bring their own file). A test keeps it
 * equal to the routes the server registers and checks real answers against its schemas.
 */
public final class OpenApi {
    /** The fragments, in order; add a file here with the routes it describes. */
    static final List<String> FRAGMENTS = List.of("openapi/credits.yaml", "openapi/events.yaml");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile byte[] served;

    private OpenApi() {}

    /** The merged document. */
    public static ObjectNode document() {
        ObjectNode doc = null;
        for (String name : FRAGMENTS) {
            ObjectNode part = load(name);
            if (doc == null) {
                doc = part;
                continue;
            }
            merge(doc, part, "paths");
            ObjectNode components = part.with("components");
            for (Iterator<String> it = components.fieldNames(); it.hasNext(); ) {
                String kind = it.next();
                merge(doc.with("components"), components, kind);
            }
        }
        return doc;
    }

    static byte[] json() {
        byte[] b = served;
        if (b == null) {
            try {
                b = JSON.writeValueAsBytes(document());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            served = b;
        }
        return b;
    }

    private static void merge(ObjectNode into, ObjectNode from, String field) {
        JsonNode add = from.get(field);
        if (add == null) return;
        ObjectNode target = into.with(field);
        for (Iterator<Map.Entry<String, JsonNode>> it = add.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (target.has(e.getKey())) throw new IllegalStateException("OpenAPI " + field + " '" + e.getKey()
                    + "' is described twice");
            target.set(e.getKey(), e.getValue());
        }
    }

    private static ObjectNode load(String resource) {
        try (InputStream in = OpenApi.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            return (ObjectNode) JSON.valueToTree(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
