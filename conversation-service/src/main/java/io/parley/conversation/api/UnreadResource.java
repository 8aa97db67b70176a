package io.parley.conversation.api;

import io.parley.conversation.domain.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The caller's unread messages: per conversation they take part in (only those with unread messages), and the total.
 * The same read model as the conversation list, so the two agree.
 */
@Path("/api/unread")
@RolesAllowed({"client", "expert", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class UnreadResource {

    /** The answer: the total, and the count of each conversation with unread messages. */
    public record Unread(long total, Map<UUID, Long> conversations) {}

    private final Inbox inbox;
    private final JsonWebToken jwt;

    /** Reads from {@code inbox} for the caller of {@code jwt}. */
    public UnreadResource(Inbox inbox, JsonWebToken jwt) {
        this.inbox = inbox;
        this.jwt = jwt;
    }

    /** The caller's unread counts and their total. */
    @GET
    @Operation(summary = "The caller's unread counts")
    @APIResponse(
            responseCode = "200",
            description = "Counts by conversation and their sum",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Unread.class)))
    public Uni<Unread> unread() {
        return inbox.unread(jwt.getSubject())
                .map(counts -> new Unread(
                        counts.values().stream().mapToLong(Long::longValue).sum(), counts));
    }
}
