package io.parley.notification.store;

import io.parley.notification.domain.MessageBatch;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Participants removed from conversations ({@code participant_removal}), and the per-conversation lock that orders a
 * removal against a batch of message events of the same conversation.
 */
@ApplicationScoped
public class RemovalStore {

    /**
     * Takes, until the end of the transaction, the lock of each of {@code conversations} (a PostgreSQL advisory lock
     * by a 64-bit key of the id), in key order so that two transactions cannot wait for each other. A removal and a
     * batch of message events of one conversation hold it while they work, so neither misses what the other wrote.
     */
    public Uni<Void> lock(SqlClient tx, Collection<UUID> conversations) {
        if (conversations.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] keys = conversations.stream()
                .map(RemovalStore::key)
                .distinct()
                .sorted()
                .toArray(Long[]::new);
        // a volatile function in a subquery's select list is evaluated for every row, in the subquery's order
        return tx.preparedQuery("SELECT count(*) FROM (SELECT k, pg_advisory_xact_lock(k) AS locked "
                        + "FROM (SELECT k FROM unnest($1::bigint[]) AS t(k) ORDER BY k) AS ordered) AS locks")
                .execute(Tuple.of(keys))
                .replaceWithVoid();
    }

    static long key(UUID conversation) {
        return conversation.getMostSignificantBits() ^ conversation.getLeastSignificantBits();
    }

    /** @return the removals stored for {@code conversations} */
    public Uni<List<MessageBatch.Removal>> of(SqlClient tx, Collection<UUID> conversations) {
        return tx.preparedQuery("SELECT conversation_id, user_id, confirmed FROM participant_removal "
                        + "WHERE conversation_id = ANY($1)")
                .execute(Tuple.of(conversations.toArray(UUID[]::new)))
                .map(rows -> {
                    List<MessageBatch.Removal> removals = new ArrayList<>(rows.size());
                    rows.forEach(r -> removals.add(new MessageBatch.Removal(
                            r.getUUID("conversation_id"), r.getString("user_id"), r.getBoolean("confirmed"))));
                    return removals;
                });
    }

    /** Records that {@code userId} was removed from {@code conversationId} at {@code at} (not confirmed yet). */
    public Uni<Void> removed(SqlClient tx, UUID conversationId, String userId, Instant at) {
        return tx.preparedQuery("""
                        INSERT INTO participant_removal (conversation_id, user_id, removed_at) VALUES ($1, $2, $3)
                        ON CONFLICT (conversation_id, user_id)
                        DO UPDATE SET removed_at = EXCLUDED.removed_at, confirmed = false""")
                .execute(Tuple.of(conversationId, userId, at.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** The removals of {@code members} end: they were added back. */
    public Uni<Void> ended(SqlClient tx, List<MessageBatch.Member> members) {
        if (members.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                        DELETE FROM participant_removal r
                        USING unnest($1::uuid[], $2::text[]) AS t(conversation_id, user_id)
                        WHERE r.conversation_id = t.conversation_id AND r.user_id = t.user_id""").execute(members(members)).replaceWithVoid();
    }

    /** The removals of {@code members} are confirmed: a message event came without them. */
    public Uni<Void> confirmed(SqlClient tx, List<MessageBatch.Member> members) {
        if (members.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                        UPDATE participant_removal r SET confirmed = true
                        FROM unnest($1::uuid[], $2::text[]) AS t(conversation_id, user_id)
                        WHERE r.conversation_id = t.conversation_id AND r.user_id = t.user_id""").execute(members(members)).replaceWithVoid();
    }

    static Tuple members(List<MessageBatch.Member> members) {
        return Tuple.of(
                members.stream().map(MessageBatch.Member::conversationId).toArray(UUID[]::new),
                members.stream().map(MessageBatch.Member::userId).toArray(String[]::new));
    }
}
