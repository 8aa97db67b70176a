package io.parley.conversation.api;

import io.parley.conversation.store.ConversationStore;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Map;
import java.util.UUID;

/**
 * The caller's unread messages: per conversation they take part in (only those with unread messages), and the total.
 * The same read model as the conversation list, so the two agree.
 */
@Path("/api/unread")
@RolesAllowed({"client", "expert", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class UnreadResource {

    public record Unread(long total, Map<UUID, Long> conversations) {
    }

    private final ConversationStore store;
    private final JsonWebToken jwt;

    public UnreadResource(ConversationStore store, JsonWebToken jwt) {
        this.store = store;
        this.jwt = jwt;
    }

    @GET
    public Uni<Unread> unread() {
        return store.unread(jwt.getSubject())
                .map(counts -> new Unread(counts.values().stream().mapToLong(Long::longValue).sum(), counts));
    }
}
