package io.parley.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.parley.gateway.upstream.ServiceDocuments;
import io.parley.kit.Problem;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /q/openapi}: the one OpenAPI 3.1 document of the whole public API, the gateway's root and every
 * {@code /api} path of the services behind it ({@link OpenApiMerge}). YAML by default, JSON for {@code ?format=json}
 * or an {@code Accept} naming {@code application/json}, as Quarkus serves a service's own document. The services'
 * documents are asked again at most every 30 seconds; {@code 503} problem+json with {@code Retry-After} while one
 * of them cannot be had.
 */
@Path("/q/openapi")
public class OpenApiResource {

    static final Duration FRESH_FOR = Duration.ofSeconds(30);
    static final String YAML = "application/yaml";
    private static final ObjectMapper YAML_MAPPER = new ObjectMapper(new YAMLFactory());

    private final ServiceDocuments services;
    private final JsonObject base = load();
    private final AtomicReference<Merged> last = new AtomicReference<>();

    private record Merged(JsonObject document, Instant at) {}

    public OpenApiResource(ServiceDocuments services) {
        this.services = services;
    }

    @GET
    @Operation(hidden = true)
    public Uni<Response> document(@QueryParam("format") String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        boolean json = "json".equalsIgnoreCase(format)
                || (format == null && accept != null && accept.contains(MediaType.APPLICATION_JSON));
        return merged().map(document -> json
                        ? Response.ok(document.encodePrettily(), MediaType.APPLICATION_JSON_TYPE)
                                .build()
                        : Response.ok(yaml(document), YAML).build())
                .onFailure()
                .recoverWithItem(failure -> {
                    Log.warnf("The public OpenAPI document cannot be merged: %s", failure.getMessage());
                    return Response.status(503)
                            .header("Retry-After", "5")
                            .type(Problem.MEDIA_TYPE)
                            .entity(new Problem(
                                    "about:blank",
                                    "Service Unavailable",
                                    503,
                                    "A service behind the gateway did not give its OpenAPI document; try again."))
                            .build();
                });
    }

    private Uni<JsonObject> merged() {
        Merged cached = last.get();
        if (cached != null && cached.at().plus(FRESH_FOR).isAfter(Instant.now())) {
            return Uni.createFrom().item(cached.document());
        }
        return services.fetch().map(documents -> {
            JsonObject document = OpenApiMerge.merge(base, documents);
            last.set(new Merged(document, Instant.now()));
            return document;
        });
    }

    private static String yaml(JsonObject document) {
        try {
            return YAML_MAPPER.writeValueAsString(YAML_MAPPER.readTree(document.encode()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonObject load() {
        try (InputStream in = OpenApiResource.class.getClassLoader().getResourceAsStream("openapi/public-base.json")) {
            return new JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
