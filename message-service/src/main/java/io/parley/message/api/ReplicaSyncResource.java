package io.parley.message.api;

import io.parley.kit.Problem;
import io.parley.message.domain.ReplicaSync;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * Internal (the gateway does not route it): the conversation-service calls it after publishing a creation, an
 * addition or a removal, and answers its own caller only after it, so what it acknowledged is usable here at once.
 * Any valid token may call it: it changes nothing and tells nothing.
 */
@Path("/internal/replica/sync")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ReplicaSyncResource {

    private final ReplicaSync sync;

    public ReplicaSyncResource(ReplicaSync sync) {
        this.sync = sync;
    }

    /**
     * {@code 204} once the membership replica has applied every record that the conversation's partition of
     * {@code parley.conversation-events} held when the call arrived; {@code 503} if not within
     * {@code parley.replica.sync-timeout}; {@code 400} for a body without a UUID {@code conversationId}.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> sync(ReplicaSyncRequest request) {
        UUID conversation = conversationId(request);
        return sync.awaitApplied(conversation)
                .map(applied -> applied
                        ? Response.noContent().build()
                        : Problem.of(
                                        Response.Status.SERVICE_UNAVAILABLE,
                                        "The membership replica did not catch up within "
                                                + sync.timeout().toMillis() + " ms; ask again.")
                                .getResponse());
    }

    private static UUID conversationId(ReplicaSyncRequest request) {
        if (request == null || request.conversationId() == null) {
            throw Problem.badRequest("conversationId is required: a UUID.");
        }
        try {
            return io.parley.kit.Uuids.parse(request.conversationId());
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("conversationId must be a UUID.");
        }
    }
}
