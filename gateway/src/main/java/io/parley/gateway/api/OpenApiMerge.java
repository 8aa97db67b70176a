package io.parley.gateway.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges the services' OpenAPI 3.1 documents into the one document of the public API, the one the gateway serves.
 *
 * <p>Taken from each service: the paths under {@code /api/} (internal paths such as {@code /internal/**} are not
 * public and are left out) and its components (schemas, responses, security schemes, ...); a component other than a
 * schema that an earlier document has under the same name is the earlier one's (the services share their problem
 * responses and security scheme). A schema name two services define
 * differently is renamed in the later service's part to {@code <service>.<name>} (component names allow dots,
 * OpenAPI 3.1 section 4.8.7.1) and every {@code $ref} to it in that part follows. A path two services both define
 * is a configuration error, as the gateway forwards each path to one owner only. Schemas that no public path or
 * shared component refers to (those of internal paths) are left out. Every public operation also names the
 * {@code 429} the gateway answers itself (its rate limit per user, {@link ApiRateLimit}).
 */
public final class OpenApiMerge {

    private static final String SCHEMAS = "#/components/schemas/";
    private static final String TOO_MANY = "#/components/responses/TooMany";
    private static final List<String> METHODS =
            List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private OpenApiMerge() {}

    /**
     * @param base     the document the result starts from ({@code openapi}, {@code info}, the gateway's own paths,
     *                 security schemes, top-level {@code security}); not changed
     * @param services each service's document by the service's name, in the order their parts are merged
     * @return a new document: {@code base} with the services' public paths and components added; paths sorted
     * @throws IllegalStateException when two documents define the same path
     */
    public static JsonObject merge(JsonObject base, Map<String, JsonObject> services) {
        JsonObject merged = base.copy();
        JsonObject components = child(merged, "components");
        JsonObject schemas = child(components, "schemas");
        Map<String, Object> paths = new TreeMap<>(child(merged, "paths").getMap());
        for (Map.Entry<String, JsonObject> service : services.entrySet()) {
            JsonObject document = service.getValue().copy();
            JsonObject theirSchemas =
                    document.getJsonObject("components", new JsonObject()).getJsonObject("schemas", new JsonObject());
            Map<String, String> renamed = new TreeMap<>();
            for (String name : theirSchemas.fieldNames()) {
                Object existing = schemas.getValue(name);
                if (existing != null && !existing.equals(theirSchemas.getValue(name))) {
                    renamed.put(name, service.getKey() + "." + name);
                }
            }
            if (!renamed.isEmpty()) {
                document = (JsonObject) renameRefs(document, renamed);
            }
            JsonObject ownSchemas =
                    document.getJsonObject("components", new JsonObject()).getJsonObject("schemas", new JsonObject());
            for (String name : ownSchemas.fieldNames()) {
                schemas.put(renamed.getOrDefault(name, name), ownSchemas.getValue(name));
            }
            JsonObject theirComponents = document.getJsonObject("components", new JsonObject());
            for (String kind : theirComponents.fieldNames()) {
                if (kind.equals("schemas")) {
                    continue;
                }
                JsonObject ours = child(components, kind);
                JsonObject theirs = theirComponents.getJsonObject(kind, new JsonObject());
                for (String name : theirs.fieldNames()) {
                    ours.getMap().putIfAbsent(name, theirs.getValue(name));
                }
            }
            JsonObject theirPaths = document.getJsonObject("paths", new JsonObject());
            for (String path : theirPaths.fieldNames()) {
                if (!path.startsWith("/api/")) {
                    continue;
                }
                if (paths.containsKey(path)) {
                    throw new IllegalStateException(
                            "Two services define " + path + "; " + service.getKey() + " is one of them");
                }
                paths.put(path, theirPaths.getValue(path));
            }
        }
        merged.put("paths", new JsonObject(paths));
        addRateLimit(merged.getJsonObject("paths"), components);
        JsonObject reachable = new JsonObject(new TreeMap<>());
        java.util.Deque<Object> pending = new java.util.ArrayDeque<>(
                List.of(merged.getJsonObject("paths"), components.copy().put("schemas", new JsonObject())));
        while (!pending.isEmpty()) {
            Object node = pending.pop();
            if (node instanceof JsonObject object) {
                String ref = object.getString("$ref");
                if (ref != null && ref.startsWith(SCHEMAS)) {
                    String name = ref.substring(SCHEMAS.length());
                    if (!reachable.containsKey(name) && schemas.containsKey(name)) {
                        reachable.put(name, schemas.getValue(name));
                        pending.push(schemas.getValue(name));
                    }
                }
                object.forEach(field -> pending.push(field.getValue()));
            } else if (node instanceof JsonArray array) {
                array.forEach(pending::push);
            }
        }
        components.put("schemas", reachable);
        return merged;
    }

    /**
     * Every operation under {@code /api/} may be answered {@code 429} by the gateway itself, before it is forwarded
     * ({@link ApiRateLimit}): each gets {@code "429": {"$ref": "#/components/responses/TooMany"}} unless its service
     * already names a 429 of its own, and the shared {@code TooMany} response (service-kit's {@code ApiResponses}) is
     * defined if no service document brought it.
     */
    private static void addRateLimit(JsonObject paths, JsonObject components) {
        for (String path : paths.fieldNames()) {
            if (!path.startsWith("/api/") || !(paths.getValue(path) instanceof JsonObject)) {
                continue;
            }
            JsonObject item = paths.getJsonObject(path);
            for (String method : METHODS) {
                if (item.getValue(method) instanceof JsonObject operation) {
                    JsonObject responses = child(operation, "responses");
                    if (!responses.containsKey("429")) {
                        responses.put("429", new JsonObject().put("$ref", TOO_MANY));
                    }
                }
            }
        }
        JsonObject responses = child(components, "responses");
        if (!responses.containsKey("TooMany")) {
            responses.put(
                    "TooMany",
                    new JsonObject()
                            .put("description", "Too many requests: try again after Retry-After seconds.")
                            .put(
                                    "content",
                                    new JsonObject()
                                            .put(
                                                    "application/problem+json",
                                                    new JsonObject()
                                                            .put(
                                                                    "schema",
                                                                    new JsonObject().put("$ref", SCHEMAS + "Problem"))))
                            .put(
                                    "headers",
                                    new JsonObject()
                                            .put(
                                                    "Retry-After",
                                                    new JsonObject()
                                                            .put(
                                                                    "description",
                                                                    "Seconds to wait (RFC 9110 section 10.2.3)")
                                                            .put("schema", new JsonObject().put("type", "integer")))));
        }
    }

    private static JsonObject child(JsonObject parent, String name) {
        JsonObject child = parent.getJsonObject(name);
        if (child == null) {
            child = new JsonObject();
            parent.put(name, child);
        }
        return child;
    }

    /** {@code node} with every {@code $ref} to a schema in {@code renamed} pointing at its new name. */
    private static Object renameRefs(Object node, Map<String, String> renamed) {
        if (node instanceof JsonObject object) {
            JsonObject copy = new JsonObject();
            for (Map.Entry<String, Object> field : object) {
                Object value = field.getValue();
                if ("$ref".equals(field.getKey())
                        && value instanceof String ref
                        && ref.startsWith(SCHEMAS)
                        && renamed.containsKey(ref.substring(SCHEMAS.length()))) {
                    value = SCHEMAS + renamed.get(ref.substring(SCHEMAS.length()));
                }
                copy.put(field.getKey(), renameRefs(value, renamed));
            }
            return copy;
        }
        if (node instanceof JsonArray array) {
            JsonArray copy = new JsonArray();
            array.forEach(item -> copy.add(renameRefs(item, renamed)));
            return copy;
        }
        return node;
    }
}
