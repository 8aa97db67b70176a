package io.parley.conversation.store;

import io.parley.conversation.domain.Conversation;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL access to conversations and participants. */
@ApplicationScoped
public class ConversationStore {

    private static final String SELECT = """
            SELECT c.id, c.kind, c.title, c.created_by, c.created_at, c.last_activity_at,
                   coalesce((SELECT array_agg(p.user_id ORDER BY p.joined_at, p.user_id)
                             FROM participant p WHERE p.conversation_id = c.id), '{}') AS participants
            FROM conversation c
            """;

    private final Pool pool;

    public ConversationStore(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /**
     * Inserts the conversation and its participants unless its unique key (direct pair or support owner) is taken;
     * answers whether it did.
     */
    public Uni<Boolean> insert(SqlClient tx, Conversation c, String directKey, String supportOwner) {
        return tx.preparedQuery("""
                        INSERT INTO conversation (id, kind, title, created_by, created_at, last_activity_at,
                                                  direct_key, support_owner)
                        VALUES ($1, $2, $3, $4, $5, $5, $6, $7) ON CONFLICT DO NOTHING""")
                .execute(Tuple.from(new Object[]{c.id(), c.kind(), c.title(), c.createdBy(), utc(c.createdAt()),
                        directKey, supportOwner}))
                .onItem().transformToUni(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    List<Tuple> members = new ArrayList<>();
                    for (String userId : c.participants()) {
                        members.add(Tuple.of(c.id(), userId, utc(c.createdAt())));
                    }
                    return tx.preparedQuery("INSERT INTO participant (conversation_id, user_id, joined_at) VALUES ($1, $2, $3)")
                            .executeBatch(members)
                            .replaceWith(true);
                });
    }

    public Uni<Optional<Conversation>> findByDirectKey(SqlClient client, String directKey) {
        return client.preparedQuery(SELECT + " WHERE c.direct_key = $1")
                .execute(Tuple.of(directKey))
                .map(ConversationStore::first);
    }

    public Uni<Optional<Conversation>> findSupport(SqlClient client, String owner) {
        return client.preparedQuery(SELECT + " WHERE c.support_owner = $1")
                .execute(Tuple.of(owner))
                .map(ConversationStore::first);
    }

    public Uni<Optional<Conversation>> find(SqlClient client, UUID id, boolean lock) {
        return client.preparedQuery(SELECT + " WHERE c.id = $1" + (lock ? " FOR UPDATE OF c" : ""))
                .execute(Tuple.of(id))
                .map(ConversationStore::first);
    }

    public Uni<Boolean> addParticipant(SqlClient tx, UUID conversationId, String userId, Instant at) {
        return tx.preparedQuery("""
                        INSERT INTO participant (conversation_id, user_id, joined_at) VALUES ($1, $2, $3)
                        ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(conversationId, userId, utc(at)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Boolean> removeParticipant(SqlClient tx, UUID conversationId, String userId) {
        return tx.preparedQuery("DELETE FROM participant WHERE conversation_id = $1 AND user_id = $2")
                .execute(Tuple.of(conversationId, userId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The users who share a conversation with {@code userId}, without them. */
    public Uni<List<String>> contacts(String userId) {
        return pool.preparedQuery("SELECT DISTINCT other.user_id FROM participant mine "
                        + "JOIN participant other ON other.conversation_id = mine.conversation_id "
                        + "WHERE mine.user_id = $1 AND other.user_id <> $1")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<String> users = new ArrayList<>(rows.size());
                    rows.forEach(r -> users.add(r.getString(0)));
                    return users;
                });
    }

    /** A position in the list: conversations come by latest activity, then id, both descending. */
    public record Position(Instant lastActivityAt, UUID id) {
        /** Before the first conversation of the list. */
        public static final Position TOP = new Position(null, null);

        public boolean isTop() {
            return lastActivityAt == null;
        }
    }

    /**
     * Up to {@code limit} conversations after {@code after}: the caller's own, and every support conversation when
     * {@code withAllSupport}; never the one {@code excluded} (the caller's pinned support conversation).
     */
    public Uni<List<Conversation>> page(String userId, boolean withAllSupport, UUID excluded, Position after,
                                        int limit) {
        String visible = withAllSupport
                ? "(c.kind = 'support' OR EXISTS (SELECT 1 FROM participant p WHERE p.conversation_id = c.id AND p.user_id = $1))"
                : "EXISTS (SELECT 1 FROM participant p WHERE p.conversation_id = c.id AND p.user_id = $1)";
        return pool.preparedQuery(SELECT + " WHERE " + visible + """
                         AND ($2::uuid IS NULL OR c.id <> $2)
                         AND ($3::timestamptz IS NULL OR (c.last_activity_at, c.id) < ($3, $4))
                        ORDER BY c.last_activity_at DESC, c.id DESC
                        LIMIT $5""")
                .execute(Tuple.from(new Object[]{userId, excluded, utc(after.lastActivityAt()), after.id(), limit}))
                .map(ConversationStore::all);
    }

    private static Optional<Conversation> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(toConversation(rows.iterator().next()));
    }

    private static List<Conversation> all(RowSet<Row> rows) {
        List<Conversation> list = new ArrayList<>(rows.size());
        rows.forEach(r -> list.add(toConversation(r)));
        return list;
    }

    private static Conversation toConversation(Row row) {
        return new Conversation(row.getUUID("id"), row.getString("kind"), row.getString("title"),
                row.getString("created_by"), row.getOffsetDateTime("created_at").toInstant(),
                row.getOffsetDateTime("last_activity_at").toInstant(),
                List.of(row.getArrayOfStrings("participants")));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    public static Instant now() {
        // PostgreSQL keeps microseconds: truncate so that what we return equals what we read back later.
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
