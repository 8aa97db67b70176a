package io.parley.notification.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.events.MuteChanged;
import io.parley.events.Topics;
import io.parley.kit.Outbox;
import io.parley.kit.OutboxRelay;
import io.parley.kit.Problem;
import io.parley.kit.Text;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
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
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The caller's muted conversations: no alert for them until {@code until}, or until unmuted. Muting is the caller's
 * own setting and answers the same for any conversation id, so it tells nothing about conversations. Each change
 * also writes a {@code mute.changed} event to the outbox in its transaction ({@link Topics#USERS}, keyed by user), so
 * that the conversation-service's views answer {@code muted} without calling this service.
 */
@Path("/api/push/mutes")
@RolesAllowed({"client", "expert", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class MuteResource {

    private static final int MAX_MUTES = 10_000;

    private final Pool pool;
    private final JsonWebToken jwt;
    private final OutboxRelay relay;

    public MuteResource(Pool pool, JsonWebToken jwt, OutboxRelay relay) {
        this.pool = pool;
        this.jwt = jwt;
        this.relay = relay;
    }

    public record Mute(UUID conversationId, Instant until) {
    }

    @GET
    public Uni<Map<String, List<Mute>>> list() {
        return pool.preparedQuery("SELECT conversation_id, until FROM conversation_mute "
                        + "WHERE user_id = $1 AND (until IS NULL OR until > now()) ORDER BY conversation_id LIMIT $2")
                .execute(Tuple.of(jwt.getSubject(), MAX_MUTES))
                .map(rows -> {
                    List<Mute> mutes = new ArrayList<>();
                    rows.forEach(r -> mutes.add(new Mute(r.getUUID(0),
                            r.getOffsetDateTime(1) == null ? null : r.getOffsetDateTime(1).toInstant())));
                    Map<String, List<Mute>> answer = new LinkedHashMap<>();
                    answer.put("items", mutes);
                    return answer;
                });
    }

    /** Mutes the conversation; {@code {"until": "2026-12-01T08:00:00Z"}} for a while, no body or no until for good. */
    @PUT
    @Path("/{conversationId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> mute(@PathParam("conversationId") String conversationId, JsonNode body) {
        UUID conversation = Problem.parseId(Text.require("conversationId", conversationId));
        Instant until = until(body);
        String user = jwt.getSubject();
        return pool.withTransaction(tx -> tx.preparedQuery("""
                                INSERT INTO conversation_mute (user_id, conversation_id, until) VALUES ($1, $2, $3)
                                ON CONFLICT (user_id, conversation_id) DO UPDATE SET until = EXCLUDED.until""")
                        .execute(Tuple.of(user, conversation, until == null ? null : until.atOffset(ZoneOffset.UTC)))
                        .chain(() -> Outbox.append(tx, Topics.USERS,
                                MuteChanged.of(user, conversation, true, until, Instant.now()))))
                .invoke(relay::wakeUp)
                .replaceWith(Response.noContent().build());
    }

    @DELETE
    @Path("/{conversationId}")
    public Uni<Response> unmute(@PathParam("conversationId") String conversationId) {
        UUID conversation = Problem.parseId(Text.require("conversationId", conversationId));
        String user = jwt.getSubject();
        return pool.withTransaction(tx -> tx.preparedQuery(
                                "DELETE FROM conversation_mute WHERE user_id = $1 AND conversation_id = $2")
                        .execute(Tuple.of(user, conversation))
                        .chain(() -> Outbox.append(tx, Topics.USERS,
                                MuteChanged.of(user, conversation, false, null, Instant.now()))))
                .invoke(relay::wakeUp)
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
