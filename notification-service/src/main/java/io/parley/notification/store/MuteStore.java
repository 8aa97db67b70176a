package io.parley.notification.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Users' muted conversations ({@code conversation_mute}). Every method is one statement on the caller's client. */
@ApplicationScoped
public class MuteStore {

    /** A muted conversation: no alert for it until {@code until}, or for good when null. */
    public record Mute(UUID conversationId, Instant until) {}

    /**
     * @param client where to read
     * @param userId whose mutes
     * @param limit  the most to answer
     * @return the user's mutes in force now (until null or ahead), by conversation id
     */
    public Uni<List<Mute>> inForce(SqlClient client, String userId, int limit) {
        return client.preparedQuery("SELECT conversation_id, until FROM conversation_mute "
                        + "WHERE user_id = $1 AND (until IS NULL OR until > now()) ORDER BY conversation_id LIMIT $2")
                .execute(Tuple.of(userId, limit))
                .map(rows -> {
                    List<Mute> mutes = new ArrayList<>();
                    rows.forEach(r -> mutes.add(new Mute(
                            r.getUUID(0),
                            r.getOffsetDateTime(1) == null
                                    ? null
                                    : r.getOffsetDateTime(1).toInstant())));
                    return mutes;
                });
    }

    /** Mutes {@code conversationId} for {@code userId} until {@code until} (null: for good), replacing a mute there. */
    public Uni<Void> mute(SqlClient tx, String userId, UUID conversationId, Instant until) {
        return tx.preparedQuery("""
                        INSERT INTO conversation_mute (user_id, conversation_id, until) VALUES ($1, $2, $3)
                        ON CONFLICT (user_id, conversation_id) DO UPDATE SET until = EXCLUDED.until""")
                .execute(Tuple.of(userId, conversationId, until == null ? null : until.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** Ends the mute of {@code conversationId} for {@code userId}, if any. */
    public Uni<Void> unmute(SqlClient tx, String userId, UUID conversationId) {
        return tx.preparedQuery("DELETE FROM conversation_mute WHERE user_id = $1 AND conversation_id = $2")
                .execute(Tuple.of(userId, conversationId))
                .replaceWithVoid();
    }
}
