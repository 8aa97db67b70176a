package io.parley.notification.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.kit.ApiResponses;
import io.parley.kit.Problem;
import io.parley.kit.Text;
import io.parley.notification.domain.Mutes;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The caller's muted conversations: no alert for them until {@code until}, or until unmuted. Muting is the caller's
 * own setting and answers the same for any conversation id, so it tells nothing about conversations. The use cases
 * (each change with its {@code mute.changed} event) are in {@link Mutes}.
 */
@Path("/api/push/mutes")
@RolesAllowed({"client", "expert", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class MuteResource {

    private final Mutes mutes;
    private final JsonWebToken jwt;

    public MuteResource(Mutes mutes, JsonWebToken jwt) {
        this.mutes = mutes;
        this.jwt = jwt;
    }

    /** A muted conversation in an answer: {@code until} null for good. */
    public record Mute(UUID conversationId, Instant until) {}

    /** @return {@code {"items": [...]}}: the caller's mutes in force now, by conversation id */
    @GET
    @Operation(summary = "The caller's muted conversations")
    @APIResponse(
            responseCode = "200",
            description = "The mutes",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Schemas.Mutes.class)))
    public Uni<Map<String, List<Mute>>> list() {
        return mutes.list(jwt.getSubject()).map(list -> {
            Map<String, List<Mute>> answer = new LinkedHashMap<>();
            answer.put(
                    "items",
                    list.stream()
                            .map(m -> new Mute(m.conversationId(), m.until()))
                            .toList());
            return answer;
        });
    }

    /**
     * Mutes the conversation; {@code {"until": "2026-12-01T08:00:00Z"}} for a while, no body or no until for good.
     *
     * @return 204; 400 for an id that is not a UUID or an until that is not a future ISO-8601 time
     */
    @PUT
    @Path("/{conversationId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mute a conversation")
    @RequestBody(
            required = false,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = Schemas.MuteRequest.class)))
    @APIResponse(responseCode = "204", description = "Muted")
    @APIResponse(responseCode = "400", ref = ApiResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = ApiResponses.TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ApiResponses.UNSUPPORTED)
    public Uni<Response> mute(
            @PathParam("conversationId")
                    @Parameter(
                            description = "The conversation's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String conversationId,
            JsonNode body) {
        UUID conversation = Problem.parseId(Text.require("conversationId", conversationId));
        Instant until = until(body);
        return mutes.mute(jwt.getSubject(), conversation, until)
                .replaceWith(Response.noContent().build());
    }

    /**
     * Unmutes the conversation (muted or not).
     *
     * @return 204; 400 for an id that is not a UUID
     */
    @DELETE
    @Path("/{conversationId}")
    @Operation(summary = "Unmute a conversation")
    @APIResponse(responseCode = "204", description = "Unmuted")
    @APIResponse(responseCode = "400", ref = ApiResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    public Uni<Response> unmute(
            @PathParam("conversationId")
                    @Parameter(
                            description = "The conversation's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String conversationId) {
        UUID conversation = Problem.parseId(Text.require("conversationId", conversationId));
        return mutes.unmute(jwt.getSubject(), conversation)
                .replaceWith(Response.noContent().build());
    }

    /**
     * The {@code until} of a mute body (free JSON, so checked here rather than by the kit's Jackson module): null for
     * no body or no until; otherwise an ISO-8601 time with an offset, in the future, or a 400 naming it.
     */
    static Instant until(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return null;
        }
        if (!body.isObject()) {
            throw Problem.badRequest("The body is an object: {\"until\": an ISO-8601 time}, or nothing.");
        }
        JsonNode until = body.get("until");
        if (until == null || until.isNull()) {
            return null;
        }
        if (!until.isTextual()) {
            throw Problem.badRequest("until is an ISO-8601 time with an offset, such as 2026-12-01T08:00:00Z.");
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(Text.require("until", until.textValue())).toInstant();
        } catch (DateTimeParseException e) {
            throw Problem.badRequest("until is an ISO-8601 time with an offset, such as 2026-12-01T08:00:00Z.");
        }
        if (!at.isAfter(Instant.now())) {
            throw Problem.badRequest("until must be a time in the future.");
        }
        return at;
    }
}
