package io.parley.notification.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class PendingAlertStore {

    private final Pool pool;

    public PendingAlertStore(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /**
     * Adds one unread message for each recipient: the first one of a conversation opens a pending alert due at
     * {@code dueAt}; later ones join it, so the recipient gets one alert for all of them.
     */
    public Uni<Void> addUnread(SqlClient tx, List<String> recipients, UUID conversationId, long seq,
                               String senderName, String preview, Instant dueAt) {
        if (recipients.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(recipients.size());
        for (String userId : recipients) {
            rows.add(Tuple.of(userId, conversationId, seq, senderName, dueAt.atOffset(ZoneOffset.UTC), preview));
        }
        return tx.preparedQuery("""
                        INSERT INTO pending_alert (user_id, conversation_id, first_seq, last_seq, message_count,
                                                   last_sender_name, due_at, last_preview)
                        VALUES ($1, $2, $3, $3, 1, $4, $5, $6)
                        ON CONFLICT (user_id, conversation_id) DO UPDATE
                        SET first_seq = least(pending_alert.first_seq, excluded.first_seq),
                            last_seq = greatest(pending_alert.last_seq, excluded.last_seq),
                            message_count = pending_alert.message_count + 1,
                            last_sender_name = CASE WHEN excluded.last_seq > pending_alert.last_seq
                                               THEN excluded.last_sender_name ELSE pending_alert.last_sender_name END,
                            last_preview = CASE WHEN excluded.last_seq > pending_alert.last_seq
                                           THEN excluded.last_preview ELSE pending_alert.last_preview END""")
                .executeBatch(rows)
                .replaceWithVoid();
    }

    /**
     * {@code userId} has read the conversation up to {@code seq} (or sent a message there): what is pending up to it
     * is cancelled; what came after stays pending.
     */
    public Uni<Void> read(SqlClient tx, String userId, UUID conversationId, long seq) {
        return tx.preparedQuery("""
                        WITH gone AS (
                            DELETE FROM pending_alert
                            WHERE user_id = $1 AND conversation_id = $2 AND last_seq <= $3)
                        UPDATE pending_alert
                        SET first_seq = $3 + 1, message_count = least(message_count, (last_seq - $3)::integer)
                        WHERE user_id = $1 AND conversation_id = $2 AND first_seq <= $3 AND last_seq > $3""")
                .execute(Tuple.of(userId, conversationId, seq))
                .replaceWithVoid();
    }
}
