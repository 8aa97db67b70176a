package io.parley.message.api;

import io.parley.events.MessageData;
import io.parley.kit.ApiResponses;
import io.parley.kit.Caller;
import io.parley.kit.Problem;
import io.parley.kit.Text;
import io.parley.message.domain.MessageService;
import io.parley.message.domain.MessageService.ChangeRefused;
import io.parley.message.domain.MessageService.Refused;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A conversation's messages: send, read history, edit and delete. Every client string is checked against the text
 * rule ({@link Text}) before anything is stored; a body that creates one message is refused whole, naming the part.
 */
@Path("/api/conversations/{conversationId}/messages")
@RolesAllowed({"client", "expert", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class MessageResource {

    /** The longest content a message may have, in characters. */
    public static final int MAX_CONTENT = 8_000;

    public static final int MAX_ATTACHMENTS = Attachments.MAX;
    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 200;
    private static final Set<String> CLIENT_TYPES = Set.of("text", "file");

    private final MessageService messages;
    private final JsonWebToken jwt;

    public MessageResource(MessageService messages, JsonWebToken jwt) {
        this.messages = messages;
        this.jwt = jwt;
    }

    /**
     * Stores a message: {@code 201} with it, {@code 200} with the stored one for a retried clientMessageId; {@code 400}
     * naming the first wrong field or attachment ({@code attachments: [{"id": upload id}]}, at most 10, each an upload
     * of the sender in this conversation), {@code 413} for content too long, {@code 404}, {@code 409} (clientMessageId
     * used elsewhere, or an upload attached to another message).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a message")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = Schemas.SendMessageRequest.class)))
    @APIResponse(
            responseCode = "201",
            description = "Stored, with its seq",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MessageData.class)))
    @APIResponse(
            responseCode = "200",
            description = "The same clientMessageId again: the stored message",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MessageData.class)))
    @APIResponse(responseCode = "400", ref = ApiResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiResponses.CONFLICT)
    @APIResponse(responseCode = "413", ref = ApiResponses.TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ApiResponses.UNSUPPORTED)
    public Uni<Response> send(
            @PathParam("conversationId")
                    @Parameter(
                            description = "The conversation's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String conversationId,
            SendMessageRequest request) {
        UUID conversation = Problem.parseId(conversationId);
        if (request == null) {
            throw Problem.badRequest("A body with clientMessageId and content is required.");
        }
        UUID clientMessageId = clientMessageId(request.clientMessageId());
        if (request.type() != null && !CLIENT_TYPES.contains(request.type())) {
            throw Problem.badRequest("type must be text or file.");
        }
        List<UUID> attachments = Attachments.check(request.attachments());
        checkContent(request.content(), !attachments.isEmpty());
        // without a type: a message of files only is a file message, any other a text
        boolean filesOnly = !attachments.isEmpty()
                && (request.content() == null || request.content().isBlank());
        String type = request.type() != null ? request.type() : filesOnly ? "file" : "text";
        // a message of files only has no content: white space beside files is none (docs/api.md)
        String content = filesOnly ? null : request.content();
        return messages.send(Caller.of(jwt), conversation, clientMessageId, type, content, attachments)
                .map(sent -> Response.status(sent.isNew() ? 201 : 200)
                        .entity(sent.message())
                        .build());
    }

    /** A page of history, ascending: after {@code afterSeq}, before {@code beforeSeq}, or the latest. */
    @GET
    @Operation(summary = "A page of history, ascending")
    @APIResponse(
            responseCode = "200",
            description = "The page",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = MessageService.Page.class)))
    @APIResponse(responseCode = "400", ref = ApiResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    public Uni<MessageService.Page> history(
            @PathParam("conversationId")
                    @Parameter(
                            description = "The conversation's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String conversationId,
            @QueryParam("afterSeq") String afterSeq,
            @QueryParam("beforeSeq") String beforeSeq,
            @QueryParam("limit") String limit) {
        UUID conversation = Problem.parseId(conversationId);
        if (afterSeq != null && beforeSeq != null) {
            throw Problem.badRequest("Give afterSeq or beforeSeq, not both.");
        }
        Long after = afterSeq == null ? null : Problem.number("afterSeq", afterSeq, 0, Long.MAX_VALUE, 0);
        Long before = beforeSeq == null ? null : Problem.number("beforeSeq", beforeSeq, 1, Long.MAX_VALUE, 1);
        int size = (int) Problem.number("limit", limit, 1, MAX_PAGE, DEFAULT_PAGE);
        return messages.history(Caller.of(jwt), conversation, after, before, size);
    }

    /** Replaces the content of the caller's own message; answers the message as it is now. */
    @PATCH
    @Path("/{messageId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Edit one's own message")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = EditMessageRequest.class)))
    @APIResponse(
            responseCode = "200",
            description = "The message with editedAt",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MessageData.class)))
    @APIResponse(responseCode = "400", ref = ApiResponses.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiResponses.CONFLICT)
    @APIResponse(responseCode = "413", ref = ApiResponses.TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ApiResponses.UNSUPPORTED)
    public Uni<MessageData> edit(
            @PathParam("conversationId")
                    @Parameter(
                            description = "The conversation's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String conversationId,
            @PathParam("messageId")
                    @Parameter(
                            description = "The message's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String messageId,
            EditMessageRequest request) {
        UUID conversation = Problem.parseId(conversationId);
        UUID message = messageId(messageId);
        if (request == null) {
            throw Problem.badRequest("A body with content is required.");
        }
        checkContent(request.content(), false);
        return messages.edit(Caller.of(jwt), conversation, message, request.content());
    }

    /** Erases a message (its sender, or an admin); {@code 204} also when it was deleted already. */
    @DELETE
    @Path("/{messageId}")
    @Operation(summary = "Delete a message (its sender, or an admin)")
    @APIResponse(responseCode = "204", description = "Deleted (again: nothing changes)")
    @APIResponse(responseCode = "403", ref = ApiResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    public Uni<Response> delete(
            @PathParam("conversationId")
                    @Parameter(
                            description = "The conversation's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String conversationId,
            @PathParam("messageId")
                    @Parameter(
                            description = "The message's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String messageId) {
        UUID conversation = Problem.parseId(conversationId);
        UUID message = messageId(messageId);
        return messages.delete(Caller.of(jwt), conversation, message)
                .map(deleted -> Response.noContent().build());
    }

    /**
     * The message id of a path; one that is not a UUID names no message. Answered before anything is read, the same
     * for every conversation, so it tells nothing about the conversation.
     */
    private static UUID messageId(String id) {
        try {
            return io.parley.kit.Uuids.parse(id);
        } catch (IllegalArgumentException e) {
            throw noSuchMessage();
        }
    }

    private static jakarta.ws.rs.WebApplicationException noSuchMessage() {
        return Problem.of(Response.Status.NOT_FOUND, "No such message.");
    }

    /** A send, edit or delete the replica or the stored messages refuse: {@code 404} or {@code 409}. */
    @ServerExceptionMapper
    public Response refused(Refused e) {
        return switch (e.reason) {
            case NOT_FOUND -> Problem.notFound().getResponse();
            case MESSAGE_NOT_FOUND -> noSuchMessage().getResponse();
            case CLIENT_ID_REUSED ->
                Problem.of(
                                Response.Status.CONFLICT,
                                "This clientMessageId was used for a message in another conversation.")
                        .getResponse();
        };
    }

    /** An attachment the sender may not attach: {@code 400} or {@code 409}, naming it by its place in the list. */
    @ServerExceptionMapper
    public Response attachRefused(MessageService.AttachRefused e) {
        String path = "attachments[" + e.index + "]";
        return switch (e.reason) {
            case NOT_YOURS ->
                Problem.badRequest(path + " is not an upload of yours in this conversation.")
                        .getResponse();
            case ATTACHED_ELSEWHERE ->
                Problem.of(Response.Status.CONFLICT, path + " is attached to another message.")
                        .getResponse();
        };
    }

    /** A change the message's rules refuse: {@code 403} or {@code 409}. */
    @ServerExceptionMapper
    public Response changeRefused(ChangeRefused e) {
        return switch (e.reason) {
            case NOT_SENDER ->
                Problem.of(
                                Response.Status.FORBIDDEN,
                                "Only the sender may edit a message; only the sender or an admin may delete it.")
                        .getResponse();
            case DELETED ->
                Problem.of(Response.Status.CONFLICT, "The message was deleted.").getResponse();
        };
    }

    private static UUID clientMessageId(String value) {
        if (value == null) {
            throw Problem.badRequest("clientMessageId is required: a UUID the client makes for each new message.");
        }
        try {
            return io.parley.kit.Uuids.parse(value);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("clientMessageId must be a UUID.");
        }
    }

    private static void checkContent(String content, boolean hasAttachments) {
        if (content == null || content.isBlank()) {
            if (!hasAttachments) {
                throw Problem.badRequest("content is required unless there are attachments.");
            }
            if (content == null) {
                return;
            }
        }
        Text.require("content", content);
        // characters are Unicode code points (as JSON Schema's maxLength counts them), not UTF-16 units
        if (content.codePointCount(0, content.length()) > MAX_CONTENT) {
            throw Problem.of(
                    Response.Status.REQUEST_ENTITY_TOO_LARGE, "content is at most " + MAX_CONTENT + " characters.");
        }
    }
}
