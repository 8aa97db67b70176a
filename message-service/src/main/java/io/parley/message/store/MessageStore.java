package io.parley.message.store;

import io.parley.events.MessageData;
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

    /** The next seq of the conversation, and its type; locks the counter until the transaction ends. */
    public Uni<Optional<Long>> nextSeq(SqlClient tx, UUID conversationId) {
        return tx.preparedQuery("UPDATE conversation_replica SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq")
                .execute(Tuple.of(conversationId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong(0)));
    }

    /** Inserts the message unless its sender already used its clientMessageId; answers whether it did. */
    public Uni<Boolean> insert(SqlClient tx, MessageData m) {
        return tx.preparedQuery("INSERT INTO message (" + COLUMNS + """
                        ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                        ON CONFLICT (sender_id, client_message_id) DO NOTHING""")
                .execute(Tuple.from(new Object[]{m.id(), m.conversationId(), m.seq(),
                        UUID.fromString(m.clientMessageId()), m.senderId(), m.senderRole(), m.senderName(), m.type(),
                        m.content(), new JsonArray(new ArrayList<>(m.attachments())), utc(m.createdAt()),
                        utc(m.editedAt()), utc(m.deletedAt())}))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Optional<MessageData>> findByClientId(SqlClient client, String senderId, UUID clientMessageId) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM message WHERE sender_id = $1 AND client_message_id = $2")
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
        return tx.preparedQuery("UPDATE message SET content = $2, attachments = $3, edited_at = $4, deleted_at = $5 WHERE id = $1")
                .execute(Tuple.of(m.id(), m.content(), new JsonArray(new ArrayList<>(m.attachments())),
                        utc(m.editedAt()), utc(m.deletedAt())))
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
        return rows.size() == 0 ? Optional.empty() : Optional.of(toMessage(rows.iterator().next()));
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
        return new MessageData(r.getUUID("id"), r.getUUID("conversation_id"), r.getLong("seq"),
                r.getUUID("client_message_id").toString(), r.getString("sender_id"), r.getString("sender_role"),
                r.getString("sender_name"), r.getString("type"), r.getString("content"), list,
                instant(r.getOffsetDateTime("created_at")), instant(r.getOffsetDateTime("edited_at")),
                instant(r.getOffsetDateTime("deleted_at")));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
