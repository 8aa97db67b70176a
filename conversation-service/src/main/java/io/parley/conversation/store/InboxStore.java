package io.parley.conversation.store;

import io.parley.events.UnreadChanged;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SQL of the inbox read model. Each method applies a whole batch of events in one statement, so that a batch costs a
 * few round trips however many events it holds.
 */
@ApplicationScoped
public class InboxStore {

    /**
     * The latest new message of each conversation in a batch: it becomes the conversation's last message and moves the
     * conversation to the top of the list (the move is recorded for readers paging through the list). In a support
     * conversation a reply is awaited unless an admin sent it; {@code answeredBy} is the admin who sent the batch's
     * last admin message there, or null to keep the one before. {@code waitingSince} is the createdAt of the batch's
     * first message not from an admin after its last admin message (null when the latest is an admin's), and
     * {@code adminInBatch} whether the batch holds an admin message there: with one, the wait starts at
     * {@code waitingSince}; without, a wait already running goes on and a new one starts at {@code waitingSince}.
     */
    public record Latest(
            UUID conversationId,
            long seq,
            String messageJson,
            String createdAt,
            boolean fromAdmin,
            String answeredBy,
            String waitingSince,
            boolean adminInBatch) {}

    /**
     * Applies the latest new message of each conversation of a batch (see {@link Latest}) in {@code tx}.
     *
     * @return completes once the statement ran
     */
    public Uni<Void> messagesCreated(SqlClient tx, List<Latest> latest) {
        if (latest.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                        WITH input AS (
                            SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::boolean[],
                                                 $6::text[], $7::text[], $8::boolean[])
                                          AS t(id, seq, message, at, from_admin, answered_by, since, admin_in_batch)),
                        old AS (
                            SELECT c.id, c.activity FROM conversation c JOIN input ON input.id = c.id
                            WHERE c.last_seq < input.seq ORDER BY c.id FOR UPDATE OF c),
                        bumped AS (
                            UPDATE conversation c
                            SET last_seq = input.seq, last_message = input.message::jsonb,
                                activity = nextval('activity_rank'), last_activity_at = input.at::timestamptz,
                                awaiting_reply = (c.kind = 'support' AND NOT input.from_admin),
                                awaiting_since = CASE
                                    WHEN c.kind <> 'support' OR input.from_admin THEN NULL
                                    WHEN input.admin_in_batch OR NOT c.awaiting_reply THEN input.since::timestamptz
                                    ELSE coalesce(c.awaiting_since, input.since::timestamptz) END,
                                answered_by = CASE WHEN c.kind = 'support' AND input.answered_by IS NOT NULL
                                                   THEN input.answered_by ELSE c.answered_by END
                            FROM input, old WHERE c.id = input.id AND old.id = c.id
                            RETURNING c.id, old.activity AS old_activity, c.activity AS new_activity)
                        INSERT INTO activity_move (conversation_id, old_activity, new_activity)
                        SELECT id, old_activity, new_activity FROM bumped""")
                .execute(Tuple.from(new Object[] {
                    latest.stream().map(Latest::conversationId).toArray(UUID[]::new),
                    latest.stream().map(Latest::seq).toArray(Long[]::new),
                    latest.stream().map(Latest::messageJson).toArray(String[]::new),
                    latest.stream().map(Latest::createdAt).toArray(String[]::new),
                    latest.stream().map(Latest::fromAdmin).toArray(Boolean[]::new),
                    latest.stream().map(Latest::answeredBy).toArray(String[]::new),
                    latest.stream().map(Latest::waitingSince).toArray(String[]::new),
                    latest.stream().map(Latest::adminInBatch).toArray(Boolean[]::new)
                }))
                .replaceWithVoid();
    }

    /**
     * An edited or deleted message ({@code messageJson}, the message as it is after the change): if it is the
     * conversation's last one (by seq), the list, the conversation and the support desk show it as it is now. Nothing
     * else changes: not the place in the list, not the counts (a deleted message counts until read), not
     * awaitingReply nor answeredBy (a deleted message keeps its place). A deletion is final and an edit never replaces
     * a later one (by {@code editedAt}), so a change applied out of order or twice changes nothing. The JSON goes
     * as text and is cast in SQL: a Java string bound to a jsonb parameter would be stored as a JSON string.
     */
    public Uni<Void> messageChanged(SqlClient tx, UUID conversationId, long seq, String messageJson) {
        return tx.preparedQuery("""
                        WITH changed AS (SELECT $3::text::jsonb AS message)
                        UPDATE conversation SET last_message = changed.message
                        FROM changed
                        WHERE id = $1 AND last_seq = $2
                          AND (last_message IS NULL OR last_message->>'deletedAt' IS NULL)
                          AND (changed.message->>'deletedAt' IS NOT NULL
                               OR last_message IS NULL
                               OR coalesce((changed.message->>'editedAt')::timestamptz, '-infinity')
                                  >= coalesce((last_message->>'editedAt')::timestamptz, '-infinity'))""")
                .execute(Tuple.of(conversationId, seq, messageJson))
                .replaceWithVoid();
    }

    /** A reader's position in a conversation (one per pair in a batch). */
    public record Position(UUID conversationId, String userId, long seq) {}

    /**
     * Moves read positions forward (never back): participants', and admins' in support conversations (the
     * message-service checked who may read before it published a move; a sender has read their own message). The
     * filter is the membership rule ({@code domain.Membership}) for rows whose reader's role is not known here: any
     * reader of a support conversation is an admin or its participant.
     */
    public Uni<Void> read(SqlClient tx, List<Position> positions) {
        if (positions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                        INSERT INTO read_state (conversation_id, user_id, read_seq)
                        SELECT t.conversation_id, t.user_id, t.seq
                        FROM unnest($1::uuid[], $2::text[], $3::bigint[]) AS t(conversation_id, user_id, seq)
                        JOIN conversation c ON c.id = t.conversation_id
                        WHERE c.kind = 'support' OR EXISTS (SELECT 1 FROM participant p
                              WHERE p.conversation_id = t.conversation_id AND p.user_id = t.user_id)
                        ORDER BY t.user_id, t.conversation_id
                        ON CONFLICT (user_id, conversation_id) DO UPDATE
                            SET read_seq = greatest(read_state.read_seq, EXCLUDED.read_seq)""")
                .execute(Tuple.of(
                        positions.stream().map(Position::conversationId).toArray(UUID[]::new),
                        positions.stream().map(Position::userId).toArray(String[]::new),
                        positions.stream().map(Position::seq).toArray(Long[]::new)))
                .replaceWithVoid();
    }

    /** A new message of a group: its seq and the participants its event names, the ones it was stored for. */
    public record Addressed(UUID conversationId, long seq, List<String> recipients) {}

    /**
     * Moves forward, to the message's seq, the read position of every participant of a group that a new message's
     * event does not name: the message-service stored it before it knew of their joining (its replica of membership
     * applies an addition a moment after this service committed it), so it never reaches them, is not counted for
     * them by the message-service (which starts their position after it) and must not be counted here either. Both
     * services then agree on where a new member starts, whichever of the two learned of the latest messages first.
     */
    public Uni<Void> skipUnaddressed(SqlClient tx, List<Addressed> messages) {
        if (messages.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int size = messages.size();
        UUID[] conversations = new UUID[size];
        Long[] seqs = new Long[size];
        List<Integer> namedOf = new ArrayList<>();
        List<String> named = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Addressed m = messages.get(i);
            conversations[i] = m.conversationId();
            seqs[i] = m.seq();
            for (String user : m.recipients()) {
                namedOf.add(i + 1);
                named.add(user);
            }
        }
        return tx.preparedQuery("""
                        WITH e AS (SELECT * FROM unnest($1::uuid[], $2::bigint[]) WITH ORDINALITY
                                   AS e(conversation_id, seq, i)),
                             n AS (SELECT * FROM unnest($3::bigint[], $4::text[]) AS n(i, user_id))
                        INSERT INTO read_state (conversation_id, user_id, read_seq)
                        SELECT p.conversation_id, p.user_id, max(e.seq)
                        FROM e JOIN participant p ON p.conversation_id = e.conversation_id
                        WHERE NOT EXISTS (SELECT 1 FROM n WHERE n.i = e.i AND n.user_id = p.user_id)
                        GROUP BY p.user_id, p.conversation_id
                        ORDER BY p.user_id, p.conversation_id
                        ON CONFLICT (user_id, conversation_id) DO UPDATE
                            SET read_seq = greatest(read_state.read_seq, EXCLUDED.read_seq)""")
                .execute(Tuple.of(
                        conversations,
                        seqs,
                        namedOf.stream().map(Integer::longValue).toArray(Long[]::new),
                        named.toArray(String[]::new)))
                .replaceWithVoid();
    }

    /**
     * For each (conversation, user) pair where the user takes part in the conversation or has read in it (an admin in
     * a support conversation): the user's unread count there and their total, which counts the conversations they take
     * part in, as GET /api/unread does. Grouped by conversation. The filter is the membership rule
     * ({@code domain.Membership}) without roles: a reader of a support conversation who is not a participant is an
     * admin.
     */
    public Uni<Map<UUID, List<UnreadChanged.Count>>> counts(
            SqlClient tx, List<UUID> conversations, List<String> users) {
        if (conversations.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return tx.preparedQuery("""
                        SELECT t.conversation_id, t.user_id,
                               greatest(c.last_seq - coalesce(r.read_seq, 0), 0) AS count,
                               (SELECT coalesce(sum(greatest(c2.last_seq - coalesce(r2.read_seq, 0), 0)), 0)::bigint
                                FROM participant p2 JOIN conversation c2 ON c2.id = p2.conversation_id
                                LEFT JOIN read_state r2
                                       ON r2.user_id = p2.user_id AND r2.conversation_id = p2.conversation_id
                                WHERE p2.user_id = t.user_id) AS total
                        FROM unnest($1::uuid[], $2::text[]) AS t(conversation_id, user_id)
                        JOIN conversation c ON c.id = t.conversation_id
                        LEFT JOIN read_state r ON r.user_id = t.user_id AND r.conversation_id = t.conversation_id
                        WHERE (c.kind = 'support' AND r.user_id IS NOT NULL)
                           OR EXISTS (SELECT 1 FROM participant p
                                      WHERE p.conversation_id = t.conversation_id AND p.user_id = t.user_id)
                        ORDER BY t.conversation_id, t.user_id""")
                .execute(Tuple.of(conversations.toArray(UUID[]::new), users.toArray(String[]::new)))
                .map(rows -> {
                    Map<UUID, List<UnreadChanged.Count>> counts = new LinkedHashMap<>();
                    rows.forEach(r -> counts.computeIfAbsent(r.getUUID("conversation_id"), id -> new ArrayList<>())
                            .add(new UnreadChanged.Count(
                                    r.getString("user_id"), r.getLong("count"), r.getLong("total"))));
                    return counts;
                });
    }

    /**
     * Forgets the list moves older than {@code kept}: a cursor older than that pages through the list as it is.
     *
     * @return how many moves were forgotten
     */
    public Uni<Integer> pruneMoves(SqlClient client, Duration kept) {
        return client.preparedQuery("DELETE FROM activity_move WHERE at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) kept.toSeconds()))
                .map(rows -> rows.rowCount());
    }
}
