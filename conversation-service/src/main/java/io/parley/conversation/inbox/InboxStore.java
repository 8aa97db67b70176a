package io.parley.conversation.inbox;

import io.parley.events.MessageData;
import io.parley.events.UnreadChanged;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** SQL of the inbox read model: what message and read events change, and the unread counts they lead to. */
@ApplicationScoped
public class InboxStore {

    private final Pool pool;

    public InboxStore(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /**
     * A new message: it becomes the conversation's last message and moves the conversation to the top of the list
     * (the move is recorded for readers paging through the list); in a support conversation it is awaiting a reply
     * unless an admin sent it; its sender has read up to it.
     */
    public Uni<Void> messageCreated(SqlClient tx, MessageData m, JsonObject message) {
        return tx.preparedQuery("""
                        WITH old AS (
                            SELECT id, activity FROM conversation WHERE id = $1 AND last_seq < $2 FOR UPDATE),
                        bumped AS (
                            UPDATE conversation c
                            SET last_seq = $2, last_message = $3, activity = nextval('activity_rank'),
                                last_activity_at = $4,
                                awaiting_reply = (c.kind = 'support' AND $5 <> 'admin'),
                                answered_by = CASE WHEN c.kind = 'support' AND $5 = 'admin' THEN $6 ELSE c.answered_by END
                            FROM old WHERE c.id = old.id
                            RETURNING c.id, old.activity AS old_activity, c.activity AS new_activity),
                        moved AS (
                            INSERT INTO activity_move (conversation_id, old_activity, new_activity)
                            SELECT id, old_activity, new_activity FROM bumped)
                        INSERT INTO read_state (conversation_id, user_id, read_seq)
                        SELECT id, $6, $2 FROM bumped
                        ON CONFLICT (user_id, conversation_id) DO UPDATE
                            SET read_seq = greatest(read_state.read_seq, EXCLUDED.read_seq)""")
                .execute(Tuple.of(m.conversationId(), m.seq(), message, m.createdAt().atOffset(ZoneOffset.UTC),
                        m.senderRole(), m.senderId()))
                .replaceWithVoid();
    }

    /** An edited or deleted message: if it is the conversation's last one, the list shows it as it is now. */
    public Uni<Void> messageChanged(SqlClient tx, MessageData m, JsonObject message) {
        return tx.preparedQuery("UPDATE conversation SET last_message = $3 WHERE id = $1 AND last_seq = $2")
                .execute(Tuple.of(m.conversationId(), m.seq(), message))
                .replaceWithVoid();
    }

    /**
     * A reader's position moved forward (never back): a participant's, or an admin's in a support conversation (the
     * message-service checked who may read before it published the move).
     */
    public Uni<Void> read(SqlClient tx, UUID conversationId, String userId, long seq) {
        return tx.preparedQuery("""
                        INSERT INTO read_state (conversation_id, user_id, read_seq)
                        SELECT id, $2, $3 FROM conversation c WHERE id = $1 AND (c.kind = 'support' OR EXISTS (
                            SELECT 1 FROM participant p WHERE p.conversation_id = $1 AND p.user_id = $2))
                        ON CONFLICT (user_id, conversation_id) DO UPDATE
                            SET read_seq = greatest(read_state.read_seq, EXCLUDED.read_seq)""")
                .execute(Tuple.of(conversationId, userId, seq))
                .replaceWithVoid();
    }

    /**
     * The unread count in the conversation and the total of each of {@code users} who takes part in it or has read
     * in it (an admin in a support conversation). The total counts the conversations a user takes part in, as
     * GET /api/unread does.
     */
    public Uni<List<UnreadChanged.Count>> counts(SqlClient tx, UUID conversationId, Collection<String> users) {
        return tx.preparedQuery("""
                        SELECT u.user_id,
                               greatest(c.last_seq - coalesce(r.read_seq, 0), 0) AS count,
                               (SELECT coalesce(sum(greatest(c2.last_seq - coalesce(r2.read_seq, 0), 0)), 0)::bigint
                                FROM participant p2 JOIN conversation c2 ON c2.id = p2.conversation_id
                                LEFT JOIN read_state r2
                                       ON r2.user_id = p2.user_id AND r2.conversation_id = p2.conversation_id
                                WHERE p2.user_id = u.user_id) AS total
                        FROM unnest($2::text[]) AS u(user_id)
                        JOIN conversation c ON c.id = $1
                        LEFT JOIN read_state r ON r.user_id = u.user_id AND r.conversation_id = $1
                        WHERE (c.kind = 'support' AND r.user_id IS NOT NULL)
                           OR EXISTS (SELECT 1 FROM participant p WHERE p.conversation_id = $1 AND p.user_id = u.user_id)
                        ORDER BY u.user_id""")
                .execute(Tuple.of(conversationId, users.toArray(String[]::new)))
                .map(rows -> {
                    List<UnreadChanged.Count> counts = new ArrayList<>(rows.size());
                    rows.forEach(r -> counts.add(new UnreadChanged.Count(r.getString("user_id"), r.getLong("count"),
                            r.getLong("total"))));
                    return counts;
                });
    }

    /** Forgets the list moves older than {@code kept}: a cursor older than that pages through the list as it is. */
    public Uni<Integer> pruneMoves(Duration kept) {
        return pool.preparedQuery("DELETE FROM activity_move WHERE at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) kept.toSeconds()))
                .map(rows -> rows.rowCount());
    }
}
