package io.parley.notification.store;

import io.parley.notification.domain.MessageBatch;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Pending alerts ({@code pending_alert}): one per (recipient, conversation), collapsing the recipient's unread messages
 * there until the grace delay is over. Every method is one statement on the caller's transaction.
 */
@ApplicationScoped
public class PendingAlertStore {

    /**
     * A recipient's unread messages of one conversation from a batch of events: {@code count} of them, from
     * {@code firstSeq} to {@code lastSeq}, the last one from {@code lastSenderName}, due at {@code dueAt};
     * {@code traceparent} is the W3C trace context of the last one's event (null when it was not traced).
     */
    public record Unread(
            String userId,
            UUID conversationId,
            long firstSeq,
            long lastSeq,
            int count,
            String lastSenderName,
            String lastPreview,
            Instant dueAt,
            String traceparent) {}

    /** A reader's (or a sender's) position: {@code userId} has seen {@code conversationId} up to {@code seq}. */
    public record Read(String userId, UUID conversationId, long seq) {}

    /**
     * Adds unread messages, one row per (recipient, conversation) in one statement: the first ones open a pending
     * alert due at {@code dueAt}; later ones join it, so the recipient gets one alert for all of them. The alert keeps
     * the trace context of its latest message (the one its preview shows).
     */
    public Uni<Void> addUnread(SqlClient tx, List<Unread> unread) {
        if (unread.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                        INSERT INTO pending_alert (user_id, conversation_id, first_seq, last_seq, message_count,
                                                   last_sender_name, last_preview, due_at, traceparent)
                        SELECT * FROM unnest($1::text[], $2::uuid[], $3::bigint[], $4::bigint[], $5::integer[],
                                             $6::text[], $7::text[], $8::timestamptz[], $9::text[])
                        ORDER BY 1, 2
                        ON CONFLICT (user_id, conversation_id) DO UPDATE
                        SET first_seq = least(pending_alert.first_seq, excluded.first_seq),
                            last_seq = greatest(pending_alert.last_seq, excluded.last_seq),
                            message_count = pending_alert.message_count + excluded.message_count,
                            last_sender_name = CASE WHEN excluded.last_seq > pending_alert.last_seq
                                               THEN excluded.last_sender_name ELSE pending_alert.last_sender_name END,
                            last_preview = CASE WHEN excluded.last_seq > pending_alert.last_seq
                                           THEN excluded.last_preview ELSE pending_alert.last_preview END,
                            traceparent = CASE WHEN excluded.last_seq > pending_alert.last_seq
                                          THEN excluded.traceparent ELSE pending_alert.traceparent END""")
                .execute(Tuple.from(new Object[] {
                    unread.stream().map(Unread::userId).toArray(String[]::new),
                    unread.stream().map(Unread::conversationId).toArray(UUID[]::new),
                    unread.stream().map(Unread::firstSeq).toArray(Long[]::new),
                    unread.stream().map(Unread::lastSeq).toArray(Long[]::new),
                    unread.stream().map(Unread::count).toArray(Integer[]::new),
                    unread.stream().map(Unread::lastSenderName).toArray(String[]::new),
                    unread.stream().map(Unread::lastPreview).toArray(String[]::new),
                    unread.stream().map(u -> u.dueAt().atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new),
                    unread.stream().map(Unread::traceparent).toArray(String[]::new)
                }))
                .replaceWithVoid();
    }

    /**
     * Readers have read their conversations up to a seq (or sent a message there), one row per (reader,
     * conversation) in one statement: what is pending up to it is cancelled; what came after stays pending.
     */
    public Uni<Void> read(SqlClient tx, List<Read> reads) {
        if (reads.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                        WITH input AS (
                            SELECT * FROM unnest($1::text[], $2::uuid[], $3::bigint[]) AS t(user_id, conversation_id, seq)),
                        gone AS (
                            DELETE FROM pending_alert p USING input i
                            WHERE p.user_id = i.user_id AND p.conversation_id = i.conversation_id
                              AND p.last_seq <= i.seq)
                        UPDATE pending_alert p
                        SET first_seq = i.seq + 1, message_count = least(p.message_count, (p.last_seq - i.seq)::integer)
                        FROM input i
                        WHERE p.user_id = i.user_id AND p.conversation_id = i.conversation_id
                          AND p.first_seq <= i.seq AND p.last_seq > i.seq""")
                .execute(Tuple.of(
                        reads.stream().map(Read::userId).toArray(String[]::new),
                        reads.stream().map(Read::conversationId).toArray(UUID[]::new),
                        reads.stream().map(Read::seq).toArray(Long[]::new)))
                .replaceWithVoid();
    }

    /** Drops the pending alert of {@code userId} for {@code conversationId}, if any. */
    public Uni<Void> drop(SqlClient tx, UUID conversationId, String userId) {
        return tx.preparedQuery("DELETE FROM pending_alert WHERE conversation_id = $1 AND user_id = $2")
                .execute(Tuple.of(conversationId, userId))
                .replaceWithVoid();
    }

    /**
     * Drops the pending alerts, in the conversations of {@code members}, of anyone those pairs do not name: the
     * participants as the conversation's latest message event names them decide who has an alert there.
     */
    public Uni<Void> keepOnly(SqlClient tx, List<MessageBatch.Member> members) {
        if (members.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                        WITH members AS (SELECT * FROM unnest($1::uuid[], $2::text[]) AS t(conversation_id, user_id))
                        DELETE FROM pending_alert p
                        WHERE p.conversation_id = ANY($1::uuid[])
                          AND NOT EXISTS (SELECT 1 FROM members m WHERE m.conversation_id = p.conversation_id
                                                                    AND m.user_id = p.user_id)""").execute(RemovalStore.members(members)).replaceWithVoid();
    }

    /**
     * Messages were edited or deleted: a pending alert whose last message is one of them shows its new preview (null
     * once deleted). Its count is unchanged: a deleted message counts until read.
     */
    public Uni<Void> revise(SqlClient tx, List<MessageBatch.Revision> revisions) {
        if (revisions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                        UPDATE pending_alert p SET last_preview = t.preview
                        FROM unnest($1::uuid[], $2::bigint[], $3::text[]) AS t(conversation_id, seq, preview)
                        WHERE p.conversation_id = t.conversation_id AND p.last_seq = t.seq""")
                .execute(Tuple.of(
                        revisions.stream()
                                .map(MessageBatch.Revision::conversationId)
                                .toArray(UUID[]::new),
                        revisions.stream().map(MessageBatch.Revision::seq).toArray(Long[]::new),
                        revisions.stream().map(MessageBatch.Revision::preview).toArray(String[]::new)))
                .replaceWithVoid();
    }
}
