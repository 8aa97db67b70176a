package io.parley.conversation.api;

import io.parley.conversation.domain.Conversation;
import io.parley.conversation.domain.ConversationService;
import io.parley.kit.Role;
import io.parley.kit.Problem;
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

import java.util.List;
import java.util.UUID;

@Path("/api/conversations")
@RolesAllowed({"client", "expert", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class ConversationResource {

    private static final int MAX_USER_ID_LENGTH = 200;

    private final ConversationService conversations;
    private final JsonWebToken jwt;

    public ConversationResource(ConversationService conversations, JsonWebToken jwt) {
        this.conversations = conversations;
        this.jwt = jwt;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(CreateConversationRequest request) {
        if (request == null || request.type() == null) {
            throw Problem.badRequest("type is required: direct or group.");
        }
        List<String> others = request.participants() == null ? List.of() : request.participants();
        for (String userId : others) {
            if (userId == null || userId.isBlank() || userId.length() > MAX_USER_ID_LENGTH) {
                throw Problem.badRequest("participants must be user ids.");
            }
        }
        String caller = jwt.getSubject();
        long distinctOthers = others.stream().filter(u -> !u.equals(caller)).distinct().count();
        switch (request.type()) {
            case Conversation.DIRECT -> {
                if (distinctOthers != 1) {
                    throw Problem.badRequest("A direct conversation has exactly one other participant.");
                }
            }
            case Conversation.GROUP -> {
                if (distinctOthers + 1 > ConversationService.MAX_PARTICIPANTS) {
                    throw Problem.badRequest("A group has at most " + ConversationService.MAX_PARTICIPANTS
                            + " participants.");
                }
            }
            default -> throw Problem.badRequest("type must be direct or group.");
        }
        String title = request.title() == null ? null : request.title().strip();
        if (title != null && title.length() > 200) {
            throw Problem.badRequest("title is at most 200 characters.");
        }
        return conversations.create(caller, request.type(), others, title)
                .map(created -> Response.status(created.isNew() ? 201 : 200)
                        .entity(ConversationView.of(created.conversation(), caller)).build());
    }

    @GET
    @Path("/{id}")
    public Uni<ConversationView> get(@PathParam("id") String id) {
        UUID conversationId = Problem.parseId(id);
        return conversations.findVisible(conversationId, jwt.getSubject(), Role.of(jwt.getGroups()))
                .map(found -> ConversationView.of(found.orElseThrow(Problem::notFound), jwt.getSubject()));
    }
}
