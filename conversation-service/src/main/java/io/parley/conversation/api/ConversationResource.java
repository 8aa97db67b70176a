package io.parley.conversation.api;

import io.parley.conversation.domain.ConversationService;
import io.parley.conversation.domain.ConversationService.Refused;
import io.parley.events.ConversationKind;
import io.parley.kit.ApiResponses;
import io.parley.kit.Caller;
import io.parley.kit.Problem;
import io.parley.kit.Text;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

@Path("/api/conversations")
@RolesAllowed({"client", "expert", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class ConversationResource {

    /** As long as a token's {@code sub} may be. */
    private static final int MAX_USER_ID_LENGTH = 255;

    private static final int MAX_TITLE_LENGTH = 200;
    private static final int DEFAULT_PAGE = 20;
    private static final int MAX_PAGE = 100;

    private final ConversationService conversations;
    private final JsonWebToken jwt;

    /** Answers from {@code conversations} for the caller of {@code jwt}. */
    public ConversationResource(ConversationService conversations, JsonWebToken jwt) {
        this.conversations = conversations;
        this.jwt = jwt;
    }

    /**
     * Creates a direct or group conversation. The body is checked whole before anything is stored: a wrong part
     * (the type, the title, or any element of {@code participants}, named by its index) refuses the whole create with a
     * 400 that names it. Answers 201 with the new conversation once the message-service knows it, or 200 with the
     * direct conversation the two users have already.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a direct or group conversation")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = CreateConversationRequest.class)))
    @APIResponse(
            responseCode = "201",
            description = "Created; the caller is a participant",
            content =
                    @Content(mediaType = "application/json", schema = @Schema(implementation = ConversationView.class)))
    @APIResponse(
            responseCode = "200",
            description = "The direct conversation the two users have already",
            content =
                    @Content(mediaType = "application/json", schema = @Schema(implementation = ConversationView.class)))
    @APIResponse(responseCode = "400", ref = ApiResponses.BAD_REQUEST)
    @APIResponse(responseCode = "413", ref = ApiResponses.TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ApiResponses.UNSUPPORTED)
    public Uni<Response> create(CreateConversationRequest request) {
        if (request == null || request.type() == null) {
            throw Problem.badRequest("type is required: direct or group.");
        }
        List<String> others = request.participants() == null ? List.of() : request.participants();
        for (int i = 0; i < others.size(); i++) {
            checkUserId("participants[" + i + "]", others.get(i));
        }
        Caller caller = Caller.of(jwt);
        long distinctOthers = others.stream()
                .filter(u -> !u.equals(caller.userId()))
                .distinct()
                .count();
        // the kind exactly as spelled; support conversations are not made by a create
        ConversationKind kind = ConversationKind.find(request.type())
                .filter(k -> k != ConversationKind.SUPPORT)
                .orElseThrow(() -> Problem.badRequest("type must be direct or group."));
        switch (kind) {
            case DIRECT -> {
                if (distinctOthers != 1) {
                    throw Problem.badRequest("participants: a direct conversation has exactly one other participant.");
                }
            }
            case GROUP -> {
                if (distinctOthers + 1 > ConversationService.MAX_PARTICIPANTS) {
                    throw Problem.badRequest("participants: a group has at most " + ConversationService.MAX_PARTICIPANTS
                            + " participants.");
                }
            }
            default -> throw new IllegalStateException("not a kind a create makes: " + kind);
        }
        String title = request.title();
        Text.require("title", title);
        if (title != null && title.codePointCount(0, title.length()) > MAX_TITLE_LENGTH) {
            throw Problem.badRequest("title is at most " + MAX_TITLE_LENGTH + " characters.");
        }
        return conversations
                .create(caller, authorization(), kind, others, title)
                .chain(created -> conversations
                        .own(caller, created.conversation().id())
                        .map(own -> Response.status(created.isNew() ? 201 : 200)
                                .entity(ConversationView.of(
                                        created.conversation(), caller.userId(), own.readSeq(), own.muted()))
                                .build()));
    }

    /**
     * The caller's conversations, latest activity first. Admins may ask for the support desk: {@code filter=support}
     * (every support conversation, latest activity first) or {@code filter=unanswered} (those whose last message is
     * not from an admin, the oldest wait first, paged by wait: its cursors are not the other lists').
     */
    @GET
    @Operation(summary = "The caller's conversations, latest activity first (support first)")
    @APIResponse(
            responseCode = "200",
            description = "A page",
            content =
                    @Content(mediaType = "application/json", schema = @Schema(implementation = ConversationPage.class)))
    @APIResponse(responseCode = "400", ref = ApiResponses.BAD_REQUEST)
    public Uni<ConversationPage> list(
            @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor,
            @QueryParam("filter") String filter) {
        Text.require("limit", limit);
        Text.require("cursor", cursor);
        Text.require("filter", filter);
        int size = (int) Problem.number("limit", limit, 1, MAX_PAGE, DEFAULT_PAGE);
        Caller caller = Caller.of(jwt);
        ConversationService.AdminView view = adminView(filter, caller);
        boolean byWait = view == ConversationService.AdminView.UNANSWERED;
        return conversations
                .list(
                        caller,
                        authorization(),
                        view,
                        byWait ? null : Cursor.decode(cursor),
                        byWait ? Cursor.decodeWaiting(cursor) : null,
                        size)
                .map(page -> new ConversationPage(
                        page.items().stream()
                                .map(c -> ConversationView.of(
                                        c,
                                        caller.userId(),
                                        page.readSeqs().getOrDefault(c.id(), 0L),
                                        page.muted().contains(c.id())))
                                .toList(),
                        byWait ? Cursor.encodeWaiting(page.nextWaiting()) : Cursor.encode(page.next())));
    }

    private static ConversationService.AdminView adminView(String filter, Caller caller) {
        if (filter == null || filter.isEmpty()) {
            return ConversationService.AdminView.ALL;
        }
        if (!caller.isAdmin()) {
            throw Problem.badRequest("filter is for admins: support or unanswered.");
        }
        return switch (filter) {
            case "support" -> ConversationService.AdminView.SUPPORT;
            case "unanswered" -> ConversationService.AdminView.UNANSWERED;
            default -> throw Problem.badRequest("filter is support or unanswered.");
        };
    }

    /** The caller's support conversation, created on first use (clients and experts; admins have none). */
    @GET
    @Path("/support")
    @RolesAllowed({"client", "expert"})
    @Operation(summary = "The caller's support conversation, created on first use")
    @APIResponse(
            responseCode = "200",
            description = "The support conversation",
            content =
                    @Content(mediaType = "application/json", schema = @Schema(implementation = ConversationView.class)))
    @APIResponse(responseCode = "403", ref = ApiResponses.FORBIDDEN)
    public Uni<ConversationView> support() {
        Caller caller = Caller.of(jwt);
        return conversations
                .support(caller.userId(), authorization())
                .chain(c -> conversations
                        .own(caller, c.id())
                        .map(own -> ConversationView.of(c, caller.userId(), own.readSeq(), own.muted())));
    }

    /** One conversation, if the caller may see it (the membership rule); otherwise 404. */
    @GET
    @Path("/{id}")
    @Operation(summary = "One conversation")
    @APIResponse(
            responseCode = "200",
            description = "The conversation",
            content =
                    @Content(mediaType = "application/json", schema = @Schema(implementation = ConversationView.class)))
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    public Uni<ConversationView> get(
            @PathParam("id")
                    @Parameter(
                            description = "The conversation's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String id) {
        UUID conversationId = Problem.parseId(id);
        Caller caller = Caller.of(jwt);
        return conversations
                .findVisible(conversationId, caller)
                .map(found -> found.orElseThrow(Problem::notFound))
                .chain(c -> conversations
                        .own(caller, c.id())
                        .map(own -> ConversationView.of(c, caller.userId(), own.readSeq(), own.muted())));
    }

    /**
     * Adds {@code userId} to a group; answers the conversation once the message-service knows the new participant.
     */
    @POST
    @Path("/{id}/participants")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a participant to a group")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ParticipantRequest.class)))
    @APIResponse(
            responseCode = "200",
            description = "The conversation, the participant added",
            content =
                    @Content(mediaType = "application/json", schema = @Schema(implementation = ConversationView.class)))
    @APIResponse(responseCode = "400", ref = ApiResponses.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiResponses.CONFLICT)
    @APIResponse(responseCode = "413", ref = ApiResponses.TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ApiResponses.UNSUPPORTED)
    public Uni<ConversationView> addParticipant(
            @PathParam("id")
                    @Parameter(
                            description = "The conversation's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String id,
            ParticipantRequest request) {
        UUID conversationId = Problem.parseId(id);
        if (request == null) {
            throw Problem.badRequest("userId is required.");
        }
        checkUserId("userId", request.userId());
        Caller caller = Caller.of(jwt);
        return conversations
                .addParticipant(caller, authorization(), conversationId, request.userId())
                .chain(c -> conversations
                        .own(caller, c.id())
                        .map(own -> ConversationView.of(c, caller.userId(), own.readSeq(), own.muted())));
    }

    /**
     * Removes {@code userId} from a group; answers 204 once the removal is everywhere (the message-service refuses the
     * removed user, their totals no longer count the conversation). The user id is the path's last segment, decoded
     * strictly: one that is not valid UTF-8 or holds NUL is a 400 naming {@code userId}.
     */
    @DELETE
    @Path("/{id}/participants/{userId}")
    @Operation(summary = "Remove a participant from a group (anyone may leave)")
    @APIResponse(responseCode = "204", description = "Removed everywhere")
    @APIResponse(responseCode = "400", ref = ApiResponses.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    public Uni<Response> removeParticipant(
            @PathParam("id")
                    @Parameter(
                            description = "The conversation's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String id,
            @PathParam("userId") @Parameter(description = "The user's id (the token's sub)") String userId,
            @Context HttpServerRequest request) {
        UUID conversationId = Problem.parseId(id);
        String exact = PathText.lastSegment("userId", request.path(), userId);
        checkUserId("userId", exact);
        return conversations
                .removeParticipant(Caller.of(jwt), authorization(), conversationId, exact)
                .replaceWith(Response.noContent().build());
    }

    /** A refused change, as its problem response (404, 403, 400 or 409). */
    @ServerExceptionMapper
    public Response refused(Refused e) {
        return switch (e.reason) {
            case NOT_FOUND -> Problem.notFound().getResponse();
            case NOT_ALLOWED ->
                Problem.of(
                                Response.Status.FORBIDDEN,
                                "Only the group's creator or an admin may change its participants; anyone may leave.")
                        .getResponse();
            case NOT_A_GROUP ->
                Problem.badRequest("Only group conversations change participants.")
                        .getResponse();
            case TOO_MANY ->
                Problem.of(
                                Response.Status.CONFLICT,
                                "The group has " + ConversationService.MAX_PARTICIPANTS + " participants already.")
                        .getResponse();
        };
    }

    /**
     * A user id as a client gives it: present, not empty, at most {@value #MAX_USER_ID_LENGTH} characters (as a
     * token's {@code sub}), and text that round-trips; otherwise a 400 naming {@code field}.
     */
    private static void checkUserId(String field, String userId) {
        if (userId == null) {
            throw Problem.badRequest(field + " is required: a user id.");
        }
        Text.require(field, userId);
        if (userId.isEmpty()) {
            throw Problem.badRequest(field + " is empty: a user id.");
        }
        if (userId.codePointCount(0, userId.length()) > MAX_USER_ID_LENGTH) {
            throw Problem.badRequest(field + " is over " + MAX_USER_ID_LENGTH + " characters: a user id.");
        }
    }

    /** The caller's Authorization header (their bearer token), to forward to the message-service. */
    private String authorization() {
        return "Bearer " + jwt.getRawToken();
    }
}
