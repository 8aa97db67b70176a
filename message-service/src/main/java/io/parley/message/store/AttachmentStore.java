package io.parley.message.store;

import io.parley.message.domain.Attachment;
import io.smallrye.mutiny.Uni;
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
import java.util.Optional;
import java.util.UUID;

/** SQL access to uploaded files ({@code attachment}). */
@ApplicationScoped
public class AttachmentStore {

    private static final String COLUMNS = """
            id, conversation_id, uploader, name, content_type, size, sha256, width, height, storage_key,
            thumbnail_key, thumbnail_type, thumbnail_size, created_at, message_id, deleted_at""";

    /** Records a new upload (its bytes are stored already). */
    public Uni<Void> insert(SqlClient client, Attachment a) {
        return client.preparedQuery("""
                        INSERT INTO attachment (id, conversation_id, uploader, name, content_type, size, sha256, width,
                                                height, storage_key, thumbnail_key, thumbnail_type, thumbnail_size,
                                                created_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)""")
                .execute(Tuple.from(new Object[] {
                    a.id(),
                    a.conversationId(),
                    a.uploader(),
                    a.name(),
                    a.contentType(),
                    a.size(),
                    a.sha256(),
                    a.width(),
                    a.height(),
                    a.storageKey(),
                    a.thumbnailKey(),
                    a.thumbnailType(),
                    a.thumbnailSize(),
                    utc(a.createdAt())
                }))
                .replaceWithVoid();
    }

    /** The upload, unless unknown or deleted. */
    public Uni<Optional<Attachment>> findLive(SqlClient client, UUID id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM attachment WHERE id = $1 AND deleted_at IS NULL")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(toRow(rows.iterator().next())));
    }

    /** The uploads among {@code ids} (deleted ones too), locked until the end of the transaction {@code tx}. */
    public Uni<List<Attachment>> lock(SqlClient tx, List<UUID> ids) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM attachment WHERE id = ANY($1) ORDER BY id FOR UPDATE")
                .execute(Tuple.of(ids.toArray(new UUID[0])))
                .map(AttachmentStore::all);
    }

    /** Attaches the uploads to {@code messageId} (the caller checked them under lock). */
    public Uni<Void> attach(SqlClient tx, List<UUID> ids, UUID messageId) {
        return tx.preparedQuery("UPDATE attachment SET message_id = $2 WHERE id = ANY($1) AND message_id IS NULL")
                .execute(Tuple.of(ids.toArray(new UUID[0]), messageId))
                .replaceWithVoid();
    }

    /** Marks the uploads of a message deleted at {@code at}: they are served no more, and swept. */
    public Uni<Void> deleteOfMessage(SqlClient tx, UUID messageId, Instant at) {
        return tx.preparedQuery("UPDATE attachment SET deleted_at = $2 WHERE message_id = $1 AND deleted_at IS NULL")
                .execute(Tuple.of(messageId, utc(at)))
                .replaceWithVoid();
    }

    /** Marks the upload deleted at {@code at}; answers whether it was live. */
    public Uni<Boolean> markDeleted(SqlClient tx, UUID id, Instant at) {
        return tx.preparedQuery("UPDATE attachment SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL")
                .execute(Tuple.of(id, utc(at)))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Marks deleted, at {@code at}, every upload never attached and created before {@code cutoff}; answers how many. */
    public Uni<Integer> expireUnattached(SqlClient client, Instant cutoff, Instant at) {
        return client.preparedQuery("""
                        UPDATE attachment SET deleted_at = $2
                        WHERE message_id IS NULL AND deleted_at IS NULL AND created_at < $1""").execute(Tuple.of(utc(cutoff), utc(at))).map(RowSet::rowCount);
    }

    /** Up to {@code limit} deleted uploads (whose bytes may remain), the longest deleted first. */
    public Uni<List<Attachment>> deleted(SqlClient client, int limit) {
        return client.preparedQuery("SELECT " + COLUMNS
                        + " FROM attachment WHERE deleted_at IS NOT NULL ORDER BY deleted_at LIMIT $1")
                .execute(Tuple.of(limit))
                .map(AttachmentStore::all);
    }

    /** Removes the row of a deleted upload (its bytes are gone). */
    public Uni<Void> remove(SqlClient client, UUID id) {
        return client.preparedQuery("DELETE FROM attachment WHERE id = $1 AND deleted_at IS NOT NULL")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    private static List<Attachment> all(RowSet<Row> rows) {
        List<Attachment> list = new ArrayList<>(rows.size());
        rows.forEach(r -> list.add(toRow(r)));
        return list;
    }

    private static Attachment toRow(Row r) {
        return new Attachment(
                r.getUUID("id"),
                r.getUUID("conversation_id"),
                r.getString("uploader"),
                r.getString("name"),
                r.getString("content_type"),
                r.getLong("size"),
                r.getString("sha256"),
                r.getInteger("width"),
                r.getInteger("height"),
                r.getString("storage_key"),
                r.getString("thumbnail_key"),
                r.getString("thumbnail_type"),
                r.getLong("thumbnail_size"),
                instant(r.getOffsetDateTime("created_at")),
                r.getUUID("message_id"),
                instant(r.getOffsetDateTime("deleted_at")));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
