package io.parley.message.store;

import io.parley.events.ConversationCreated;
import io.parley.events.ConversationKind;
import io.parley.events.ParticipantAdded;
import io.parley.events.ParticipantRemoved;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The local replica of who is in which conversation. Every method is SQL on the caller's client or transaction. */
@ApplicationScoped
public class MembershipStore {

    /**
     * The membership rule ({@code Access.mayUse}) as an SQL condition, for the statements that decide and write at
     * once: format it with the placeholders of the conversation id, the user id and whether the caller is an admin.
     * It is evaluated in the conversation's {@code conversation_replica} row (for {@code kind}).
     */
    public static final String MAY_USE = """
            (EXISTS (SELECT 1 FROM conversation_member WHERE conversation_id = %1$s AND user_id = %2$s)
             OR (%3$s AND kind = 'support'))""";

    /** What the membership rule needs: the conversation's kind (empty when unknown) and whether the user is in it. */
    public record Standing(Optional<ConversationKind> kind, boolean member) {}

    /** Adds the conversation and its first participants, in {@code tx}; a second delivery changes nothing. */
    public Uni<Void> apply(SqlClient tx, ConversationCreated e) {
        return tx.preparedQuery("INSERT INTO conversation_replica (id, kind) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(
                        e.conversationId(),
                        e.conversationType() == null
                                ? null
                                : e.conversationType().wire()))
                .chain(() -> tx.preparedQuery("""
                                INSERT INTO conversation_member (conversation_id, user_id) VALUES ($1, $2)
                                ON CONFLICT DO NOTHING""")
                        .executeBatch(e.participants().stream()
                                .map(u -> Tuple.of(e.conversationId(), u))
                                .toList()))
                .replaceWithVoid();
    }

    /**
     * Adds the participant (if the replica knows the conversation); one who was not a member starts reading where the
     * conversation is: their read position is its last seq, as the conversation-service's read model has it.
     */
    public Uni<Void> apply(SqlClient tx, ParticipantAdded e) {
        return tx.preparedQuery("""
                        WITH member AS (
                            INSERT INTO conversation_member (conversation_id, user_id)
                            SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM conversation_replica WHERE id = $1)
                            ON CONFLICT DO NOTHING
                            RETURNING conversation_id)
                        INSERT INTO read_position (conversation_id, user_id, seq, updated_at)
                        SELECT c.id, $2, c.last_seq, now() FROM conversation_replica c JOIN member ON c.id = member.conversation_id
                        WHERE c.last_seq > 0
                        ON CONFLICT (conversation_id, user_id) DO UPDATE
                            SET seq = EXCLUDED.seq, updated_at = EXCLUDED.updated_at
                            WHERE read_position.seq < EXCLUDED.seq""")
                .execute(Tuple.of(e.conversationId(), e.userId()))
                .replaceWithVoid();
    }

    /** Removes the participant and their read position: from this commit on they may not read, send or mark read. */
    public Uni<Void> apply(SqlClient tx, ParticipantRemoved e) {
        return tx.preparedQuery("""
                        WITH gone AS (
                            DELETE FROM conversation_member WHERE conversation_id = $1 AND user_id = $2)
                        DELETE FROM read_position WHERE conversation_id = $1 AND user_id = $2""")
                .execute(Tuple.of(e.conversationId(), e.userId()))
                .replaceWithVoid();
    }

    /** The type of the conversation, read in {@code client}; empty when the replica does not know it. */
    public Uni<Optional<ConversationKind>> kind(SqlClient client, UUID conversationId) {
        return client.preparedQuery("SELECT kind FROM conversation_replica WHERE id = $1")
                .execute(Tuple.of(conversationId))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(
                                ConversationKind.fromWire(rows.iterator().next().getString(0))));
    }

    /**
     * @return the conversation's kind and whether {@code userId} takes part in it, read in {@code client} in one
     *         statement
     */
    public Uni<Standing> standing(SqlClient client, UUID conversationId, String userId) {
        return client.preparedQuery("""
                        SELECT kind, EXISTS (SELECT 1 FROM conversation_member
                                             WHERE conversation_id = $1 AND user_id = $2) AS member
                        FROM conversation_replica WHERE id = $1""")
                .execute(Tuple.of(conversationId, userId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return new Standing(Optional.empty(), false);
                    }
                    var row = rows.iterator().next();
                    return new Standing(
                            Optional.ofNullable(row.getString("kind")).map(ConversationKind::fromWire),
                            row.getBoolean("member"));
                });
    }

    /** The conversation's participants, by user id, read in {@code client}. */
    public Uni<List<String>> members(SqlClient client, UUID conversationId) {
        return client.preparedQuery(
                        "SELECT user_id FROM conversation_member WHERE conversation_id = $1 ORDER BY user_id")
                .execute(Tuple.of(conversationId))
                .map(rows -> {
                    List<String> members = new java.util.ArrayList<>();
                    rows.forEach(r -> members.add(r.getString(0)));
                    return members;
                });
    }
}
