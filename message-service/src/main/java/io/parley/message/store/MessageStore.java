package io.parley.message.store;

import io.parley.events.MessageData;
import io.parley.events.Role;
import io.parley.kit.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL access to messages and to each conversation's seq counter. */
@ApplicationScoped
public class MessageStore {

    private static final String COLUMNS = """
            id, conversation_id, seq, client_message_id, sender_id, sender_role, sender_name, type, content,
            attachments, created_at, edited_at, deleted_at""";

    /**
     * Stores a new message and its event in one statement, so in one round trip and one atomic commit: takes the
     * conversation's next seq if the sender may write there ({@link MembershipStore#MAY_USE}: a participant, or an
     * admin in a support conversation),
     * inserts the message with it, and appends the event to the outbox with the seq, the conversation's type and its
     * participants filled into {@code eventTemplate}; moves the sender's read position to the new message. Answers the seq, or empty when the sender may not write there.
     * A second message with the same (sender, clientMessageId) fails with a unique violation and changes nothing: a
     * seq is never skipped.
     */
    public Uni<Optional<Long>> insertWithEvent(
            SqlClient client, MessageData m, boolean callerIsAdmin, String topic, byte[] eventTemplate) {
        return client.preparedQuery("""
                        WITH conv AS (
                            UPDATE conversation_replica SET last_seq = last_seq + 1
                            WHERE id = $2 AND %s
                            RETURNING last_seq, kind),
                        msg AS (
                            INSERT INTO message (id, conversation_id, seq, client_message_id, sender_id, sender_role,
                                                 sender_name, type, content, attachments, created_at)
                            SELECT $1, $2, conv.last_seq, $3, $4, $5, $6, $7, $8, $9, $10 FROM conv
                            RETURNING seq),
                        reader AS (
                            INSERT INTO read_position (conversation_id, user_id, seq, updated_at)
                            SELECT $2, $4, msg.seq, $10 FROM msg
                            ON CONFLICT (conversation_id, user_id) DO UPDATE
                                SET seq = EXCLUDED.seq, updated_at = EXCLUDED.updated_at
                                WHERE read_position.seq < EXCLUDED.seq),
                        event AS (
                            INSERT INTO outbox (topic, record_key, payload, traceparent)
                            SELECT $11, $2::text, convert_to(jsonb_set(jsonb_set(jsonb_set($12::text::jsonb,
                                       '{message,seq}', to_jsonb(msg.seq)),
                                       '{conversationType}', to_jsonb(conv.kind)),
                                       '{participants}', coalesce((SELECT jsonb_agg(user_id ORDER BY user_id)
                                                                   FROM conversation_member
                                                                   WHERE conversation_id = $2), '[]'::jsonb))::text,
                                   'UTF8'), $14::text
                            FROM msg, conv)
                        SELECT seq FROM msg""".formatted(MembershipStore.MAY_USE.formatted("$2", "$4", "$13")))
                .execute(Tuple.from(new Object[] {
                    m.id(),
                    m.conversationId(),
                    UUID.fromString(m.clientMessageId()),
                    m.senderId(),
                    m.senderRole().wire(),
                    m.senderName(),
                    m.type(),
                    m.content(),
                    new JsonArray(new ArrayList<>(m.attachments())),
                    utc(m.createdAt()),
                    topic,
                    new String(eventTemplate, java.nio.charset.StandardCharsets.UTF_8),
                    callerIsAdmin,
                    Outbox.traceparent()
                }))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(rows.iterator().next().getLong(0)));
    }

    /**
     * Moves {@code userId}'s read position in the conversation forward to {@code seq} (at most the conversation's
     * last seq) if the reader may read there, and appends the {@code read.moved} event filled into
     * {@code eventTemplate} when it moved. Answers empty when the reader may not read there, else whether the
     * position moved.
     */
    /**
     * Every read position held for the conversation: its participants' (a removed participant's is deleted with the
     * removal) and, in a support conversation, the admins' who read there.
     *
     * @return user id to the seq of the last message they read, ordered by user id
     */
    public Uni<Map<String, Long>> readPositions(SqlClient client, UUID conversationId) {
        return client.preparedQuery(
                        "SELECT user_id, seq FROM read_position WHERE conversation_id = $1 ORDER BY user_id")
                .execute(Tuple.of(conversationId))
                .map(rows -> {
                    Map<String, Long> positions = new java.util.LinkedHashMap<>();
                    rows.forEach(row -> positions.put(row.getString("user_id"), row.getLong("seq")));
                    return positions;
                });
    }

    public Uni<Optional<Boolean>> moveReadPosition(
            SqlClient client,
            UUID conversationId,
            String userId,
            boolean callerIsAdmin,
            long seq,
            Instant at,
            String topic,
            byte[] eventTemplate) {
        return client.preparedQuery("""
                        WITH conv AS (
                            SELECT id, kind, last_seq FROM conversation_replica
                            WHERE id = $1 AND %s),
                        moved AS (
                            INSERT INTO read_position (conversation_id, user_id, seq, updated_at)
                            SELECT $1, $2, least($4, conv.last_seq), $5 FROM conv WHERE least($4, conv.last_seq) > 0
                            ON CONFLICT (conversation_id, user_id) DO UPDATE
                                SET seq = EXCLUDED.seq, updated_at = EXCLUDED.updated_at
                                WHERE read_position.seq < EXCLUDED.seq
                            RETURNING seq),
                        event AS (
                            INSERT INTO outbox (topic, record_key, payload, traceparent)
                            SELECT $6, $1::text, convert_to(jsonb_set(jsonb_set(jsonb_set($7::text::jsonb,
                                       '{seq}', to_jsonb(moved.seq)),
                                       '{conversationType}', to_jsonb(conv.kind)),
                                       '{participants}', coalesce((SELECT jsonb_agg(user_id ORDER BY user_id)
                                                                   FROM conversation_member
                                                                   WHERE conversation_id = $1), '[]'::jsonb))::text,
                                   'UTF8'), $8::text
                            FROM moved, conv)
                        SELECT (SELECT count(*) FROM conv) AS visible, (SELECT count(*) FROM moved) AS moved""".formatted(MembershipStore.MAY_USE.formatted("$1", "$2", "$3")))
                .execute(Tuple.from(new Object[] {
                    conversationId,
                    userId,
                    callerIsAdmin,
                    seq,
                    utc(at),
                    topic,
                    new String(eventTemplate, java.nio.charset.StandardCharsets.UTF_8),
                    Outbox.traceparent()
                }))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return row.getLong("visible") == 0 ? Optional.empty() : Optional.of(row.getLong("moved") > 0);
                });
    }

    public Uni<Optional<MessageData>> findByClientId(SqlClient client, String senderId, UUID clientMessageId) {
        return client.preparedQuery(
                        "SELECT " + COLUMNS + " FROM message WHERE sender_id = $1 AND client_message_id = $2")
                .execute(Tuple.of(senderId, clientMessageId))
                .map(MessageStore::first);
    }

    public Uni<Optional<MessageData>> find(SqlClient client, UUID conversationId, UUID messageId, boolean lock) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM message WHERE id = $1 AND conversation_id = $2"
                        + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(messageId, conversationId))
                .map(MessageStore::first);
    }

    public Uni<Void> update(SqlClient tx, MessageData m) {
        return tx.preparedQuery(
                        "UPDATE message SET content = $2, attachments = $3, edited_at = $4, deleted_at = $5 WHERE id = $1")
                .execute(Tuple.of(
                        m.id(),
                        m.content(),
                        new JsonArray(new ArrayList<>(m.attachments())),
                        utc(m.editedAt()),
                        utc(m.deletedAt())))
                .replaceWithVoid();
    }

    /** Up to {@code limit} messages with seq above {@code afterSeq}, ascending. */
    public Uni<List<MessageData>> after(SqlClient client, UUID conversationId, long afterSeq, int limit) {
        return client.preparedQuery("SELECT " + COLUMNS
                        + " FROM message WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3")
                .execute(Tuple.of(conversationId, afterSeq, limit))
                .map(MessageStore::all);
    }

    /** Up to {@code limit} messages with seq below {@code beforeSeq}, the closest ones, ascending. */
    public Uni<List<MessageData>> before(SqlClient client, UUID conversationId, long beforeSeq, int limit) {
        return client.preparedQuery("SELECT * FROM (SELECT " + COLUMNS
                        + " FROM message WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3) page"
                        + " ORDER BY seq")
                .execute(Tuple.of(conversationId, beforeSeq, limit))
                .map(MessageStore::all);
    }

    private static Optional<MessageData> first(RowSet<Row> rows) {
        return rows.size() == 0
                ? Optional.empty()
                : Optional.of(toMessage(rows.iterator().next()));
    }

    private static List<MessageData> all(RowSet<Row> rows) {
        List<MessageData> messages = new ArrayList<>(rows.size());
        rows.forEach(r -> messages.add(toMessage(r)));
        return messages;
    }

    @SuppressWarnings("unchecked")
    private static MessageData toMessage(Row r) {
        JsonArray attachments = (JsonArray) r.getValue("attachments");
        List<Map<String, Object>> list = new ArrayList<>();
        if (attachments != null) {
            for (Object a : attachments) {
                list.add(a instanceof JsonObject o ? o.getMap() : (Map<String, Object>) a);
            }
        }
        return new MessageData(
                r.getUUID("id"),
                r.getUUID("conversation_id"),
                r.getLong("seq"),
                r.getUUID("client_message_id").toString(),
                r.getString("sender_id"),
                Role.fromWire(r.getString("sender_role")),
                r.getString("sender_name"),
                r.getString("type"),
                r.getString("content"),
                list,
                instant(r.getOffsetDateTime("created_at")),
                instant(r.getOffsetDateTime("edited_at")),
                instant(r.getOffsetDateTime("deleted_at")));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
