package io.parley.message.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.kit.ApiResponses;
import io.parley.kit.Caller;
import io.parley.kit.Problem;
import io.parley.message.domain.MessageService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The caller's read position in a conversation: {@code POST {seq}} reads every message up to seq. */
@Path("/api/conversations/{conversationId}/read")
@RolesAllowed({"client", "expert", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class ReadResource {

    private final MessageService messages;
    private final JsonWebToken jwt;

    public ReadResource(MessageService messages, JsonWebToken jwt) {
        this.messages = messages;
        this.jwt = jwt;
    }

    /** 204 whether or not the position moved: a position never moves back, so an older seq changes nothing. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move the caller's read position")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = Schemas.ReadRequest.class)))
    @APIResponse(responseCode = "204", description = "Read up to seq")
    @APIResponse(responseCode = "400", ref = ApiResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = ApiResponses.TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ApiResponses.UNSUPPORTED)
    public Uni<Response> read(
            @PathParam("conversationId")
                    @Parameter(
                            description = "The conversation's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String conversationId,
            JsonNode body) {
        var conversation = Problem.parseId(conversationId);
        JsonNode seq = body == null ? null : body.get("seq");
        if (seq == null
                || !seq.isNumber()
                || !seq.canConvertToExactIntegral()
                || !seq.canConvertToLong()
                || seq.asLong() < 0) {
            throw Problem.badRequest("seq is required: the seq of the last message read, a whole number from 0.");
        }
        return messages.markRead(Caller.of(jwt), conversation, seq.asLong())
                .replaceWith(Response.noContent().build());
    }

    /**
     * {@code 200 {positions: {userId: seq}}}: how far each reader has read (participants; admins who read a support
     * conversation), to whoever may read the conversation; {@code 404} to anyone else.
     */
    @GET
    @Operation(summary = "Read positions of the conversation's readers")
    @APIResponse(
            responseCode = "200",
            description = "Each reader's position",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = Schemas.ReadPositions.class)))
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    public Uni<Schemas.ReadPositions> positions(
            @PathParam("conversationId")
                    @Parameter(
                            description = "The conversation's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String conversationId) {
        return messages.readPositions(Caller.of(jwt), Problem.parseId(conversationId))
                .map(Schemas.ReadPositions::new);
    }

    @ServerExceptionMapper
    public Response refused(MessageService.Refused e) {
        return Problem.notFound().getResponse();
    }
}
