package io.credits.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves /openapi.json cannot drift: the routes Javalin registers and the document's operations
 * are the same set both ways, the served document is the one the tests check answers against
 * (every answer of the HTTP tests goes through {@link Contract}), and that check does fail on an
 * undescribed field, a wrong type or an undocumented status.
 */
class OpenApiTest {
    static ApiServer server;

    @BeforeAll
    static void start() {
        server = ApiServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void registeredRoutes_equalTheDocumentsOperations_bothWays() {
        // The billing page (/billing/{account}) and the operator page (/operator...) are HTML for a
        // browser, not API routes.
        Set<String> registered = new TreeSet<>(server.app.http().routes().stream()
                .filter(r -> !r.split(" ", 2)[1].startsWith("/billing/"))
                .filter(r -> !r.split(" ", 2)[1].startsWith("/operator")).toList());
        Set<String> documented = new TreeSet<>();
        JsonNode paths = Contract.DOCUMENT.get("paths");
        for (Iterator<String> p = paths.fieldNames(); p.hasNext(); ) {
            String path = p.next();
            for (Iterator<String> m = paths.get(path).fieldNames(); m.hasNext(); ) {
                String method = m.next();
                if (Set.of("get", "put", "post", "patch", "delete").contains(method)) {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        assertThat(registered).as("registered but not documented").containsAll(documented);
        assertThat(documented).as("documented but not registered").containsAll(registered);
        assertThat(registered).hasSizeGreaterThanOrEqualTo(25);
    }

    @Test
    void servedDocument_isOpenApi31_andTheOneTheTestsCheckAgainst() {
        TestClient.Resp r = server.anonymous.get("/openapi.json");
        assertThat(r.json().get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(r.json()).isEqualTo(Contract.DOCUMENT);
    }

    @Test
    void everyOperation_documentsItsErrors_andEveryRefOfTheDocumentResolves() {
        JsonNode paths = Contract.DOCUMENT.get("paths");
        for (Iterator<String> p = paths.fieldNames(); p.hasNext(); ) {
            String path = p.next();
            for (Iterator<String> m = paths.get(path).fieldNames(); m.hasNext(); ) {
                String method = m.next();
                if (method.equals("parameters")) continue;
                JsonNode op = paths.get(path).get(method);
                assertThat(op.has("operationId")).as(method + " " + path).isTrue();
                if (path.startsWith("/v1/")) {
                    assertThat(op.get("responses").has("401")).as(method + " " + path + " 401").isTrue();
                    assertThat(op.get("responses").has("400")).as(method + " " + path + " 400").isTrue();
                }
            }
        }
        resolveAll(Contract.DOCUMENT);
    }

    @Test
    void theCheck_refusesAnUndescribedField_aWrongType_andAnUndocumentedStatus() throws Exception {
        JsonNode good = TestClient.JSON.readTree("{\"id\":\"p\",\"account\":\"a\"}");
        JsonNode extra = TestClient.JSON.readTree("{\"id\":\"p\",\"account\":\"a\",\"owner\":\"a\"}");
        JsonNode wrongType = TestClient.JSON.readTree("{\"id\":\"p\",\"account\":7}");
        assertThat(Contract.check("PUT", "/v1/projects/p", 200, "application/json", good)).isEmpty();
        assertThat(Contract.check("PUT", "/v1/projects/p", 200, "application/json", extra)).hasSize(1);
        assertThat(Contract.check("PUT", "/v1/projects/p", 200, "application/json", wrongType)).hasSize(1);
        assertThat(Contract.check("PUT", "/v1/projects/p", 201, "application/json", good)).hasSize(1);
        assertThat(Contract.check("PUT", "/v1/projects/p", 200, "text/html", good)).hasSize(1);
        assertThat(Contract.check("GET", "/v1/projects/p", 500, "application/json", good)).hasSize(1);
    }

    private static void resolveAll(JsonNode node) {
        if (node.isObject()) {
            if (node.has("$ref")) Contract.VALIDATOR.resolve(node);
            node.elements().forEachRemaining(OpenApiTest::resolveAll);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(OpenApiTest::resolveAll);
        }
    }
}
