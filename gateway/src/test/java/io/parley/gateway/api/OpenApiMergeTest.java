package io.parley.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenApiMergeTest {

    private static final JsonObject BASE = new JsonObject("""
            {"openapi":"3.1.0","info":{"title":"all"},"paths":{"/":{"get":{}}}}""");

    private static JsonObject service(String path, String schema, String schemaBody) {
        return new JsonObject("""
                {"openapi":"3.1.0","info":{"title":"one"},
                 "paths":{"%s":{"get":{"responses":{"200":{"content":{"application/json":{"schema":
                   {"$ref":"#/components/schemas/%s"}}}}}}},
                          "/internal/x":{"post":{}}},
                 "components":{"schemas":{"%s":%s},
                   "securitySchemes":{"SecurityScheme":{"type":"http","scheme":"bearer"}}}}""".formatted(path, schema, schema, schemaBody));
    }

    @Test
    void publicPathsAndSchemasOfEveryServiceAreKeptAndInternalPathsLeftOut() {
        Map<String, JsonObject> services = new LinkedHashMap<>();
        services.put("a-service", service("/api/a", "Thing", "{\"type\":\"object\"}"));
        services.put("b-service", service("/api/b", "Other", "{\"type\":\"string\"}"));
        JsonObject merged = OpenApiMerge.merge(BASE, services);
        assertThat(merged.getJsonObject("paths").fieldNames()).containsExactly("/", "/api/a", "/api/b");
        assertThat(merged.getJsonObject("info").getString("title")).isEqualTo("all");
        assertThat(merged.getJsonObject("components").getJsonObject("schemas").fieldNames())
                .containsExactly("Other", "Thing");
        assertThat(merged.getJsonObject("components")
                        .getJsonObject("securitySchemes")
                        .fieldNames())
                .containsExactly("SecurityScheme");
        assertThat(BASE.getJsonObject("paths").fieldNames()).containsExactly("/"); // the base is not changed
    }

    @Test
    void aSchemaNameTwoServicesDefineDifferentlyIsRenamedWithItsReferences() {
        Map<String, JsonObject> services = new LinkedHashMap<>();
        services.put("a-service", service("/api/a", "Thing", "{\"type\":\"object\"}"));
        services.put("b-service", service("/api/b", "Thing", "{\"type\":\"string\"}"));
        services.put("c-service", service("/api/c", "Thing", "{\"type\":\"object\"}")); // the same as a's: shared
        JsonObject merged = OpenApiMerge.merge(BASE, services);
        JsonObject schemas = merged.getJsonObject("components").getJsonObject("schemas");
        assertThat(schemas.fieldNames()).containsExactly("Thing", "b-service.Thing");
        assertThat(schemas.getJsonObject("b-service.Thing").getString("type")).isEqualTo("string");
        assertThat(ref(merged, "/api/b")).isEqualTo("#/components/schemas/b-service.Thing");
        assertThat(ref(merged, "/api/a")).isEqualTo("#/components/schemas/Thing");
        assertThat(ref(merged, "/api/c")).isEqualTo("#/components/schemas/Thing");
    }

    @Test
    void schemasOnlyInternalPathsUseAreLeftOut() {
        JsonObject service = service("/api/a", "Thing", "{\"type\":\"object\"}");
        service.getJsonObject("paths").getJsonObject("/internal/x").put("post", new JsonObject("""
                {"requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Secret"}}}}}"""));
        service.getJsonObject("components")
                .getJsonObject("schemas")
                .put("Secret", new JsonObject().put("type", "object"));
        JsonObject merged = OpenApiMerge.merge(BASE, Map.of("a-service", service));
        assertThat(merged.getJsonObject("components").getJsonObject("schemas").fieldNames())
                .containsExactly("Thing");
    }

    @Test
    void aPathTwoServicesDefineIsAnError() {
        Map<String, JsonObject> services = new LinkedHashMap<>();
        services.put("a-service", service("/api/a", "Thing", "{\"type\":\"object\"}"));
        services.put("b-service", service("/api/a", "Other", "{\"type\":\"object\"}"));
        assertThatThrownBy(() -> OpenApiMerge.merge(BASE, services))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/api/a");
    }

    private static String ref(JsonObject document, String path) {
        return document.getJsonObject("paths")
                .getJsonObject(path)
                .getJsonObject("get")
                .getJsonObject("responses")
                .getJsonObject("200")
                .getJsonObject("content")
                .getJsonObject("application/json")
                .getJsonObject("schema")
                .getString("$ref");
    }

    @Test
    void everyPublicOperationNamesTheGatewaysOwn429UnlessItHasOne() {
        JsonObject withOwn = new JsonObject("""
                {"openapi":"3.1.0","info":{"title":"one"},
                 "paths":{"/api/up":{"post":{"responses":{"429":{"description":"uploads"}}},
                                     "get":{"responses":{"200":{"description":"ok"}}}},
                          "/internal/y":{"post":{"responses":{"204":{"description":"done"}}}}},
                 "components":{"responses":{"TooMany":{"description":"shared"}}}}""");
        Map<String, JsonObject> services = new LinkedHashMap<>();
        services.put("a-service", withOwn);
        JsonObject merged = OpenApiMerge.merge(BASE, services);
        JsonObject paths = merged.getJsonObject("paths");
        assertThat(paths.getJsonObject("/api/up")
                        .getJsonObject("get")
                        .getJsonObject("responses")
                        .getJsonObject("429"))
                .isEqualTo(new JsonObject().put("$ref", "#/components/responses/TooMany"));
        assertThat(paths.getJsonObject("/api/up")
                        .getJsonObject("post")
                        .getJsonObject("responses")
                        .getJsonObject("429"))
                .isEqualTo(new JsonObject().put("description", "uploads"));
        assertThat(paths.getJsonObject("/").getJsonObject("get").containsKey("responses"))
                .isFalse();
        assertThat(merged.getJsonObject("components").getJsonObject("responses").getJsonObject("TooMany"))
                .isEqualTo(new JsonObject().put("description", "shared"));
        // without a service that defines it, the gateway defines the shared answer itself
        JsonObject alone = OpenApiMerge.merge(BASE, Map.of("b-service", service("/api/b", "T", "{}")));
        assertThat(alone.getJsonObject("components")
                        .getJsonObject("responses")
                        .getJsonObject("TooMany")
                        .getJsonObject("headers")
                        .containsKey("Retry-After"))
                .isTrue();
    }
}
