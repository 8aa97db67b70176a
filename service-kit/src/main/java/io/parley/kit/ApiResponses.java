package io.parley.kit;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * The error answers every service's OpenAPI document shares, added to {@code components.responses} by this filter
 * ({@code mp.openapi.filter}, set for every service in the kit's configuration): each is an RFC 9457 problem
 * ({@code application/problem+json}, the {@code Problem} schema). A resource method names the ones it can answer, e.g.
 * {@code @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)}; {@code 401} and {@code 403} of a
 * secured method are added by SmallRye OpenAPI itself.
 */
public final class ApiResponses implements OASFilter {

    /** {@code 400}. */
    public static final String BAD_REQUEST = "BadRequest";
    /** {@code 404}. */
    public static final String NOT_FOUND = "NotFound";
    /** {@code 403}. */
    public static final String FORBIDDEN = "Forbidden";
    /** {@code 409}. */
    public static final String CONFLICT = "Conflict";
    /** {@code 413}. */
    public static final String TOO_LARGE = "TooLarge";
    /** {@code 415}. */
    public static final String UNSUPPORTED = "Unsupported";
    /** {@code 429}. */
    public static final String TOO_MANY = "TooMany";
    /** {@code 503}. */
    public static final String UNAVAILABLE = "Unavailable";

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            BAD_REQUEST, "The request is wrong; detail names the first wrong part. Nothing was changed.",
            NOT_FOUND, "No such thing, or not the caller's to see: the two are never told apart.",
            FORBIDDEN, "The caller may see it but may not do this.",
            CONFLICT, "It conflicts with what is stored.",
            TOO_LARGE, "The body, or a part of it, is too large.",
            UNSUPPORTED,
                    "A Content-Type this path does not take (JSON is expected); for an upload, the file's type, detected"
                            + " from its bytes, is refused.",
            TOO_MANY, "Too many requests: try again after Retry-After seconds.",
            UNAVAILABLE,
                    "Not available now: send the same request again (after Retry-After when given); nothing "
                            + "was changed.");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        components.addSchema(
                "Problem",
                OASFactory.createSchema()
                        .type(List.of(Schema.SchemaType.OBJECT))
                        .description("An RFC 9457 problem")
                        .required(List.of("type", "title", "status", "detail"))
                        .addProperty("type", string("about:blank"))
                        .addProperty("title", string("The status's reason phrase"))
                        .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
                        .addProperty("detail", string("What was wrong, for the user")));
        Schema problem = OASFactory.createSchema().ref("Problem");
        Header retryAfter = OASFactory.createHeader()
                .description("Seconds to wait (RFC 9110 section 10.2.3)")
                .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)));
        DESCRIPTIONS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            APIResponse response = OASFactory.createAPIResponse()
                    .description(entry.getValue())
                    .content(OASFactory.createContent()
                            .addMediaType(
                                    Problem.MEDIA_TYPE,
                                    OASFactory.createMediaType().schema(problem)));
            if (entry.getKey().equals(TOO_MANY) || entry.getKey().equals(UNAVAILABLE)) {
                response.addHeader("Retry-After", retryAfter);
            }
            components.addResponse(entry.getKey(), response);
        });
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).description(description);
    }
}
