package io.parley.message.api;

import io.parley.kit.Caller;
import io.parley.kit.Problem;
import io.parley.message.domain.Access;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.List;
import java.util.UUID;

@Path("/api/conversations/{conversationId}/messages")
@RolesAllowed({"client", "expert", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class MessageResource {

    private final Access access;
    private final JsonWebToken jwt;

    public MessageResource(Access access, JsonWebToken jwt) {
        this.access = access;
        this.jwt = jwt;
    }

    /** History of a conversation. Sending comes with the message store; until then every history is empty. */
    @GET
    public Uni<MessagePage> history(@PathParam("conversationId") String conversationId) {
        UUID id = Problem.parseId(conversationId);
        return access.mayUse(Caller.of(jwt), id).map(allowed -> {
            if (!allowed) {
                throw Problem.notFound();
            }
            return new MessagePage(List.of(), false);
        });
    }
}
